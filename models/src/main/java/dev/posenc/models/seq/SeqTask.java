package dev.posenc.models.seq;

import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;

/**
 * A sequence task for {@code train-seq}: what the encoder reads and what it must say. Tasks are pluggable: a new one
 * (e.g. a length-extrapolation task) implements this and is named in {@link SeqTasks}.
 * <ul>
 *   <li>Input: {@link #inputFeatures()} &gt; 0: each token is a float vector (a linear embedding reads it); 0: each token is an
 *       id below {@link #vocabulary()} (stored as a float, read by an embedding table).</li>
 *   <li>Output: with {@link #classToken()}, one label per sequence, read from a learned class token put first;
 *       otherwise one label per token from {@link #labelFrom()} on.</li>
 * </ul>
 */
public interface SeqTask {
    /** The CLI name. */
    String name();

    /** Tokens the task gives per sequence (the class token not counted). */
    int tokens();

    /** Width of a token's vector, or 0 for ids. */
    int inputFeatures();

    /** Ids are below this (for {@code inputFeatures() == 0}). */
    int vocabulary();

    int classes();

    boolean classToken();

    /** First token with a label, for per-token tasks. */
    int labelFrom();

    /** A batch: inputs (B, tokens, inputFeatures) or (B, tokens) of ids, and labels (B, or B·(tokens − labelFrom)). */
    record Batch(Tensor inputs, int[] labels) {
        public int size() { return inputs.shape().dim(0); }
    }

    /** Training batch {@code step} (0-based) of {@code size} sequences, a pure function of (seed, step). */
    Batch trainBatch(Arena arena, long seed, int step, int size);

    /** The held-out sequences accuracy is measured on, the same for every run. */
    Batch testSet(Arena arena);

    /** Held-out sets at other sequence lengths, by length, measured once after training (length extrapolation). */
    default java.util.SortedMap<Integer, Batch> lengthTests(Arena arena) { return new java.util.TreeMap<>(); }

    /** One line for results.md. */
    String describe();
}
