package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.KC;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

/**
 * The backward of a linear layer with its activation, x (N, In), W (Out, In), the activation's input gradient never
 * written: with s = [y &gt; 0] (ReLU, y = max(x·Wᵀ + b, 0)) or s = GELU′ kept by LinearGeluCpu's forward,
 * <pre>
 *   dz = dy ⊙ s                       never stored: each product packs fma(dy, s, 0) ({@link MatmulMaskedA})
 *   dx (+)= dz·W        (N, In)       NN, A = dz packed row-major
 *   dW (+)= dzᵀ·x       (Out, In)     TN split over k ({@link MatmulSplitK}), A = dz packed k-major
 *   db (+)= Σ_rows dz   (Out)         the TN pack's column sums per block of KC = 256 rows, then the blocks in order
 * </pre>
 * Against the activation's backward pass then the two products: dz's 16 MiB (N = 16,384, Out = 256) is not written,
 * nor read back by each product (they read dy and s's source instead), and its pass is gone. The packed values are
 * dz's bits; db's blocks and order are BiasReluCpu's (its BLOCK_ROWS is KC, and the slices start on multiples of
 * KC), so the ReLU layer gives the composed route's bits; the GELU layer's db is associated by those blocks where
 * the composed route (sumRows) adds row after row. Shapes whose TN product does not split ({@link #fuses}) take the
 * composed route. Twins: {@link #reluScalar}, {@link #geluScalar}.
 */
public final class LinearBackwardCpu {
    private LinearBackwardCpu() {}

    /** True when N rows, Out and In take the fused route: a split TN with a packed A, a blocked NN. */
    static boolean fuses(int rows, int out, int in) {
        return KC == BiasReluCpu.BLOCK_ROWS && out > MatmulSplitK.NARROW_M
                && MatmulSplitK.slices(MatmulForm.TN, out, in, rows) > 1 && !MatmulNarrow.takesNn(out)
                && (long) rows * in * out >= MatmulCpu.SMALL_MACS;
    }

    /**
     * ReLU layer: dz = dy ⊙ [y &gt; 0] (scratch: written only off the fused route), db (+)= Σ_rows dz, dx (+)= dz·W unless
     * dx is null, dW (+)= dzᵀ·x; each "+=" when its accumulate flag is set. Modifies dz, dx, dw, db.
     *
     * @throws IllegalArgumentException on mismatched shapes or overlapping memory
     */
    public static void relu(Parallel p, Tensor dz, Tensor dx, boolean accumulateX, Tensor dw, boolean accumulateW,
                            Tensor db, boolean accumulateB, Tensor dy, Tensor y, Tensor x, Tensor w) {
        if (fuses(y.rows(), y.cols(), x.cols())) {
            fused(p, true, dz, dx, accumulateX, dw, accumulateW, db, accumulateB, dy, y, x, w);
            return;
        }
        BiasReluCpu.backward(p, dz, db, dy, y, accumulateB);
        products(p, dz, dx, accumulateX, dw, accumulateW, x, w);
    }

    /**
     * GELU layer (LinearGeluCpu's): dh = dy ⊙ kept (scratch, as dz above), db (+)= Σ_rows dh, dx (+)= dh·W unless dx
     * is null, dW (+)= dhᵀ·x. Modifies dh, dx, dw, db.
     *
     * @throws IllegalArgumentException on mismatched shapes or overlapping memory
     */
    public static void gelu(Parallel p, Tensor dh, Tensor dx, boolean accumulateX, Tensor dw, boolean accumulateW,
                            Tensor db, boolean accumulateB, Tensor dy, Tensor kept, Tensor x, Tensor w) {
        if (fuses(kept.rows(), kept.cols(), x.cols())) {
            fused(p, false, dh, dx, accumulateX, dw, accumulateW, db, accumulateB, dy, kept, x, w);
            return;
        }
        LinearGeluCpu.backward(p, dh, dy, kept, false);
        ReduceCpu.sumRows(p, db, dh, 1f, accumulateB);
        products(p, dh, dx, accumulateX, dw, accumulateW, x, w);
    }

    /** The twin of {@link #relu}: BiasReluCpu's twin, then the products' twins (plain loops). */
    public static void reluScalar(Tensor dz, Tensor dx, boolean accumulateX, Tensor dw, boolean accumulateW,
                                  Tensor db, boolean accumulateB, Tensor dy, Tensor y, Tensor x, Tensor w) {
        BiasReluCpu.backwardScalar(dz, db, dy, y, accumulateB);
        productsScalar(dz, dx, accumulateX, dw, accumulateW, x, w);
    }

    /** The twin of {@link #gelu}: LinearGeluCpu's and sumRows' twins, then the products' twins. */
    public static void geluScalar(Tensor dh, Tensor dx, boolean accumulateX, Tensor dw, boolean accumulateW,
                                  Tensor db, boolean accumulateB, Tensor dy, Tensor kept, Tensor x, Tensor w) {
        LinearGeluCpu.backwardScalar(dh, dy, kept, false);
        ReduceCpu.sumRowsScalar(db, dh, 1f, accumulateB);
        productsScalar(dh, dx, accumulateX, dw, accumulateW, x, w);
    }

    private static void products(Parallel p, Tensor dz, Tensor dx, boolean accumulateX, Tensor dw,
                                 boolean accumulateW, Tensor x, Tensor w) {
        if (dx != null) MatmulCpu.matmul(p, dx, dz, w, MatmulForm.NN, accumulateX);
        MatmulCpu.matmul(p, dw, dz, x, MatmulForm.TN, accumulateW);
    }

    private static void productsScalar(Tensor dz, Tensor dx, boolean accumulateX, Tensor dw, boolean accumulateW,
                                       Tensor x, Tensor w) {
        if (dx != null) MatmulCpu.matmulScalar(dx, dz, w, MatmulForm.NN, accumulateX);
        MatmulCpu.matmulScalar(dw, dz, x, MatmulForm.TN, accumulateW);
    }

    private static void fused(Parallel p, boolean relu, Tensor dz, Tensor dx, boolean accumulateX, Tensor dw,
                              boolean accumulateW, Tensor db, boolean accumulateB, Tensor dy, Tensor mask, Tensor x,
                              Tensor w) {
        String op = relu ? "linearReluBackward" : "linearGeluBackward";
        int rows = mask.rows(), out = mask.cols(), in = x.cols();
        Shapes.same(op, "dy", mask, dy);
        Shapes.same(op, "dz", mask, dz);
        if (db.size() != out) Shapes.require(false, op, "db", out + " elements", db.shape());
        if (dx != null) {
            Shapes.matmul(op, dx, dy, w, MatmulForm.NN);
            requireApart(op, dx, dy, mask, w);
            MatmulBlocked.multiplyMasked(p, dx.data(), dy.data(), w.data(), MatmulForm.NN, accumulateX, rows, in, out,
                    new MatmulMaskedA(mask.data(), relu, null, 0));
        }
        Shapes.matmul(op, dw, dy, x, MatmulForm.TN);
        requireApart(op, dw, dy, mask, x);
        int blocks = (rows + KC - 1) / KC;
        float[] sums = p.workspace().sums(blocks * out);
        MatmulSplitK.multiply(p, true, dw.data(), dy.data(), x.data(), accumulateW, out, in, rows,
                MatmulSplitK.slices(MatmulForm.TN, out, in, rows), new MatmulMaskedA(mask.data(), relu, sums, 0));
        BiasReluCpu.reduceBlocks(db.data(), sums, blocks, out, accumulateB);
    }

    private static void requireApart(String op, Tensor out, Tensor... in) {
        for (Tensor t : in) {
            if (out.data().asOverlappingSlice(t.data()).isPresent()) {
                Shapes.require(false, op, "out", "memory apart from its inputs", "overlapping memory");
            }
        }
    }
}
