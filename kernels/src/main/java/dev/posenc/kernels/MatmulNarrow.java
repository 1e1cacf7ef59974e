package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.L;
import static dev.posenc.kernels.MatmulMicrokernel.S;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/**
 * The row-major products with one narrow side (at most {@value #WIDTH}), i.e. the image MLP's RGB layer (3 outputs)
 * forward and its input gradient, read where they lie, without packing:
 * <pre>
 *   nt:  out (m×n) (+)= a (m×k) · b (n×k)ᵀ (+ bias),  n ≤ 4    out[r, j] = Σ_kk a[r, kk]·b[j, kk]
 *   nn:  out (m×n) (+)= a (m×k) · b (k×n),             k ≤ 4    out[r, c] = Σ_t a[r, t]·b[t, c]
 * </pre>
 * The blocked product pads such a side to its 14 × 32 register tile and packs the other operand (16 MiB per
 * fit-image step): ~2.5 ms of CPU each for 0.025 GFLOP. Here each row is one pass over a's row and out's row.
 *
 * <p>Sum orders (fixed by the shapes, never by the thread count: threads split rows):
 * <ul>
 *   <li>nt: one FMA chain per lane l over kk ≡ l (mod L) from zero, the L lanes added by {@link Lanes#sum}'s tree,
 *       then the k mod L tail by Math.fma in kk order; then + bias[j], or out + that when accumulating;</li>
 *   <li>nn: one FMA chain over t ascending from zero, then stored, or added to out: the blocked tile's bits.</li>
 * </ul>
 * Twins {@link #ntScalar}, {@link #nnScalar} run the same operations lane by lane: equal bits.
 */
final class MatmulNarrow {
    private MatmulNarrow() {}

    /** The narrow side at most: an RGB(A) layer. */
    static final int WIDTH = 4;
    /** Rows per task at least: a row is ~k/L vector operations, so below this a hand-off costs more. */
    private static final long MIN_ROWS = 256;

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** True when {@link #nt} (n ≤ 4) takes an NT product of width n. */
    static boolean takesNt(int n) { return n <= WIDTH; }

    /** True when {@link #nn} (k ≤ 4) takes an NN product of depth k. */
    static boolean takesNn(int k) { return k <= WIDTH; }

    /**
     * out = a·bᵀ (+ bias when not null, then max(·, 0) when {@code relu}: BiasReluCpu's roundings), or out += a·bᵀ
     * when {@code accumulate} (bias then null); n ≤ 4. Rows over {@code p}'s threads when {@code split}. Modifies
     * out only.
     */
    static void nt(Parallel p, boolean split, MemorySegment out, MemorySegment a, MemorySegment b, MemorySegment bias,
                   boolean relu, boolean accumulate, int m, int n, int k) {
        if (split && p.threads() > 1) {
            p.forRange(m, MIN_ROWS, (r0, r1) -> ntRows(out, a, b, bias, relu, accumulate, n, k, r0, r1));
        } else {
            ntRows(out, a, b, bias, relu, accumulate, n, k, 0, m);
        }
    }

    /** out (+)= a·b, k ≤ 4: see {@link #nt}. Modifies out only. */
    static void nn(Parallel p, boolean split, MemorySegment out, MemorySegment a, MemorySegment b, boolean accumulate,
                   int m, int n, int k) {
        if (split && p.threads() > 1) p.forRange(m, MIN_ROWS, (r0, r1) -> nnRows(out, a, b, accumulate, n, k, r0, r1));
        else nnRows(out, a, b, accumulate, n, k, 0, m);
    }

    // ---- scalar twins: the same operations, lane by lane ------------------------------------------------------

    /** The twin of {@link #nt}. */
    static void ntScalar(MemorySegment out, MemorySegment a, MemorySegment b, MemorySegment bias, boolean relu,
                         boolean accumulate, int m, int n, int k) {
        int kb = k / L * L;
        float[] lanes = new float[L];
        for (long r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                java.util.Arrays.fill(lanes, 0f);
                for (int kk = 0; kk < kb; kk++) {
                    lanes[kk % L] = Math.fma(a.getAtIndex(F, r * k + kk), b.getAtIndex(F, (long) j * k + kk), lanes[kk % L]);
                }
                for (int half = L / 2; half >= 1; half /= 2) {     // Lanes.sum's tree
                    for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
                }
                float s = ntTail(a, b, r, j, k, kb, lanes[0]);
                ntStore(out, bias, relu, accumulate, r * n + j, j, s);
            }
        }
    }

    /** The twin of {@link #nn}. */
    static void nnScalar(MemorySegment out, MemorySegment a, MemorySegment b, boolean accumulate, int m, int n, int k) {
        for (long r = 0; r < m; r++) nnScalarRow(out, a, b, accumulate, n, k, r, 0);
    }

    /** Columns [c0, n) of row r of {@link #nn}: the chain of one element, Math.fma from zero. */
    private static void nnScalarRow(MemorySegment out, MemorySegment a, MemorySegment b, boolean accumulate, int n,
                                    int k, long r, int c0) {
        for (int c = c0; c < n; c++) {
            float s = 0f;
            for (int t = 0; t < k; t++) s = Math.fma(a.getAtIndex(F, r * k + t), b.getAtIndex(F, (long) t * n + c), s);
            long o = r * n + c;
            out.setAtIndex(F, o, accumulate ? out.getAtIndex(F, o) + s : s);
        }
    }

    /** s, then the k mod L tail of row r's chain with b's row j, kk ascending from kb. */
    private static float ntTail(MemorySegment a, MemorySegment b, long r, int j, int k, int kb, float s) {
        for (int kk = kb; kk < k; kk++) s = Math.fma(a.getAtIndex(F, r * k + kk), b.getAtIndex(F, (long) j * k + kk), s);
        return s;
    }

    /** out[o] = s + bias[j] (or s without a bias), then max(·, 0) when relu; or out[o] + s when accumulating. */
    private static void ntStore(MemorySegment out, MemorySegment bias, boolean relu, boolean accumulate, long o, int j,
                                float s) {
        if (accumulate) {
            out.setAtIndex(F, o, out.getAtIndex(F, o) + s);
            return;
        }
        float v = bias == null ? s : s + bias.getAtIndex(F, j);
        out.setAtIndex(F, o, relu ? Math.max(v, 0f) : v);
    }

    // ---- vector loops -------------------------------------------------------------------------------------------

    /**
     * Rows [r0, r1) of {@link #nt}: the row's vectors of a meet the n rows of b (≤ 4 × k floats, in L1) in up to
     * four chains at once; b's rows past n are read as row 0 and not stored (no branch in the loop).
     */
    private static void ntRows(MemorySegment out, MemorySegment a, MemorySegment b, MemorySegment bias, boolean relu,
                               boolean accumulate, int n, int k, long r0, long r1) {
        int kb = k / L * L;
        long b1 = n > 1 ? k : 0, b2 = n > 2 ? 2L * k : 0, b3 = n > 3 ? 3L * k : 0;
        for (long r = r0; r < r1; r++) {
            long ar = r * k;
            FloatVector z = FloatVector.zero(S), s0 = z, s1 = z, s2 = z, s3 = z;
            for (int kk = 0; kk < kb; kk += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ar + kk) * Float.BYTES, BO);
                s0 = x.fma(FloatVector.fromMemorySegment(S, b, (long) kk * Float.BYTES, BO), s0);
                s1 = x.fma(FloatVector.fromMemorySegment(S, b, (b1 + kk) * Float.BYTES, BO), s1);
                s2 = x.fma(FloatVector.fromMemorySegment(S, b, (b2 + kk) * Float.BYTES, BO), s2);
                s3 = x.fma(FloatVector.fromMemorySegment(S, b, (b3 + kk) * Float.BYTES, BO), s3);
            }
            long o = r * n;
            ntStore(out, bias, relu, accumulate, o, 0, ntTail(a, b, r, 0, k, kb, Lanes.sum(s0)));
            if (n > 1) ntStore(out, bias, relu, accumulate, o + 1, 1, ntTail(a, b, r, 1, k, kb, Lanes.sum(s1)));
            if (n > 2) ntStore(out, bias, relu, accumulate, o + 2, 2, ntTail(a, b, r, 2, k, kb, Lanes.sum(s2)));
            if (n > 3) ntStore(out, bias, relu, accumulate, o + 3, 3, ntTail(a, b, r, 3, k, kb, Lanes.sum(s3)));
        }
    }

    /** Rows [r0, r1) of {@link #nn}: per vector of columns the k ≤ 4 FMAs of the chain, b's k rows from L1. */
    private static void nnRows(MemorySegment out, MemorySegment a, MemorySegment b, boolean accumulate, int n, int k,
                               long r0, long r1) {
        int nb = n / L * L;
        for (long r = r0; r < r1; r++) {
            long ar = r * k, or = r * n;
            FloatVector a0 = FloatVector.broadcast(S, a.getAtIndex(F, ar));
            FloatVector a1 = FloatVector.broadcast(S, k > 1 ? a.getAtIndex(F, ar + 1) : 0f);
            FloatVector a2 = FloatVector.broadcast(S, k > 2 ? a.getAtIndex(F, ar + 2) : 0f);
            FloatVector a3 = FloatVector.broadcast(S, k > 3 ? a.getAtIndex(F, ar + 3) : 0f);
            for (int c = 0; c < nb; c += L) {
                long bo = (long) c * Float.BYTES;
                FloatVector s = FloatVector.fromMemorySegment(S, b, bo, BO).fma(a0, FloatVector.zero(S));
                if (k > 1) s = FloatVector.fromMemorySegment(S, b, bo + (long) n * Float.BYTES, BO).fma(a1, s);
                if (k > 2) s = FloatVector.fromMemorySegment(S, b, bo + 2L * n * Float.BYTES, BO).fma(a2, s);
                if (k > 3) s = FloatVector.fromMemorySegment(S, b, bo + 3L * n * Float.BYTES, BO).fma(a3, s);
                long oo = (or + c) * Float.BYTES;
                if (accumulate) s = FloatVector.fromMemorySegment(S, out, oo, BO).add(s);
                s.intoMemorySegment(out, oo, BO);
            }
            nnScalarRow(out, a, b, accumulate, n, k, r, nb);
        }
    }
}
