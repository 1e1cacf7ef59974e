package dev.posenc.autograd.ops;

import dev.posenc.autograd.Var;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

/**
 * What the two kernelized attentions ({@link KernelAttention}, {@link RpeKernelAttention}) share: their shapes, and
 * the ratio z = num/den at the end. Both carry v' = [v ‖ 1] (width dv + 1) through the sums, so that the column dv of
 * the accumulator A (N, n, dv + 1) is the denominator:
 * <pre>
 *   z[i, c] = A[i, c] / A[i, dv]                          c &lt; dv
 *   backward:  g[i, c] = dz[i, c] / A[i, dv]              ∂z/∂num
 *              g[i, dv] = −Σ_c dz[i, c]·z[i, c] / A[i, dv]   ∂z/∂den = −num/den²
 * </pre>
 * so the gradient with respect to A is g (N, n, dv + 1), and the rest of each backward runs on the [num ‖ den] columns
 * as one block.
 */
final class KernelRatio {
    private KernelRatio() {}

    /** Entries N (batch·heads), tokens n, features m, value width dv; heads H of the RPE (1 without one). */
    record Dims(int entries, int n, int m, int dv, int heads) {
        int width() { return dv + 1; }
    }

    /**
     * Checks φq, φk (N, n, m) or (B, H, n, m) alike and v with their leading axes; names the argument at fault. Kernel
     * attention runs on host memory only: its [v ‖ 1], the ratio and the causal prefix sums (and the RPE weights
     * exp b) are host loops with no device kernels yet (issue 14), so on a device it stops here, saying so, before a
     * host read of a device tensor would.
     */
    static Dims check(String op, Var q, Var k, Var v) {
        if (q.value().onDevice()) throw new UnsupportedOperationException(("%s: runs on host memory only (its ratio "
                + "and prefix sums are host loops, no device kernels yet); use the CPU backend").formatted(op));
        Shape qs = q.shape();
        int rank = qs.rank();
        require(rank == 3 || rank == 4, op, "q", "the features φ(q) as (N, n, m) or (B, H, n, m)", qs);
        int n = qs.dim(rank - 2), m = qs.dim(rank - 1);
        require(n > 0, op, "q", "n ≥ 1 tokens", "n = 0 in " + qs);
        require(m > 0, op, "q", "a feature count m > 0", "m = 0 in " + qs);
        require(k.shape().equals(qs), op, "k", qs + " as q (the same tokens and features)", k.shape());
        Shape vs = v.shape();
        boolean lead = vs.rank() == rank;
        for (int a = 0; lead && a < rank - 1; a++) lead = vs.dim(a) == qs.dim(a);
        require(lead && vs.dim(rank - 1) > 0, op, "v", "q's leading axes %s with dv ≥ 1".formatted(leading(qs)), vs);
        int entries = Math.toIntExact(qs.size() / ((long) n * m));
        return new Dims(entries, n, m, vs.dim(rank - 1), rank == 4 ? qs.dim(1) : 1);
    }

    /** The RPE b (H, 2n − 1): H the heads of a (B, H, n, m) input, or any divisor of N for (N, n, m). */
    static Dims checkBias(String op, Dims d, Var q, Var b) {
        Shape bs = b.shape();
        int rank = q.shape().rank();
        int heads = bs.rank() == 2 ? bs.dim(0) : -1;
        boolean ok = bs.rank() == 2 && bs.dim(1) == 2 * d.n() - 1 && heads > 0
                && (rank == 4 ? heads == q.shape().dim(1) : d.entries() % heads == 0);
        require(ok, op, "b", "(H, 2n − 1) = (%s, %d), one weight per relative offset −(n−1)…(n−1)"
                .formatted(rank == 4 ? Integer.toString(q.shape().dim(1)) : "H dividing " + d.entries(), 2 * d.n() - 1), bs);
        return new Dims(d.entries(), d.n(), d.m(), d.dv(), heads);
    }

    private static String leading(Shape s) {
        int[] dims = s.dims();
        return Shape.of(java.util.Arrays.copyOf(dims, dims.length - 1)).toString();
    }

    private static void require(boolean ok, String op, String arg, Object expected, Object actual) {
        if (!ok) throw new IllegalArgumentException("%s: %s: expected %s, got %s".formatted(op, arg, expected, actual));
    }

    /** out[e, i, c] = acc[e, i, c] / acc[e, i, dv]. out (N·n, dv), acc (N·n, dv + 1). */
    static void divide(Tensor out, Tensor acc, Dims d) {
        int w = d.width();
        for (long row = 0; row < (long) d.entries() * d.n(); row++) {
            float den = acc.get(row * w + d.dv());
            for (int c = 0; c < d.dv(); c++) out.set(row * d.dv() + c, acc.get(row * w + c) / den);
        }
    }

    /** g = ∂loss/∂[num ‖ den] from dz (see the class comment). g (N·n, dv + 1) overwritten. */
    static void gradient(Tensor g, Tensor dOut, Tensor out, Tensor acc, Dims d) {
        int w = d.width(), dv = d.dv();
        for (long row = 0; row < (long) d.entries() * d.n(); row++) {
            float den = acc.get(row * w + dv);
            double dot = 0;
            for (int c = 0; c < dv; c++) {
                float dz = dOut.get(row * dv + c);
                g.set(row * w + c, dz / den);
                dot += dz * out.get(row * dv + c);
            }
            g.set(row * w + dv, (float) (-dot / den));
        }
    }
}
