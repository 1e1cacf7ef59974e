package dev.posenc.kernels;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * A linear layer followed by the exact GELU (LFF's encoder MLP), keeping GELU′ for the backward:
 * <pre>
 *   forward:   h = x·Wᵀ + b;  y = GELU(h);  d = GELU′(h)      x (N, In), W (Out, In), b (Out); y, d (N, Out)
 *   backward:  dh = dy ⊙ d  (or dh += dy ⊙ d)
 * </pre>
 * Where the blocked product stores each output once (every fit-image layer), GELU and GELU′ are taken from each
 * stored row of the C block while it is in L1 ({@link MatmulBlocked#multiplyBias}): h never reaches memory, and
 * the backward is one multiply instead of a second pass of erf and exp ({@link GeluCpu#backward}). The numbers are
 * those of the product, then addRowBroadcast, then GELU forward and backward ({@link GeluCpu}'s lanes): the same
 * bits. Twins: {@link #forwardScalar}, {@link #backwardScalar}.
 */
public final class LinearGeluCpu {
    private LinearGeluCpu() {}

    /** y = GELU(x·Wᵀ + b), d = GELU′(x·Wᵀ + b). Modifies y and d; neither may alias x or w, nor each other. */
    public static void forward(Parallel p, Tensor y, Tensor d, Tensor x, Tensor w, Tensor b) {
        int[] mnk = Shapes.matmul("linearGelu", y, x, w, MatmulForm.NT);
        Shapes.same("linearGelu", "d", y, d);
        int m = mnk[0], n = mnk[1], k = mnk[2];
        if (b.size() != n) Shapes.require(false, "linearGelu", "b", n + " elements", b.shape());
        if (m == 0 || n == 0) return;
        if (k > 0 && (long) m * n * k >= MatmulCpu.SMALL_MACS && !MatmulNarrow.takesNt(n) && MatmulBlocked.storesOnce(n, k)) {
            MatmulBlocked.multiplyBias(p, y.data(), x.data(), w.data(), MatmulForm.NT, b.data(), false, d.data(), m, n, k);
            return;
        }
        MatmulCpu.linear(p, y, x, w, b, false);
        MemorySegment ys = y.data(), ds = d.data();
        p.forRange(y.size(), ActivationCpu.MIN_CHUNK, (from, to) -> GeluCpu.forwardKeep(ys, ds, ys, from, to));
    }

    /** The twin of {@link #forward}: the product's twin, then per element GELU and GELU′ by GeluCpu's twins. */
    public static void forwardScalar(Tensor y, Tensor d, Tensor x, Tensor w, Tensor b) {
        MatmulCpu.matmulScalar(y, x, w, MatmulForm.NT, false);
        ElementwiseCpu.addRowBroadcastScalar(y, y, b);
        for (long i = 0; i < y.size(); i++) {
            float h = y.get(i);
            y.set(i, GeluCpu.forwardScalar(h));
            d.set(i, GeluCpu.derivativeScalar(h));
        }
    }

    /** dh = dy ⊙ d, or dh += dy ⊙ d when {@code accumulate} (one fma per element). Modifies dh only. */
    public static void backward(Parallel p, Tensor dh, Tensor dy, Tensor d, boolean accumulate) {
        Shapes.same("linearGeluBackward", "dy", d, dy);
        Shapes.same("linearGeluBackward", "dh", d, dh);
        MemorySegment gi = dh.data(), go = dy.data(), g = d.data();
        p.forRange(d.size(), ActivationCpu.MIN_CHUNK, (from, to) -> GeluCpu.backwardKept(gi, go, g, accumulate, from, to));
    }

    /** The twin of {@link #backward}. */
    public static void backwardScalar(Tensor dh, Tensor dy, Tensor d, boolean accumulate) {
        Shapes.same("linearGeluBackward", "dy", d, dy);
        Shapes.same("linearGeluBackward", "dh", d, dh);
        for (long i = 0; i < d.size(); i++) dh.set(i, Math.fma(dy.get(i), d.get(i), accumulate ? dh.get(i) : 0f));
    }
}
