package dev.posenc.kernels;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Matrix products on the CPU: out (M×N) = a·b (NN), aᵀ·b (TN) or a·bᵀ (NT), optionally accumulated, and
 * the same over a shared batch axis. The fast path is {@link MatmulBlocked} (packed A and B, cache blocks,
 * a 14 × 2-vector {@link MatmulMicrokernel} on AVX-512; TN with a long k and a small output split over k by
 * {@link MatmulSplitK}; NT with n ≤ 4 and NN with k ≤ 4, an RGB layer's, unpacked by {@link MatmulNarrow}); its twins {@link #matmulScalar} and
 * {@link #batchedMatmulScalar} are plain loops. Products under {@link #SMALL_MACS} multiply-adds take the
 * twin: packing would cost more than the product.
 */
public final class MatmulCpu {
    private MatmulCpu() {}

    /** Below this many multiply-adds (16³) the scalar loops finish before a pack buffer is filled. */
    static final long SMALL_MACS = 4096;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /**
     * {@code out = form(a, b)}, or {@code out += form(a, b)} when {@code accumulate}; shapes per
     * {@link MatmulForm}. Modifies {@code out} only; out must not overlap a or b.
     *
     * @throws IllegalArgumentException on mismatched shapes or overlapping memory
     */
    public static void matmul(Parallel p, Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        int[] mnk = Shapes.matmul("matmul", out, a, b, form);
        requireNoOverlap("matmul", out, a, b);
        multiply(p, true, out.data(), 0, a.data(), 0, b.data(), 0, form, accumulate, mnk[0], mnk[1], mnk[2]);
    }

    /**
     * A linear layer's forward, y = x·Wᵀ + b, then max(·, 0) when {@code relu}: x (N, In), w (Out, In), b (Out),
     * y (N, Out). Where the blocked product stores each output once, the bias and ReLU are applied as its tiles
     * are stored (no pass of their own over y), and so does the narrow NT (Out ≤ 4); elsewhere as a pass after it. Either way the roundings of
     * {@link #matmul} (NT), then addRowBroadcast, then relu: the same bits. Modifies y only.
     *
     * @throws IllegalArgumentException on mismatched shapes or overlapping memory
     */
    public static void linear(Parallel p, Tensor y, Tensor x, Tensor w, Tensor b, boolean relu) {
        int[] mnk = Shapes.matmul("linear", y, x, w, MatmulForm.NT);
        requireNoOverlap("linear", y, x, w);
        int m = mnk[0], n = mnk[1], k = mnk[2];
        if (b.size() != n) Shapes.require(false, "linear", "b", n + " elements", b.shape());
        if (m == 0 || n == 0) return;
        if (k > 0 && (long) m * n * k >= SMALL_MACS && MatmulNarrow.takesNt(n)) {
            MatmulNarrow.nt(p, true, y.data(), x.data(), w.data(), b.data(), relu, false, m, n, k);
            return;
        }
        if (k > 0 && (long) m * n * k >= SMALL_MACS && MatmulBlocked.storesOnce(n, k)) {
            MatmulBlocked.multiplyBias(p, y.data(), x.data(), w.data(), MatmulForm.NT, b.data(), relu, m, n, k);
            return;
        }
        multiply(p, true, y.data(), 0, x.data(), 0, w.data(), 0, MatmulForm.NT, false, m, n, k);
        if (relu) BiasReluCpu.forward(p, y, y, b);
        else ElementwiseCpu.addRowBroadcast(p, y, y, b);
    }

    /** The twin of {@link #matmul}: out(i, j) (+)= Σ_k A(i, k)·B(k, j) in float, k ascending. */
    public static void matmulScalar(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        int[] mnk = Shapes.matmul("matmul", out, a, b, form);
        requireNoOverlap("matmul", out, a, b);
        multiplyScalar(out.data(), 0, a.data(), 0, b.data(), 0, form, accumulate, mnk[0], mnk[1], mnk[2]);
    }

    /**
     * {@link #matmul} per batch entry: a, b, out are 3-D with one shared leading size B, as for attention
     * heads (e.g. scores (B, T, T) = q (B, T, d) · k (B, T, d)ᵀ with form NT). Modifies {@code out} only.
     * Many small entries run one per thread; few large ones each use all threads.
     */
    public static void batchedMatmul(Parallel p, Tensor out, Tensor a, Tensor b, MatmulForm form,
                                     boolean accumulate) {
        int[] bmnk = batchedShapes(out, a, b, form);
        int batch = bmnk[0], m = bmnk[1], n = bmnk[2], k = bmnk[3];
        MemorySegment o = out.data(), x = a.data(), y = b.data();
        long os = (long) m * n, as = (long) m * k, bs = (long) k * n;
        if (batch >= p.threads() || (long) m * n * k < MatmulBlocked.PARALLEL_MIN_MACS) {
            p.forEach(batch, e -> multiply(p, false, o, e * os, x, e * as, y, e * bs, form, accumulate, m, n, k));
        } else {
            for (int e = 0; e < batch; e++) {
                multiply(p, true, o, e * os, x, e * as, y, e * bs, form, accumulate, m, n, k);
            }
        }
    }

    /** The twin of {@link #batchedMatmul}: {@link #matmulScalar} per entry. */
    public static void batchedMatmulScalar(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        int[] bmnk = batchedShapes(out, a, b, form);
        int m = bmnk[1], n = bmnk[2], k = bmnk[3];
        long os = (long) m * n, as = (long) m * k, bs = (long) k * n;
        for (int e = 0; e < bmnk[0]; e++) {
            multiplyScalar(out.data(), e * os, a.data(), e * as, b.data(), e * bs, form, accumulate, m, n, k);
        }
    }

    /**
     * Checked sizes, row-major memory, each operand starting {@code ·First} floats into its segment (a batch entry is
     * read in place: a slice per operand per entry was most of a ViT step's remaining garbage); {@code split}: may
     * use all of p's threads (false: an entry of a batch, on one thread).
     */
    private static void multiply(Parallel p, boolean split, MemorySegment out, long outFirst, MemorySegment a,
                                 long aFirst, MemorySegment b, long bFirst, MatmulForm form, boolean accumulate,
                                 int m, int n, int k) {
        if (m == 0 || n == 0) return;
        if (k == 0 || (long) m * n * k < SMALL_MACS) {
            multiplyScalar(out, outFirst, a, aFirst, b, bFirst, form, accumulate, m, n, k);
        } else if (form == MatmulForm.NT && MatmulNarrow.takesNt(n)) {
            MatmulNarrow.nt(p, split, entry(out, outFirst, (long) m * n), entry(a, aFirst, (long) m * k),
                    entry(b, bFirst, (long) n * k), null, false, accumulate, m, n, k);
        } else if (form == MatmulForm.NN && MatmulNarrow.takesNn(k)) {
            MatmulNarrow.nn(p, split, entry(out, outFirst, (long) m * n), entry(a, aFirst, (long) m * k),
                    entry(b, bFirst, (long) k * n), accumulate, m, n, k);
        } else if (!split && MatmulSmall.takes(m, n, k)) {
            MatmulSmall.multiply(p.workspace(), out, outFirst, a, aFirst, b, bFirst, form, accumulate, m, n, k);
        } else {
            MatmulBlocked.multiplySplittingK(p, split, out, outFirst, a, aFirst, b, bFirst, form, accumulate, m, n, k);
        }
    }

    /**
     * The twin's loops on row-major memory starting ·First floats in: a is (m, k), or (k, m) for TN; b is (k, n), or
     * (n, k) for NT.
     */
    private static void multiplyScalar(MemorySegment out, long outFirst, MemorySegment a, long aFirst, MemorySegment b,
                                       long bFirst, MatmulForm form, boolean accumulate, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int kk = 0; kk < k; kk++) {
                    float aik = a.getAtIndex(F,
                            aFirst + (form == MatmulForm.TN ? (long) kk * m + i : (long) i * k + kk));
                    float bkj = b.getAtIndex(F,
                            bFirst + (form == MatmulForm.NT ? (long) j * k + kk : (long) kk * n + j));
                    s += aik * bkj;
                }
                long o = outFirst + (long) i * n + j;
                out.setAtIndex(F, o, accumulate ? out.getAtIndex(F, o) + s : s);
            }
        }
    }

    /**
     * {@code floats} floats of t from float {@code first} on, for the narrow products, which index from 0: t itself
     * from its start (no object), else a slice (only a batch of narrow entries, heads of width ≤ 4, makes them).
     */
    private static MemorySegment entry(MemorySegment t, long first, long floats) {
        return first == 0 ? t : t.asSlice(first * Float.BYTES, floats * Float.BYTES);
    }

    /** (B, M, N, K) of a batched product, or an IllegalArgumentException naming the bad argument. */
    private static int[] batchedShapes(Tensor out, Tensor a, Tensor b, MatmulForm form) {
        String op = "batchedMatmul";
        Shapes.require(a.rank() == 3, op, "a", "a 3-D tensor (B, ·, ·)", a.shape());
        Shapes.require(b.rank() == 3, op, "b", "a 3-D tensor (B, ·, ·)", b.shape());
        Shapes.require(out.rank() == 3, op, "out", "a 3-D tensor (B, ·, ·)", out.shape());
        int batch = a.shape().dim(0);
        // Messages are formatted only on failure (formatting them cost more than a small product).
        if (b.shape().dim(0) != batch) {
            Shapes.require(false, op, "b", "batch size %d (a is %s)".formatted(batch, a.shape()), b.shape());
        }
        boolean ta = form == MatmulForm.TN, tb = form == MatmulForm.NT;
        int m = a.shape().dim(ta ? 2 : 1), k = a.shape().dim(ta ? 1 : 2);
        int n = b.shape().dim(tb ? 1 : 2), kb = b.shape().dim(tb ? 2 : 1);
        if (kb != k) {
            Shapes.require(false, op, "b", "inner dimension %d (a is %s, form %s)".formatted(k, a.shape(), form),
                    b.shape());
        }
        Shapes.require(out.shape().equals(Shape.of(batch, m, n)), op, "out", Shape.of(batch, m, n), out.shape());
        requireNoOverlap(op, out, a, b);
        return new int[] {batch, m, n, k};
    }

    private static void requireNoOverlap(String op, Tensor out, Tensor a, Tensor b) {
        Shapes.require(out.data().asOverlappingSlice(a.data()).isEmpty(), op, "out", "memory apart from a",
                "overlapping memory");
        Shapes.require(out.data().asOverlappingSlice(b.data()).isEmpty(), op, "out", "memory apart from b",
                "overlapping memory");
    }
}
