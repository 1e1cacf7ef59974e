package dev.posenc.models.seq;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * "Reverse the sequence", a length-extrapolation task (CAPE, Likhomanenko et al. 2021): n ids drawn uniformly from V
 * symbols; the label at position i is the id at n − 1 − i. Content says nothing about where to look, and where depends on
 * n, so the model must read absolute positions (attention without them is permutation-equivariant: chance 1/V).
 * Training draws one length per batch, uniform in [2, L]; the test sets hold sequences of exactly L and of each
 * extrapolation length (e.g. 64, 128), the same for every run.
 */
public final class ReverseTask implements SeqTask {
    private static final long TEST_SEED = 0x2E7E_25EDL;
    private final int trainLength, vocabulary, testSequences;
    private final List<Integer> testLengths;

    public ReverseTask(int trainLength, List<Integer> testLengths, int vocabulary, int testSequences) {
        if (trainLength < 2) throw new IllegalArgumentException("--train-length: expected ≥ 2 tokens, got " + trainLength);
        if (testLengths.isEmpty() || testLengths.stream().anyMatch(n -> n < 2)) throw new IllegalArgumentException(
                "--test-lengths: expected lengths ≥ 2, got " + testLengths);
        if (vocabulary < 2) throw new IllegalArgumentException("--vocabulary: expected ≥ 2 symbols, got " + vocabulary);
        if (testSequences < 1) throw new IllegalArgumentException("--test-limit: expected ≥ 1 sequences, got " + testSequences);
        this.trainLength = trainLength;
        this.testLengths = List.copyOf(testLengths);
        this.vocabulary = vocabulary;
        this.testSequences = testSequences;
    }

    @Override public String name() { return "reverse"; }

    /** The longest training sequence: what the model and its position tables are sized for. */
    @Override public int tokens() { return trainLength; }

    @Override public int inputFeatures() { return 0; }

    @Override public int vocabulary() { return vocabulary; }

    @Override public int classes() { return vocabulary; }

    @Override public boolean classToken() { return false; }

    @Override public int labelFrom() { return 0; }

    @Override public Batch trainBatch(Arena arena, long seed, int step, int size) {
        long stream = new Rng(seed * 0x9E3779B97F4A7C15L + step).nextStream();
        int n = 2 + (int) (Rng.unit(stream, -1) * (trainLength - 1));   // index −1: apart from the ids' 0..B·n−1
        return draw(arena, stream, size, n);
    }

    @Override public Batch testSet(Arena arena) { return draw(arena, new Rng(TEST_SEED).nextStream(), testSequences, trainLength); }

    @Override public SortedMap<Integer, Batch> lengthTests(Arena arena) {
        SortedMap<Integer, Batch> m = new TreeMap<>();
        for (int n : testLengths) m.put(n, draw(arena, new Rng(TEST_SEED + n).nextStream(), testSequences, n));
        return m;
    }

    private Batch draw(Arena arena, long stream, int size, int n) {
        Tensor ids = Tensor.zeros(arena, Shape.of(size, n));
        int[] labels = new int[size * n];
        for (int b = 0; b < size; b++) {
            for (int i = 0; i < n; i++) ids.set(b, i, (int) (Rng.unit(stream, (long) b * n + i) * vocabulary));
            for (int i = 0; i < n; i++) labels[b * n + i] = (int) ids.get(b, n - 1 - i);
        }
        return new Batch(ids, labels);
    }

    @Override public String describe() {
        return "reverse: n ids from %d symbols, label at i is the id at n − 1 − i (chance %.1f %%); train n uniform in [2, %d], "
                .formatted(vocabulary, 100.0 / vocabulary, trainLength)
                + "test %d sequences at n = %d and %s".formatted(testSequences, trainLength, testLengths);
    }
}
