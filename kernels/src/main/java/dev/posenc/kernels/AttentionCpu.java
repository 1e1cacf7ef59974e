package dev.posenc.kernels;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention with memory linear in T (Dao et al. 2022, FlashAttention; Dao 2023, FA-2).
 * q (N, Tq, d), k and v (N, Tk, d), out (N, Tq, d), logsumexp (N, Tq); N = batch·heads. S = scale·q·kᵀ.
 *
 * <p>Forward, per (entry, block of {@link #BLOCK_Q} queries), over key blocks of {@link #BLOCK_K}: the block of
 * scores s = scale·q_i·k_j; then per query row, with running max m, running sum l and running output acc:
 * <pre>
 *   m′ = max(m, max_j s_ij);  p_ij = exp(s_ij − m′);  c = exp(m − m′)   (c = 0 on the first block: m = −∞)
 *   l ← c·l + Σ_j p_ij;       acc ← c·acc + Σ_j p_ij·v_j;                m ← m′
 *   at the end: out_i = acc / l;  logsumexp_i = m + log l
 * </pre>
 * The only scores in memory are one (BLOCK_Q × BLOCK_K) block per task.
 *
 * <p>Backward (FA-2), from D_i = dOut_i·out_i and p_ij = exp(s_ij − logsumexp_i), recomputed one row of a
 * key block at a time: dv_j += Σ_i p_ij·dOut_i;  ds_ij = p_ij·(dOut_i·v_j − D_i);  dk_j += scale·Σ_i ds_ij·q_i;
 * dq_i += scale·Σ_j ds_ij·k_j. FA-2 on a GPU adds dq atomically; here a first pass owns key blocks (dk, dv)
 * and a second owns query blocks (dq), so no two threads write one row, at the cost of forming s twice.
 *
 * <p>Each helper has a vector body along d (or along keys) whose tail is its scalar loop; the twins
 * ({@link #forwardScalar}, {@link #backwardScalar}) run the same blocks with the scalar loops only, on one thread.
 */
public final class AttentionCpu {
    private AttentionCpu() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final ByteOrder BO = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Queries per forward task: 32 rows of acc at d = 64 are 8 KiB, beside a 32 × 64 score block (8 KiB). */
    static final int BLOCK_Q = 32;
    /** Keys per block: 64 keys × d = 64 of k and of v are 32 KiB, which stay in L2 while the queries stream. */
    static final int BLOCK_K = 64;

    /** Checked sizes: entries, queries, keys, head dimension. */
    private record Dims(int n, int tq, int tk, int d) {
        long qRow(int e, int i) { return ((long) e * tq + i) * d * Float.BYTES; }

        long kRow(int e, int j) { return ((long) e * tk + j) * d * Float.BYTES; }
    }

    // ---------------------------------------------------------------- forward

    /** Writes out and logsumexp from q, k, v (see the class comment). out must not overlap q, k, v. */
    public static void forward(Parallel p, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, float scale) {
        forward(p, out, lse, q, k, v, scale, BLOCK_Q, BLOCK_K, true);
    }

    /** The scalar twin of {@link #forward}: the same blocks, scalar loops, the calling thread. */
    public static void forwardScalar(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, float scale) {
        forward(null, out, lse, q, k, v, scale, BLOCK_Q, BLOCK_K, false);
    }

    /** Block sizes are arguments so that tests reach several blocks and ragged edges with small T. */
    static void forward(Parallel p, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, float scale,
                        int bq, int bk, boolean simd) {
        Dims dm = check("attentionForward", q, k, v);
        Shapes.same("attentionForward", "out", q, out);
        Shapes.shape("attentionForward", "logsumexp", lse, dm.n, dm.tq);
        for (Tensor in : new Tensor[] {q, k, v}) {
            Shapes.require(out.data().asOverlappingSlice(in.data()).isEmpty(), "attentionForward", "out",
                    "memory apart from q, k and v", "overlapping memory");
        }
        int qBlocks = ceilDiv(dm.tq, bq);
        run(p, dm.n * qBlocks, t -> forwardBlock(out.data(), lse.data(), q.data(), k.data(), v.data(), dm,
                t / qBlocks, (t % qBlocks) * bq, bq, bk, scale, simd));
    }

    private static void forwardBlock(MemorySegment o, MemorySegment lse, MemorySegment q, MemorySegment k,
                                     MemorySegment v, Dims dm, int e, int i0, int bq, int bk, float scale,
                                     boolean simd) {
        int rows = Math.min(bq, dm.tq - i0), d = dm.d;
        float[] s = new float[rows * bk], m = new float[rows], acc = new float[rows * d];
        double[] l = new double[rows];
        float[] lanes = Lanes.scratch();
        Arrays.fill(m, Float.NEGATIVE_INFINITY);
        for (int j0 = 0; j0 < dm.tk; j0 += bk) {
            int cols = Math.min(bk, dm.tk - j0);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) s[i * bk + j] = scale * dot(simd, q, dm.qRow(e, i0 + i), k, dm.kRow(e,
                        j0 + j), d);
            }
            for (int i = 0; i < rows; i++) {
                float mNew = Math.max(m[i], max(simd, s, i * bk, cols));
                float c = (float) Math.exp(m[i] - mNew);        // rescales what earlier blocks summed
                l[i] = l[i] * c + expShift(simd, s, i * bk, cols, mNew, lanes);
                scale(simd, acc, i * d, d, c);
                for (int j = 0; j < cols; j++) axpy(simd, acc, i * d, s[i * bk + j], v, dm.kRow(e, j0 + j), d);
                m[i] = mNew;
            }
        }
        for (int i = 0; i < rows; i++) {
            store(simd, o, dm.qRow(e, i0 + i), acc, i * d, d, (float) (1 / l[i]));
            lse.setAtIndex(F, (long) e * dm.tq + i0 + i, (float) (m[i] + Math.log(l[i])));
        }
    }

    // ---------------------------------------------------------------- backward

    /** Adds into dq, dk, dv (each may be null); see the class comment. */
    public static void backward(Parallel p, Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor lse,
                                Tensor q, Tensor k, Tensor v, float scale) {
        backward(p, dq, dk, dv, dOut, out, lse, q, k, v, scale, BLOCK_Q, BLOCK_K, true);
    }

    /** The scalar twin of {@link #backward}. */
    public static void backwardScalar(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor lse,
                                      Tensor q, Tensor k, Tensor v, float scale) {
        backward(null, dq, dk, dv, dOut, out, lse, q, k, v, scale, BLOCK_Q, BLOCK_K, false);
    }

    static void backward(Parallel p, Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor lse,
                         Tensor q, Tensor k, Tensor v, float scale, int bq, int bk, boolean simd) {
        String op = "attentionBackward";
        Dims dm = check(op, q, k, v);
        Shapes.same(op, "dOut", q, dOut);
        Shapes.same(op, "out", q, out);
        Shapes.shape(op, "logsumexp", lse, dm.n, dm.tq);
        if (dq != null) Shapes.same(op, "dq", q, dq);
        if (dk != null) Shapes.same(op, "dk", k, dk);
        if (dv != null) Shapes.same(op, "dv", v, dv);
        int d = dm.d;
        // D_i = dOut_i·out_i = Σ_j p_ij·(dOut_i·v_j): the row term of softmax's backward, once per query.
        float[] dRow = new float[dm.n * dm.tq];
        run(p, dm.n, e -> {
            for (int i = 0; i < dm.tq; i++) dRow[e * dm.tq + i] = dot(simd, dOut.data(), dm.qRow(e, i), out.data(),
                    dm.qRow(e, i), d);
        });
        MemorySegment qs = q.data(), ks = k.data(), vs = v.data(), dos = dOut.data(), ls = lse.data();
        if (dk != null || dv != null) {
            int kBlocks = ceilDiv(dm.tk, bk);
            run(p, dm.n * kBlocks, t -> {
                int e = t / kBlocks, j0 = (t % kBlocks) * bk, cols = Math.min(bk, dm.tk - j0);
                float[] pRow = new float[cols], lanes = Lanes.scratch();
                for (int i = 0; i < dm.tq; i++) {
                    long qa = dm.qRow(e, i);
                    probabilities(simd, pRow, qs, qa, ks, dm, e, j0, cols, ls.getAtIndex(F, (long) e * dm.tq + i),
                            scale, lanes);
                    for (int j = 0; j < cols; j++) {
                        long ka = dm.kRow(e, j0 + j);
                        if (dv != null) axpy(simd, dv.data(), ka, pRow[j], dos, qa, d);
                        if (dk != null) {
                            float ds = pRow[j] * (dot(simd, dos, qa, vs, ka, d) - dRow[e * dm.tq + i]);
                            axpy(simd, dk.data(), ka, scale * ds, qs, qa, d);
                        }
                    }
                }
            });
        }
        if (dq != null) {
            int qBlocks = ceilDiv(dm.tq, bq);
            run(p, dm.n * qBlocks, t -> {
                int e = t / qBlocks, i0 = (t % qBlocks) * bq, rows = Math.min(bq, dm.tq - i0);
                float[] pRow = new float[Math.min(bk, dm.tk)], lanes = Lanes.scratch();
                for (int i = i0; i < i0 + rows; i++) {
                    long qa = dm.qRow(e, i);
                    float lseI = ls.getAtIndex(F, (long) e * dm.tq + i), dI = dRow[e * dm.tq + i];
                    for (int j0 = 0; j0 < dm.tk; j0 += bk) {
                        int cols = Math.min(bk, dm.tk - j0);
                        probabilities(simd, pRow, qs, qa, ks, dm, e, j0, cols, lseI, scale, lanes);
                        for (int j = 0; j < cols; j++) {
                            long ka = dm.kRow(e, j0 + j);
                            float ds = pRow[j] * (dot(simd, dos, qa, vs, ka, d) - dI);
                            axpy(simd, dq.data(), qa, scale * ds, ks, ka, d);
                        }
                    }
                }
            });
        }
    }

    /** pRow[j] = exp(scale·q_i·k_j − lse_i) for the keys j0 .. j0 + cols: one row of a block of P, recomputed. */
    private static void probabilities(boolean simd, float[] pRow, MemorySegment q, long qa, MemorySegment k, Dims dm,
                                      int e, int j0, int cols, float lse, float scale, float[] lanes) {
        for (int j = 0; j < cols; j++) pRow[j] = scale * dot(simd, q, qa, k, dm.kRow(e, j0 + j), dm.d);
        expShift(simd, pRow, 0, cols, lse, lanes);
    }

    // ---------------------------------------------------------------- pieces: vector body, scalar tail

    /** Σ_c a[c]·b[c] over d floats at byte offsets aAt and bAt. */
    static float dot(boolean simd, MemorySegment a, long aAt, MemorySegment b, long bAt, int d) {
        int c = 0;
        float sum = 0;
        if (simd && d >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(d); c < bound; c += L) {
                acc = FloatVector.fromMemorySegment(S, a, aAt + (long) c * Float.BYTES, BO)
                        .fma(FloatVector.fromMemorySegment(S, b, bAt + (long) c * Float.BYTES, BO), acc);
            }
            sum = Lanes.sum(acc);
        }
        for (; c < d; c++) sum = Math.fma(a.get(F, aAt + (long) c * Float.BYTES), b.get(F,
                bAt + (long) c * Float.BYTES), sum);
        return sum;
    }

    /** max of s[off .. off + n). */
    static float max(boolean simd, float[] s, int off, int n) {
        int j = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (simd && n >= L) {
            FloatVector vm = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int bound = S.loopBound(n); j < bound; j += L) vm = vm.max(FloatVector.fromArray(S, s, off + j));
            m = vm.reduceLanes(VectorOperators.MAX);
        }
        for (; j < n; j++) m = Math.max(m, s[off + j]);
        return m;
    }

    /**
     * s ← exp(s − shift) over s[off .. off + n); returns Σ of the new values, its lane sums kept in {@code lanes}
     * (L floats).
     */
    static double expShift(boolean simd, float[] s, int off, int n, float shift, float[] lanes) {
        int j = 0;
        double sum = 0;
        if (simd && n >= L) {
            FloatVector vs = FloatVector.broadcast(S, shift);
            // lane sums in memory: see SoftmaxCpu.expShift
            FloatVector.zero(S).intoArray(lanes, 0);
            for (int bound = S.loopBound(n); j < bound; j += L) {
                FloatVector p = Exp.exp(FloatVector.fromArray(S, s, off + j).sub(vs));
                p.intoArray(s, off + j);
                FloatVector.fromArray(S, lanes, 0).add(p).intoArray(lanes, 0);
            }
            sum = Lanes.sum(lanes, 0);
        }
        for (; j < n; j++) {
            s[off + j] = Exp.expScalar(s[off + j] - shift);
            sum += s[off + j];
        }
        return sum;
    }

    /** a[off .. off + n) *= c. */
    static void scale(boolean simd, float[] a, int off, int n, float c) {
        int j = 0;
        if (simd) {
            for (int bound = S.loopBound(n); j < bound; j += L) {
                FloatVector.fromArray(S, a, off + j).mul(c).intoArray(a, off + j);
            }
        }
        for (; j < n; j++) a[off + j] *= c;
    }

    /** acc[off .. off + d) += alpha·x[xAt ..]: a row of v, weighted by its probability. */
    static void axpy(boolean simd, float[] acc, int off, float alpha, MemorySegment x, long xAt, int d) {
        int c = 0;
        if (simd) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (int bound = S.loopBound(d); c < bound; c += L) {
                FloatVector.fromMemorySegment(S, x, xAt + (long) c * Float.BYTES, BO)
                        .fma(va, FloatVector.fromArray(S, acc, off + c)).intoArray(acc,
                        off + c);
            }
        }
        for (; c < d; c++) acc[off + c] = Math.fma(alpha, x.get(F, xAt + (long) c * Float.BYTES), acc[off + c]);
    }

    /** y[yAt ..] += alpha·x[xAt ..] over d floats, both in native memory: a gradient row accumulating. */
    static void axpy(boolean simd, MemorySegment y, long yAt, float alpha, MemorySegment x, long xAt, int d) {
        int c = 0;
        if (simd) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (int bound = S.loopBound(d); c < bound; c += L) {
                long yc = yAt + (long) c * Float.BYTES;
                FloatVector.fromMemorySegment(S, x, xAt + (long) c * Float.BYTES, BO)
                        .fma(va, FloatVector.fromMemorySegment(S, y, yc, BO)).intoMemorySegment(y, yc, BO);
            }
        }
        for (; c < d; c++) {
            long yc = yAt + (long) c * Float.BYTES;
            y.set(F, yc, Math.fma(alpha, x.get(F, xAt + (long) c * Float.BYTES), y.get(F, yc)));
        }
    }

    /** out[at ..] = c·acc[off .. off + d). */
    static void store(boolean simd, MemorySegment out, long at, float[] acc, int off, int d, float c) {
        int j = 0;
        if (simd) {
            for (int bound = S.loopBound(d); j < bound; j += L) {
                FloatVector.fromArray(S, acc, off + j).mul(c).intoMemorySegment(out, at + (long) j * Float.BYTES, BO);
            }
        }
        for (; j < d; j++) out.set(F, at + (long) j * Float.BYTES, acc[off + j] * c);
    }

    // ---------------------------------------------------------------- checks and scheduling

    private static Dims check(String op, Tensor q, Tensor k, Tensor v) {
        Shapes.require(q.rank() == 3, op, "q", "a 3-D tensor (N, Tq, d)", q.shape());
        Shapes.require(k.rank() == 3, op, "k", "a 3-D tensor (N, Tk, d)", k.shape());
        int n = q.shape().dim(0), tq = q.shape().dim(1), d = q.shape().dim(2), tk = k.shape().dim(1);
        Shapes.require(k.shape().dim(0) == n && k.shape().dim(2) == d && tk > 0, op, "k",
                "(%d, Tk ≥ 1, %d) (q is %s)".formatted(n, d, q.shape()), k.shape());
        Shapes.require(v.shape().equals(k.shape()), op, "v", k.shape() + " as k", v.shape());
        Shapes.require(d > 0, op, "q", "a head dimension d ≥ 1", q.shape());
        return new Dims(n, tq, tk, d);
    }

    /** Tasks on the threads, or in order on the caller for the twin (p == null). */
    private static void run(Parallel p, int tasks, IntConsumer body) {
        if (p == null) {
            for (int t = 0; t < tasks; t++) body.accept(t);
        } else {
            p.forEach(tasks, body);
        }
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }
}
