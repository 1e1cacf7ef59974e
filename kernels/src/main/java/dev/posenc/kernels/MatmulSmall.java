package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.L;
import static dev.posenc.kernels.MatmulMicrokernel.S;

import dev.posenc.core.MatmulForm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/**
 * The small products of a batch entry (attention heads: scores 50 × 50 × 16, P·V 50 × 16 × 50 in the default ViT) on
 * one thread, without the blocked driver. There, packing A into 14-row panels, B into 32-wide panels (a 16-wide
 * head padded to 32) and storing through the C block buffer took three quarters of the batched products' time, the
 * register tile one quarter (async-profiler, session 10). Here a and b are copied once into per-thread arrays (b as
 * k rows of whole vectors, zero-padded, transposed for NT), and rows of C are computed 8 × 1 or 4 × 2 vectors at a
 * time straight from them; the padded lanes are computed and not stored.
 *
 * <p>Bits: every element is one FMA chain over k ascending from zero, the blocked tile's chain for k ≤ KC, then
 * stored, or added to out when accumulating. So this path and {@link MatmulBlocked} agree bit for bit
 * (MatmulSmallTest), a −0 in TN aside (the blocked k-major tile adds its chain to a zeroed block).
 */
final class MatmulSmall {
    private MatmulSmall() {}

    /** Largest side this path takes: one KC block deep, so the chain is the blocked tile's. */
    static final int MAX_SIDE = MatmulMicrokernel.KC;
    /** Largest product (multiply-adds) this path takes: the copies of a and b stay in L1 and L2. */
    static final long MAX_MACS = 1L << 19;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder BO = ByteOrder.nativeOrder();

    /** True when a batch entry of this shape takes {@link #multiply}. */
    static boolean takes(int m, int n, int k) {
        return m <= MAX_SIDE && n <= MAX_SIDE && k <= MAX_SIDE && (long) m * n * k <= MAX_MACS;
    }

    /**
     * out = form(a, b), or out += form(a, b) when {@code accumulate}, each operand starting {@code ·First} floats into
     * its segment; on the calling thread, with w's scratch arrays. Modifies out only.
     */
    static void multiply(MatmulBlocked.Workspace w, MemorySegment out, long outFirst, MemorySegment a, long aFirst,
                         MemorySegment b, long bFirst, MatmulForm form, boolean accumulate, int m, int n, int k) {
        // b as k rows of np floats (n rounded up to whole vectors, zero past n): no scalar tail of columns.
        int np = (n + L - 1) / L * L;
        float[] as = w.smallA(m * k), bs = w.smallB(k * np);
        MemorySegment.copy(a, F, aFirst * Float.BYTES, as, 0, m * k);
        if (form == MatmulForm.NT) {                       // b is (n, k): copied whole, then its rows become columns
            float[] raw = w.smallT(n * k);
            MemorySegment.copy(b, F, bFirst * Float.BYTES, raw, 0, n * k);
            transposeInto(bs, raw, n, k, np);
        } else if (np == n) {                              // whole vectors already: one copy
            MemorySegment.copy(b, F, bFirst * Float.BYTES, bs, 0, k * n);
        } else {
            for (int kk = 0; kk < k; kk++) {
                MemorySegment.copy(b, F, (bFirst + (long) kk * n) * Float.BYTES, bs, kk * np, n);
                for (int j = n; j < np; j++) bs[kk * np + j] = 0f;
            }
        }
        // A(i, kk) = as[i·ra + kk·ka]: row-major (m, k) for NN and NT, k-major (k, m) for TN.
        int ra = form == MatmulForm.TN ? 1 : k, ka = form == MatmulForm.TN ? m : 1;
        // Pairs of vectors 4 rows at a time, then a last single vector (or all of a narrow b) 8 rows at a time.
        int pairsEnd = np / (2 * L) * (2 * L);
        for (int i = 0; pairsEnd > 0 && i < m; i += 4) {
            rows4x2(out, outFirst, as, bs, w.tile, ra, ka, accumulate, m, n, np, k, i, pairsEnd);
        }
        for (int i = 0; pairsEnd < np && i < m; i += 8) {
            rows8x1(out, outFirst, as, bs, w.tile, ra, ka, accumulate, m, n, np, k, i, pairsEnd);
        }
    }

    /**
     * bs[kk·np + j] = raw[j·k + kk] for j < n, kk < k, and 0 for n ≤ j < np: whole L × L blocks by lane permutes
     * ({@link LaneTranspose}; an element-by-element transpose was the larger part of this path's copying), the edges
     * element by element.
     */
    private static void transposeInto(float[] bs, float[] raw, int n, int k, int np) {
        int jb = n / L * L, kb = k / L * L;
        for (int j0 = 0; j0 < jb; j0 += L) {
            for (int kk0 = 0; kk0 < kb; kk0 += L) {
                LaneTranspose.transpose(raw, j0 * k + kk0, k, bs, bs, kk0 * np + j0, np, 0);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            int row = kk * np;
            for (int j = kk < kb ? jb : 0; j < n; j++) bs[row + j] = raw[j * k + kk];
            for (int j = n; j < np; j++) bs[row + j] = 0f;
        }
    }

    /**
     * Rows [i, i + 4) of C (rows past m read row m − 1 and are not stored), columns [0, end) two vectors at a
     * time: 8 accumulators, 2 B loads and 4 broadcasts per k.
     */
    private static void rows4x2(MemorySegment out, long outFirst, float[] as, float[] bs, float[] tile, int ra, int ka,
                                boolean accumulate, int m, int n, int np, int k, int i, int end) {
        int a0 = Math.min(i, m - 1) * ra, a1 = Math.min(i + 1, m - 1) * ra;
        int a2 = Math.min(i + 2, m - 1) * ra, a3 = Math.min(i + 3, m - 1) * ra;
        for (int j = 0; j < end; j += 2 * L) {
            FloatVector z = FloatVector.zero(S);
            FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
            for (int kk = 0; kk < k; kk++) {
                int bo = kk * np + j, ko = kk * ka;
                FloatVector b0 = FloatVector.fromArray(S, bs, bo), b1 = FloatVector.fromArray(S, bs, bo + L);
                FloatVector x0 = FloatVector.broadcast(S, as[a0 + ko]);
                c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
                FloatVector x1 = FloatVector.broadcast(S, as[a1 + ko]);
                c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
                FloatVector x2 = FloatVector.broadcast(S, as[a2 + ko]);
                c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
                FloatVector x3 = FloatVector.broadcast(S, as[a3 + ko]);
                c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            }
            c00.intoArray(tile, 0); c01.intoArray(tile, L);
            c10.intoArray(tile, 2 * L); c11.intoArray(tile, 3 * L);
            c20.intoArray(tile, 4 * L); c21.intoArray(tile, 5 * L);
            c30.intoArray(tile, 6 * L); c31.intoArray(tile, 7 * L);
            flush(out, outFirst, n, m, i, j, 4, 2, tile, accumulate);
        }
    }

    /** Rows [i, i + 8) of C, columns [from, np) one vector at a time: 8 accumulators, 1 B load, 8 broadcasts per k. */
    private static void rows8x1(MemorySegment out, long outFirst, float[] as, float[] bs, float[] tile, int ra, int ka,
                                boolean accumulate, int m, int n, int np, int k, int i, int from) {
        int a0 = Math.min(i, m - 1) * ra, a1 = Math.min(i + 1, m - 1) * ra;
        int a2 = Math.min(i + 2, m - 1) * ra, a3 = Math.min(i + 3, m - 1) * ra;
        int a4 = Math.min(i + 4, m - 1) * ra, a5 = Math.min(i + 5, m - 1) * ra;
        int a6 = Math.min(i + 6, m - 1) * ra, a7 = Math.min(i + 7, m - 1) * ra;
        for (int j = from; j < np; j += L) {
            FloatVector z = FloatVector.zero(S);
            FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
            for (int kk = 0; kk < k; kk++) {
                int ko = kk * ka;
                FloatVector b0 = FloatVector.fromArray(S, bs, kk * np + j);
                c0 = b0.fma(FloatVector.broadcast(S, as[a0 + ko]), c0);
                c1 = b0.fma(FloatVector.broadcast(S, as[a1 + ko]), c1);
                c2 = b0.fma(FloatVector.broadcast(S, as[a2 + ko]), c2);
                c3 = b0.fma(FloatVector.broadcast(S, as[a3 + ko]), c3);
                c4 = b0.fma(FloatVector.broadcast(S, as[a4 + ko]), c4);
                c5 = b0.fma(FloatVector.broadcast(S, as[a5 + ko]), c5);
                c6 = b0.fma(FloatVector.broadcast(S, as[a6 + ko]), c6);
                c7 = b0.fma(FloatVector.broadcast(S, as[a7 + ko]), c7);
            }
            c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
            c4.intoArray(tile, 4 * L); c5.intoArray(tile, 5 * L); c6.intoArray(tile, 6 * L); c7.intoArray(tile, 7 * L);
            flush(out, outFirst, n, m, i, j, 8, 1, tile, accumulate);
        }
    }

    /**
     * C[i + r, j + v·L ..] = tile[(r·vectors + v)·L ..] for r < rows with i + r < m, v < vectors, columns below n, or
     * += when accumulating. The accumulators reach C through this array, never as vector arguments: a vector handed to
     * a call C2 does not inline is boxed, and in a loop-carried chain that box can be made on every k (ReduceCpu).
     */
    private static void flush(MemorySegment out, long outFirst, int n, int m, int i, int j, int rows, int vectors,
                              float[] tile, boolean accumulate) {
        for (int r = 0; r < rows && i + r < m; r++) {
            long row = outFirst + (long) (i + r) * n;
            for (int v = 0; v < vectors; v++) {
                int c0 = j + v * L, t = (r * vectors + v) * L;
                if (c0 + L <= n) {
                    long o = (row + c0) * Float.BYTES;
                    FloatVector c = FloatVector.fromArray(S, tile, t);
                    if (accumulate) c = FloatVector.fromMemorySegment(S, out, o, BO).add(c);
                    c.intoMemorySegment(out, o, BO);
                } else {                                   // the last, partial vector of a row
                    for (int c = c0; c < n; c++) {
                        float s = tile[t + c - c0];
                        out.setAtIndex(F, row + c, accumulate ? out.getAtIndex(F, row + c) + s : s);
                    }
                }
            }
        }
    }
}
