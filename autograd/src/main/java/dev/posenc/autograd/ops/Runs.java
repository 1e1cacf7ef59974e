package dev.posenc.autograd.ops;

import dev.posenc.core.Tensor;

import java.util.function.IntToLongFunction;

/**
 * The one loop under the data-movement ops (heads, concat, slice, gather, patchify): copy {@code count} runs of
 * {@code len} contiguous floats, run r from element {@code srcAt(r)} of src to element {@code dstAt(r)} of dst.
 * Each such op is a linear map that only moves numbers, so its backward (its transpose) moves the gradients
 * back along the same runs and adds them: {@link #add} with source and destination swapped. Plain host loops
 * over the tensors' memory: these ops read and write each element once, so they are memory-bound anyway.
 */
final class Runs {
    private Runs() {}

    /** dst[dstAt(r) + i] = src[srcAt(r) + i] for r in [0, count), i in [0, len). Modifies dst. */
    static void copy(Tensor dst, Tensor src, int count, int len, IntToLongFunction dstAt, IntToLongFunction srcAt) {
        long bytes = (long) len * Float.BYTES;
        for (int r = 0; r < count; r++) {
            java.lang.foreign.MemorySegment.copy(src.data(), srcAt.applyAsLong(r) * Float.BYTES, dst.data(),
                    dstAt.applyAsLong(r) * Float.BYTES, bytes);
        }
    }

    /** dst[dstAt(r) + i] += src[srcAt(r) + i]: runs that meet in dst (a gathered row used twice) add up. */
    static void add(Tensor dst, Tensor src, int count, int len, IntToLongFunction dstAt, IntToLongFunction srcAt) {
        for (int r = 0; r < count; r++) {
            long d = dstAt.applyAsLong(r), s = srcAt.applyAsLong(r);
            for (int i = 0; i < len; i++) dst.set(d + i, dst.get(d + i) + src.get(s + i));
        }
    }
}
