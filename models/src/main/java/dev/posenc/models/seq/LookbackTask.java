package dev.posenc.models.seq;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;

/**
 * "Output the token k steps back": a sequence of n ids drawn uniformly from V symbols; at every position i ≥ k the label
 * is the id at i − k. The content carries no hint where to look, so the model must attend by relative offset exactly k,
 * at any distance: what a relative positional encoding gives in one learned scalar per offset, and what attention
 * without positions cannot do at all (it is permutation-equivariant). Chance accuracy is 1/V.
 */
public final class LookbackTask implements SeqTask {
    private static final long TEST_SEED = 0x7E57_5EEDL;
    private final int n, k, vocabulary, testSequences;

    public LookbackTask(int n, int k, int vocabulary, int testSequences) {
        if (n < 2) throw new IllegalArgumentException("--length: expected ≥ 2 tokens, got " + n);
        if (k < 1 || k >= n) throw new IllegalArgumentException("--lookback: expected 1 ≤ k < n = %d, got %d".formatted(n, k));
        if (vocabulary < 2) throw new IllegalArgumentException("--vocabulary: expected ≥ 2 symbols, got " + vocabulary);
        if (testSequences < 1) throw new IllegalArgumentException("--test-limit: expected ≥ 1 sequences, got " + testSequences);
        this.n = n;
        this.k = k;
        this.vocabulary = vocabulary;
        this.testSequences = testSequences;
    }

    @Override public String name() { return "lookback"; }

    @Override public int tokens() { return n; }

    @Override public int inputFeatures() { return 0; }

    @Override public int vocabulary() { return vocabulary; }

    @Override public int classes() { return vocabulary; }

    @Override public boolean classToken() { return false; }

    @Override public int labelFrom() { return k; }

    @Override public Batch trainBatch(Arena arena, long seed, int step, int size) {
        return draw(arena, new Rng(seed * 0x9E3779B97F4A7C15L + step).nextStream(), size);
    }

    @Override public Batch testSet(Arena arena) { return draw(arena, new Rng(TEST_SEED).nextStream(), testSequences); }

    private Batch draw(Arena arena, long stream, int size) {
        Tensor ids = Tensor.zeros(arena, Shape.of(size, n));
        int[] labels = new int[size * (n - k)];
        for (int b = 0; b < size; b++) {
            int[] row = new int[n];
            for (int i = 0; i < n; i++) {
                row[i] = (int) (Rng.unit(stream, (long) b * n + i) * vocabulary);
                ids.set(b, i, row[i]);
            }
            for (int i = k; i < n; i++) labels[b * (n - k) + i - k] = row[i - k];
        }
        return new Batch(ids, labels);
    }

    @Override public String describe() {
        return "lookback: n = %d ids from %d symbols, label at i ≥ %d is the id at i − %d (chance %.1f %%); %d test sequences"
                .formatted(n, vocabulary, k, k, 100.0 / vocabulary, testSequences);
    }
}
