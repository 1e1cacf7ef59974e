package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.KC;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

/**
 * The backward of an MLP hidden layer y = max(x·Wᵀ + b, 0), x (N, In), W (Out, In), y (N, Out), without writing dz:
 * <pre>
 *   dz = dy ⊙ [y &gt; 0]                 never stored: each product packs fma(dy, [y &gt; 0], 0) ({@link MatmulMaskedA})
 *   dx (+)= dz·W        (N, In)       NN, A = dz packed row-major
 *   dW (+)= dzᵀ·x       (Out, In)     TN split over k ({@link MatmulSplitK}), A = dz packed k-major
 *   db (+)= Σ_rows dz   (Out)         the TN pack's column sums per block of KC = 256 rows, then the blocks in order
 * </pre>
 * Against BiasReluCpu.backward then the two products: dz's 16 MiB (at N = 16,384, Out = 256) is not written, nor
 * read back by each product (they read dy and y instead), and its pass is gone. The bits are the same: the packed
 * values are dz's, and db's blocks and order are BiasReluCpu's (its BLOCK_ROWS is KC; the slices start on
 * multiples of KC). Shapes where the TN product is not split ({@link #fuses}) take that composed route.
 * Twin: {@link #backwardScalar}.
 */
public final class LinearReluBackwardCpu {
    private LinearReluBackwardCpu() {}

    /** True when N rows, Out and In take the fused route: a split TN with a packed A, a blocked NN. */
    static boolean fuses(int rows, int out, int in) {
        return KC == BiasReluCpu.BLOCK_ROWS && out > MatmulSplitK.NARROW_M
                && MatmulSplitK.slices(MatmulForm.TN, out, in, rows) > 1 && !MatmulNarrow.takesNn(out)
                && (long) rows * in * out >= MatmulCpu.SMALL_MACS;
    }

    /**
     * dz = dy ⊙ [y &gt; 0] (scratch: written only off the fused route), db (+)= Σ_rows dz, dx (+)= dz·W unless dx is
     * null, dW (+)= dzᵀ·x; each "+=" when its accumulate flag is set. Modifies dz, dx, dw, db.
     *
     * @throws IllegalArgumentException on mismatched shapes or overlapping memory
     */
    public static void backward(Parallel p, Tensor dz, Tensor dx, boolean accumulateX, Tensor dw, boolean accumulateW,
                                Tensor db, boolean accumulateB, Tensor dy, Tensor y, Tensor x, Tensor w) {
        int rows = y.rows(), out = y.cols(), in = x.cols();
        if (!fuses(rows, out, in)) {
            BiasReluCpu.backward(p, dz, db, dy, y, accumulateB);
            if (dx != null) MatmulCpu.matmul(p, dx, dz, w, MatmulForm.NN, accumulateX);
            MatmulCpu.matmul(p, dw, dz, x, MatmulForm.TN, accumulateW);
            return;
        }
        Shapes.same("linearReluBackward", "dy", y, dy);
        Shapes.same("linearReluBackward", "dz", y, dz);
        if (db.size() != out) Shapes.require(false, "linearReluBackward", "db", out + " elements", db.shape());
        if (dx != null) {
            Shapes.matmul("linearReluBackward", dx, dy, w, MatmulForm.NN);
            requireApart(dx, dy, y, w);
            MatmulBlocked.multiplyMasked(p, dx.data(), dy.data(), w.data(), MatmulForm.NN, accumulateX, rows, in, out,
                    new MatmulMaskedA(y.data(), true, null, 0));
        }
        Shapes.matmul("linearReluBackward", dw, dy, x, MatmulForm.TN);
        requireApart(dw, dy, y, x);
        int blocks = ceilDiv(rows, KC);
        float[] sums = p.workspace().sums(blocks * out);
        MatmulSplitK.multiply(p, true, dw.data(), dy.data(), x.data(), accumulateW, out, in, rows,
                MatmulSplitK.slices(MatmulForm.TN, out, in, rows), new MatmulMaskedA(y.data(), true, sums, 0));
        BiasReluCpu.reduceBlocks(db.data(), sums, blocks, out, accumulateB);
    }

    /** The twin of {@link #backward}: BiasReluCpu's twin, then the products' twins (plain loops). */
    public static void backwardScalar(Tensor dz, Tensor dx, boolean accumulateX, Tensor dw, boolean accumulateW,
                                      Tensor db, boolean accumulateB, Tensor dy, Tensor y, Tensor x, Tensor w) {
        BiasReluCpu.backwardScalar(dz, db, dy, y, accumulateB);
        if (dx != null) MatmulCpu.matmulScalar(dx, dz, w, MatmulForm.NN, accumulateX);
        MatmulCpu.matmulScalar(dw, dz, x, MatmulForm.TN, accumulateW);
    }

    private static void requireApart(Tensor out, Tensor... in) {
        for (Tensor t : in) {
            if (out.data().asOverlappingSlice(t.data()).isPresent()) {
                Shapes.require(false, "linearReluBackward", "out", "memory apart from its inputs", "overlapping memory");
            }
        }
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }
}
