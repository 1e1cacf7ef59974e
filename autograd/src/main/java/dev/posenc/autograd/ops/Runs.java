package dev.posenc.autograd.ops;

import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Tensor;

/**
 * The one loop under the data-movement ops (heads, concat, slice, patchify): copy runs of {@code len} contiguous
 * floats, run r from element {@code srcAt(r)} of src to element {@code dstAt(r)} of dst (a {@link RunLayout}).
 * Each such op is a linear map that only moves numbers, so its backward (its transpose) moves the gradients
 * back along the same runs and adds them ({@link #addBack}). Both go through the backend. (Gathers by index,
 * embedding, have kernels of their own: EmbeddingKernels.)
 */
final class Runs {
    private Runs() {}

    /**
     * On the backend's memory, for moves whose runs form a {@link RunLayout} (heads, patchify, concat,
     * slice): {@code dst ← src} along {@code layout}, so these ops run on a device without a host round trip.
     */
    static void copy(Backend be, Tensor dst, Tensor src, RunLayout layout) { be.copyRuns(dst, src, layout, false); }

    /** The transpose of {@link #copy(Backend, Tensor, Tensor, RunLayout)}: {@code dSrc += dDst} along the same runs. */
    static void addBack(Backend be, Tensor dSrc, Tensor dDst, RunLayout layout) {
        be.copyRuns(dSrc, dDst, layout.transposed(), true);
    }

    /**
     * {@link #addBack} for a layout that covers every element of src exactly once (a permutation: the head moves):
     * grad(src) is written when it does not exist yet ({@link Var#gradAccumulates}), else added to.
     */
    static void moveBack(Backend be, Var src, Tensor dDst, RunLayout layout) {
        boolean accumulate = src.gradAccumulates();
        be.copyRuns(src.grad(), dDst, layout.transposed(), accumulate);
    }

    /** Runs of {@code len} floats counted by (n0, n1, n2), with element offsets and strides on each side. */
    static RunLayout layout(int n0, int n1, int n2, int len, long dstOffset, long[] dstStrides, long srcOffset,
                            long[] srcStrides) {
        return new RunLayout(new int[] {n0, n1, n2}, dstOffset, dstStrides, srcOffset, srcStrides, len);
    }
}
