package dev.posenc.autograd.ops;

import dev.posenc.core.Backend;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Tensor;

import java.util.function.IntToLongFunction;

/**
 * The one loop under the data-movement ops (heads, concat, slice, gather, patchify): copy {@code count} runs of
 * {@code len} contiguous floats, run r from element {@code srcAt(r)} of src to element {@code dstAt(r)} of dst.
 * Each such op is a linear map that only moves numbers, so its backward (its transpose) moves the gradients
 * back along the same runs and adds them: {@link #add} with source and destination swapped. The lambda forms are
 * plain host loops (gathers by index: embedding); the {@link RunLayout} forms go through the backend.
 */
final class Runs {
    private Runs() {}

    /**
     * The same on the backend's memory, for moves whose runs form a {@link RunLayout} (heads, patchify, concat,
     * slice): {@code dst ← src} along {@code layout}, so these ops run on a device without a host round trip.
     */
    static void copy(Backend be, Tensor dst, Tensor src, RunLayout layout) { be.copyRuns(dst, src, layout, false); }

    /** The transpose of {@link #copy(Backend, Tensor, Tensor, RunLayout)}: {@code dSrc += dDst} along the same runs. */
    static void addBack(Backend be, Tensor dSrc, Tensor dDst, RunLayout layout) {
        be.copyRuns(dSrc, dDst, layout.transposed(), true);
    }

    /** Runs of {@code len} floats counted by (n0, n1, n2), with element offsets and strides on each side. */
    static RunLayout layout(int n0, int n1, int n2, int len, long dstOffset, long[] dstStrides, long srcOffset,
                            long[] srcStrides) {
        return new RunLayout(new int[] {n0, n1, n2}, dstOffset, dstStrides, srcOffset, srcStrides, len);
    }

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
