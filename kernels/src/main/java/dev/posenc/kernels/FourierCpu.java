package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused Fourier feature projection (Tancik et al. 2020; Li et al. 2021, "Learnable Fourier Features"),
 * with x (N, M) positions, w (K, M) frequencies, out (N, 2K):
 * <pre>
 *   forward:   z = x·wᵀ (N, K);  out = [cos z ‖ sin z]·scale
 *   backward:  dOut = [dC ‖ dS];  g = (dS⊙cos z − dC⊙sin z)·scale;  dx += g·w;  dw += gᵀ·x
 * </pre>
 * z is never stored as an (N, K) tensor: with M ≤ 8 coordinates it costs M fused multiply-adds per element
 * to recompute, less than writing and re-reading an N×K buffer. The vector kernels compute z for one row,
 * a vector of consecutive k at a time (16 lanes on AVX-512) from the row's M coordinates, into a K-float
 * buffer that stays in L1, then take sin and cos from one shared reduction ({@link SinCos#cosSin}) into two
 * more and copy them to the two halves of the output row. Twins: {@link #forwardScalar}, {@link #backwardScalar}; the vector
 * loops finish each row's k tail with the same scalar code, and the forward agrees with its twin bit for bit.
 */
public final class FourierCpu {
    private FourierCpu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** A row costs about K·(M + 40)/L vector ops; below 64 rows a task is not worth a thread hand-off. */
    private static final long MIN_ROWS_PER_TASK = 64;
    /** The most per-chunk partial dw buffers the backward sums (see {@link #backward}). */
    private static final int MAX_DW_PARTIALS = 64;

    /**
     * out (N, 2K) = [cos(x·wᵀ) ‖ sin(x·wᵀ)]·scale, x (N, M), w (K, M). Modifies out only.
     *
     * @throws IllegalArgumentException naming the argument, when the shapes do not fit
     */
    public static void forward(Parallel p, Tensor out, Tensor x, Tensor w, float scale) {
        checkForward(out, x, w);
        int m = x.cols(), k = w.rows();
        float[] wt = transpose(w);
        MemorySegment os = out.data(), xs = x.data();
        p.forRange(x.rows(), MIN_ROWS_PER_TASK, (from, to) -> forwardRows(os, xs, wt, (int) from, (int) to, m, k, scale));
    }

    /** The twin of {@link #forward}: plain loops, {@link SinCos} scalar. Modifies out only. */
    public static void forwardScalar(Tensor out, Tensor x, Tensor w, float scale) {
        checkForward(out, x, w);
        int n = x.rows(), m = x.cols(), k = w.rows();
        for (int row = 0; row < n; row++) {
            for (int j = 0; j < k; j++) {
                float z = 0f;
                for (int c = 0; c < m; c++) z = Math.fma(w.get(j, c), x.get(row, c), z);
                out.set(row, j, SinCos.cosScalar(z) * scale);
                out.set(row, k + j, SinCos.sinScalar(z) * scale);
            }
        }
    }

    /**
     * With dOut = [dC ‖ dS] (N, 2K) and g = (dS⊙cos z − dC⊙sin z)·scale, z = x·wᵀ recomputed:
     * dx += g·w (N, M), skipped when dx is null; dw += gᵀ·x (K, M). Modifies dx and dw.
     *
     * <p>dw sums over all N rows, so threads cannot write it directly. The rows are cut into a number of
     * chunks that depends on N only (at most {@value #MAX_DW_PARTIALS}); each chunk fills its own partial
     * dw, and the partials are added to dw in chunk order. The result is therefore the same for any thread
     * count, not just deterministic for a given one; the partials cost at most 64·K·M floats, and their sum
     * K·M·64 adds, nothing next to N·K sin/cos. dx rows are disjoint, so chunks write them directly.
     *
     * @throws IllegalArgumentException naming the argument, when the shapes do not fit
     */
    public static void backward(Parallel p, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        checkBackward(dx, dw, dOut, x, w);
        backwardChunks(p, dx, dw, dOut, x, w, null, scale);
    }

    /** The chunked backward of the two public forms: cos z and sin z from out when it is not null, else recomputed. */
    private static void backwardChunks(Parallel p, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor out,
                                       float scale) {
        int n = x.rows(), m = x.cols(), k = w.rows();
        float[] wt = transpose(w);
        int chunks = (int) Math.max(1, Math.min(MAX_DW_PARTIALS, n / MIN_ROWS_PER_TASK));
        float[][] partial = new float[chunks][m * k];
        MemorySegment dxs = dx == null ? null : dx.data(), gs = dOut.data(), xs = x.data();
        MemorySegment os = out == null ? null : out.data();
        p.forEach(chunks, c -> backwardRows(partial[c], dxs, gs, xs, os, wt,
                (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks), m, k, scale));
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < m; c++) {
                float sum = 0f;
                for (float[] part : partial) sum += part[c * k + j];
                dw.set(j, c, dw.get(j, c) + sum);
            }
        }
    }

    /**
     * {@link #backward} given also out = the forward's output [cos z ‖ sin z]·scale: with scale = 1 it holds cos z
     * and sin z exactly, so they are read from it (one more row of reads) instead of recomputing z, cos and sin; the
     * same bits. Any other scale (or out null) recomputes: out's products would round differently. Modifies dx and dw.
     */
    public static void backward(Parallel p, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor out,
                                float scale) {
        if (out == null || scale != 1f) {
            backward(p, dx, dw, dOut, x, w, scale);
            return;
        }
        checkBackward(dx, dw, dOut, x, w);
        Shapes.same("fourierBackward", "out", dOut, out);
        backwardChunks(p, dx, dw, dOut, x, w, out, scale);
    }

    /** The twin of {@link #backward}: plain loops over rows in order, {@link SinCos} scalar. Modifies dx and dw. */
    public static void backwardScalar(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        checkBackward(dx, dw, dOut, x, w);
        int n = x.rows(), m = x.cols(), k = w.rows();
        for (int row = 0; row < n; row++) {
            for (int j = 0; j < k; j++) {
                float z = 0f;
                for (int c = 0; c < m; c++) z = Math.fma(w.get(j, c), x.get(row, c), z);
                float g = gElement(dOut.get(row, k + j), SinCos.cosScalar(z), dOut.get(row, j), SinCos.sinScalar(z), scale);
                for (int c = 0; c < m; c++) {
                    if (dx != null) dx.set(row, c, dx.get(row, c) + g * w.get(j, c));
                    dw.set(j, c, dw.get(j, c) + g * x.get(row, c));
                }
            }
        }
    }

    // ---- vector kernels: one row at a time, one vector of L consecutive k at a time ----

    private static void forwardRows(MemorySegment out, MemorySegment x, float[] wt, int from, int to, int m, int k,
                                    float scale) {
        float[] z = new float[k], cos = new float[k], sin = new float[k];
        for (int row = from; row < to; row++) {
            long outRow = (long) row * 2 * k;
            zRow(z, x, (long) row * m, wt, m, k);
            SinCos.cosSin(cos, sin, z, k, scale);
            MemorySegment.copy(cos, 0, out, FLOAT, outRow * Float.BYTES, k);
            MemorySegment.copy(sin, 0, out, FLOAT, (outRow + k) * Float.BYTES, k);
        }
    }

    /**
     * Rows [from, to): dx rows written in place (when dx is not null), dw summed into {@code dwPart}, laid
     * out (M, K) so that a vector of k is contiguous. Each row goes in phases through K-float buffers that
     * stay in L1: z, then cos z and sin z (or g straight from dOut's and out's rows), then g, then the M rank-1 updates of dw
     * and the M dot products of dx.
     */
    private static void backwardRows(float[] dwPart, MemorySegment dx, MemorySegment dOut, MemorySegment x,
                                     MemorySegment out, float[] wt, int from, int to, int m, int k, float scale) {
        float[] z = new float[k], cos = new float[k], sin = new float[k], g = new float[k];
        for (int row = from; row < to; row++) {
            long xRow = (long) row * m, outRow = (long) row * 2 * k;
            if (out != null) {                        // scale 1: out's row is [cos z ‖ sin z] itself
                gRowKept(g, dOut, out, outRow, k, scale);
            } else {
                zRow(z, x, xRow, wt, m, k);
                SinCos.cosSin(cos, sin, z, k, 1f);
                gRow(g, dOut, outRow, cos, sin, k, scale);
            }
            for (int c = 0; c < m; c++) {
                addScaled(dwPart, c * k, g, x.getAtIndex(FLOAT, xRow + c), k);
                if (dx != null) dx.setAtIndex(FLOAT, xRow + c, dx.getAtIndex(FLOAT, xRow + c) + dot(g, wt, c * k, k));
            }
        }
    }

    /**
     * z[j] = Σ_c w[j, c]·x[row, c] for j in [0, k): one fma per coordinate, c in order, vector and tail alike
     * (the twins run the same chain, so z has the same bits). Kept in a K-float buffer rather than passed to
     * SinCos as a vector: see SinCos' speed notes.
     */
    private static void zRow(float[] z, MemorySegment x, long xRow, float[] wt, int m, int k) {
        int kb = S.loopBound(k);
        for (int j = 0; j < kb; j += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int c = 0; c < m; c++) {
                acc = FloatVector.fromArray(S, wt, c * k + j).fma(FloatVector.broadcast(S, x.getAtIndex(FLOAT, xRow + c)), acc);
            }
            acc.intoArray(z, j);
        }
        for (int j = kb; j < k; j++) {
            float acc = 0f;
            for (int c = 0; c < m; c++) acc = Math.fma(wt[c * k + j], x.getAtIndex(FLOAT, xRow + c), acc);
            z[j] = acc;
        }
    }

    /** g[j] = (dS[j]·cos[j] − dC[j]·sin[j])·scale, with dC and dS the two halves of the dOut row at outRow. */
    private static void gRow(float[] g, MemorySegment dOut, long outRow, float[] cos, float[] sin, int k, float scale) {
        int kb = S.loopBound(k);
        for (int j = 0; j < kb; j += L) {
            FloatVector dC = FloatVector.fromMemorySegment(S, dOut, (outRow + j) * Float.BYTES, ORDER);
            FloatVector dS = FloatVector.fromMemorySegment(S, dOut, (outRow + k + j) * Float.BYTES, ORDER);
            dS.mul(FloatVector.fromArray(S, cos, j)).sub(dC.mul(FloatVector.fromArray(S, sin, j))).mul(scale).intoArray(g, j);
        }
        for (int j = kb; j < k; j++) {
            g[j] = gElement(dOut.getAtIndex(FLOAT, outRow + k + j), cos[j], dOut.getAtIndex(FLOAT, outRow + j), sin[j], scale);
        }
    }

    /** {@link #gRow} with cos z and sin z read from the forward's output row at outRow (its two halves, scale 1). */
    private static void gRowKept(float[] g, MemorySegment dOut, MemorySegment out, long outRow, int k, float scale) {
        int kb = S.loopBound(k);
        for (int j = 0; j < kb; j += L) {
            long c = (outRow + j) * Float.BYTES, s = (outRow + k + j) * Float.BYTES;
            FloatVector dC = FloatVector.fromMemorySegment(S, dOut, c, ORDER);
            FloatVector dS = FloatVector.fromMemorySegment(S, dOut, s, ORDER);
            FloatVector cos = FloatVector.fromMemorySegment(S, out, c, ORDER);
            FloatVector sin = FloatVector.fromMemorySegment(S, out, s, ORDER);
            dS.mul(cos).sub(dC.mul(sin)).mul(scale).intoArray(g, j);
        }
        for (int j = kb; j < k; j++) {
            g[j] = gElement(dOut.getAtIndex(FLOAT, outRow + k + j), out.getAtIndex(FLOAT, outRow + j),
                    dOut.getAtIndex(FLOAT, outRow + j), out.getAtIndex(FLOAT, outRow + k + j), scale);
        }
    }

    /** One lane of {@link #gRow}, shared with the twin: the same operations in the same order. */
    private static float gElement(float dS, float cos, float dC, float sin, float scale) {
        return (dS * cos - dC * sin) * scale;
    }

    /** acc[off + j] += g[j]·s for j in [0, k). */
    private static void addScaled(float[] acc, int off, float[] g, float s, int k) {
        int kb = S.loopBound(k);
        FloatVector sv = FloatVector.broadcast(S, s);
        for (int j = 0; j < kb; j += L) {
            FloatVector.fromArray(S, g, j).fma(sv, FloatVector.fromArray(S, acc, off + j)).intoArray(acc, off + j);
        }
        for (int j = kb; j < k; j++) acc[off + j] = Math.fma(g[j], s, acc[off + j]);
    }

    /** Σ_j g[j]·v[off + j] for j in [0, k). */
    private static float dot(float[] g, float[] v, int off, int k) {
        int kb = S.loopBound(k);
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < kb; j += L) acc = FloatVector.fromArray(S, g, j).fma(FloatVector.fromArray(S, v, off + j), acc);
        float sum = Lanes.sum(acc);
        for (int j = kb; j < k; j++) sum = Math.fma(g[j], v[off + j], sum);
        return sum;
    }

    /** w (K, M) transposed to (M, K) on the heap: K·M floats, a few KB, so each vector of k is one load. */
    private static float[] transpose(Tensor w) {
        int k = w.rows(), m = w.cols();
        float[] wt = new float[m * k];
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < m; c++) wt[c * k + j] = w.get(j, c);
        }
        return wt;
    }

    // ---- argument checks, shared with the twins ----

    private static void checkForward(Tensor out, Tensor x, Tensor w) {
        String op = "fourierForward";
        Shapes.rank2(op, "x", x);
        if (w.rank() != 2 || w.cols() != x.cols()) {
            Shapes.require(false, op, "w", "(K, %d)".formatted(x.cols()), w.shape());   // formatted only on failure
        }
        Shapes.shape(op, "out", out, x.rows(), 2 * w.rows());
    }

    private static void checkBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w) {
        String op = "fourierBackward";
        Shapes.rank2(op, "x", x);
        if (w.rank() != 2 || w.cols() != x.cols()) {
            Shapes.require(false, op, "w", "(K, %d)".formatted(x.cols()), w.shape());   // formatted only on failure
        }
        Shapes.shape(op, "dOut", dOut, x.rows(), 2 * w.rows());
        Shapes.shape(op, "dw", dw, w.rows(), w.cols());
        if (dx != null) Shapes.shape(op, "dx", dx, x.rows(), x.cols());
    }
}
