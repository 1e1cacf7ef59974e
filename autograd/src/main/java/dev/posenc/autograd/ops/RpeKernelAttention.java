package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.KernelRatio.Dims;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.ToeplitzKernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernelized attention with a relative positional encoding, in O(n log n) through Toeplitz products (Luo et al. 2021
 * §3.2; spec §5.1–§5.2). Inputs are the features φq = φ(q), φk = φ(k) (N, n, m), all &gt; 0 (see {@link KernelFeatures}),
 * v (N, n, dv), and the RPE b (H, 2n − 1): b[h, t] is head h's bias of the relative offset i − j = t − (n − 1).
 * Entry e of N = B·H uses head e mod H. With c = exp(b) (c = 0 for the future offsets j &gt; i when causal):
 * <pre>
 *   z_i = Σ_j c_{i−j} φq_iᵀφk_j v_j / Σ_j c_{i−j} φq_iᵀφk_j
 *       = φq_iᵀ D_i[:, :dv] / φq_iᵀ D_i[:, dv],    D = C·U,  U_j = φk_j ⊗ [v_j ‖ 1]   (n, m·(dv + 1))
 * </pre>
 * C[i][j] = c_{i−j} is Toeplitz, so D = C·U is one {@link ToeplitzKernels#toeplitzMultiply} (an FFT of length ≥ 2n per
 * column) instead of an n × n matrix.
 *
 * <p>Backward. With g = ∂loss/∂[num ‖ den] ({@link KernelRatio}) and dD_i = φq_i ⊗ g_i:
 * <pre>
 *   dφq_i[r] += Σ_c D_i[r, c]·g_i[c]
 *   dU = Cᵀ·dD                         (a Toeplitz product again: see below)
 *   dφk_j[r] += Σ_c dU_j[r, c]·[v_j ‖ 1][c];      dv_j[c] += Σ_r dU_j[r, c]·φk_j[r]      (c &lt; dv)
 *   dc_t = Σ_{i−j = t−(n−1)} dD_i·U_j  ({@link ToeplitzKernels#toeplitzWeightGradAccumulate});   db += dc ⊙ c
 * </pre>
 * The transpose of a Toeplitz matrix is Toeplitz with its weights reversed: Cᵀ[i][j] = C[j][i] = c[j − i + n − 1]
 * = c'[i − j + n − 1] with c'[t] = c[2n − 2 − t]. So dU = toeplitzMultiply(c', dD). Causal masking needs no extra
 * rule: c = 0 at the masked offsets makes their db = dc ⊙ c vanish, and c' is then upper-triangular, as Cᵀ must be.
 *
 * <p>Memory: U is never stored whole. The m features are taken in chunks of R (N·n·R·(dv + 1) ≤ {@value #CHUNK_FLOATS}
 * floats): the forward adds each chunk's φq_iᵀ D_i into the accumulator A (N, n, dv + 1); the backward rebuilds U and
 * D chunk by chunk (as flash attention rebuilds P), so the op keeps O(N·n·(m + dv)) floats plus two chunk buffers
 * in the forward and four in the backward, and never an n × n matrix. Time: 1 Toeplitz product forward, 3 backward
 * (one {@link ToeplitzKernels#toeplitzBackward} call per chunk, which lets the CPU share their transforms: 4 FFTs per
 * column of U instead of 6).
 */
public final class RpeKernelAttention {
    private RpeKernelAttention() {}

    /** Floats per chunk buffer (4 MB); at least one feature is taken per chunk whatever its size. */
    static final long CHUNK_FLOATS = 1L << 20;

    /** On the backend's Toeplitz kernels; see the class comment. out has v's shape. */
    public static Var apply(Tape tape, Var q, Var k, Var v, Var b, boolean causal) {
        return apply(tape, tape.backend(), q, k, v, b, causal);
    }

    /** The same with explicit Toeplitz kernels (e.g. a naive reference, to check the FFT route against). */
    public static Var apply(Tape tape, ToeplitzKernels tk, Var q, Var k, Var v, Var b, boolean causal) {
        return apply(tape, tk, q, k, v, b, causal, CHUNK_FLOATS);
    }

    /** With another chunk budget: tests force several chunks at small sizes. */
    static Var apply(Tape tape, ToeplitzKernels tk, Var q, Var k, Var v, Var b, boolean causal, long chunkFloats) {
        String op = "rpe_kernel_attention";
        Dims d = KernelRatio.checkBias(op, KernelRatio.check(op, q, k, v), q, b);
        int n = d.n(), m = d.m(), cw = d.width(), entries = d.entries(), span = 2 * n - 1;
        int chunk = (int) Math.max(1, Math.min(m, chunkFloats / ((long) entries * n * cw)));
        Tensor w = tape.alloc(entries, span);                     // c = exp(b) per entry, masked; kept for the backward
        for (int e = 0; e < entries; e++) {
            int h = e % d.heads();
            for (int t = 0; t < span; t++) w.set(e, t, causal && t < n - 1 ? 0f : (float) Math.exp(b.value().get(h, t)));
        }
        Tensor qv = q.value(), kv = k.value(), vv = v.value();
        Tensor u = chunkBuffer(tape, entries, n, chunk * cw), dBuf = chunkBuffer(tape, entries, n, chunk * cw);
        Tensor acc = tape.alloc(entries, n, cw);                  // [num ‖ den], kept: the backward divides by den
        for (int r0 = 0; r0 < m; r0 += chunk) {
            int rc = Math.min(chunk, m - r0);
            Tensor uc = view(u, entries, n, rc * cw), dc = view(dBuf, entries, n, rc * cw);
            outer(uc, kv, vv, d, r0, rc);
            tk.toeplitzMultiply(dc, w, uc);                       // D = C·U
            contract(acc, qv, dc, d, r0, rc);                     // A_i += φq_iᵀ D_i
        }
        Tensor out = tape.alloc(v.shape());
        KernelRatio.divide(out, acc, d);
        return tape.record(op, out, List.of(q, k, v, b), dOut -> {
            Tensor g = tape.alloc(entries, n, cw);
            KernelRatio.gradient(g, dOut, out, acc, d);
            Tensor wRev = tape.alloc(entries, span);              // Cᵀ's weights: c'[t] = c[2n − 2 − t]
            for (int e = 0; e < entries; e++) for (int t = 0; t < span; t++) wRev.set(e, t, w.get(e, span - 1 - t));
            Tensor dw = b.requiresGrad() ? tape.alloc(entries, span) : null;
            Tensor ddBuf = chunkBuffer(tape, entries, n, chunk * cw), duBuf = chunkBuffer(tape, entries, n, chunk * cw);
            for (int r0 = 0; r0 < m; r0 += chunk) {
                int rc = Math.min(chunk, m - r0);
                Tensor uc = view(u, entries, n, rc * cw), dc = view(dBuf, entries, n, rc * cw);
                Tensor ddc = view(ddBuf, entries, n, rc * cw), duc = view(duBuf, entries, n, rc * cw);
                outer(uc, kv, vv, d, r0, rc);                     // U rebuilt, not kept from the forward
                outer(ddc, qv, g, d, r0, rc);                     // dD_i = φq_i ⊗ g_i
                boolean kvGrad = k.requiresGrad() || v.requiresGrad();
                // D = C·U again, dU = Cᵀ·dD and dc in one call: the backend shares the transforms of U and dD
                tk.toeplitzBackward(q.requiresGrad() ? dc : null, kvGrad ? duc : null, dw, w, wRev, uc, ddc);
                if (q.requiresGrad()) contractBack(q.grad(), dc, g, d, r0, rc);   // dφq_i[r] += D_i[r, :]·g_i
                if (kvGrad) outerBack(k.requiresGrad() ? k.grad() : null, v.requiresGrad() ? v.grad() : null, duc, kv, vv, d, r0, rc);
            }
            if (dw != null) {
                Tensor db = b.grad();
                for (int e = 0; e < entries; e++) {
                    int h = e % d.heads();
                    for (int t = 0; t < span; t++) db.set(h, t, db.get(h, t) + dw.get(e, t) * w.get(e, t));
                }
            }
        });
    }

    private static Tensor chunkBuffer(Tape tape, int entries, int n, int width) {
        return tape.alloc(Shape.of(Math.toIntExact((long) entries * n * width)));
    }

    /** The first entries·n·width floats of a chunk buffer, as (entries, n, width). */
    private static Tensor view(Tensor buf, int entries, int n, int width) {
        Shape s = Shape.of(entries, n, width);
        return new Tensor(s, buf.data().asSlice(0, s.size() * Float.BYTES));
    }

    /*
     * The four O(n·m·dv) loops below run on the caller's thread between the Toeplitz calls, once per chunk of
     * features: with Tensor.get/set per element they were a fifth of kernel-rpe's time at n = 16384 and grew faster
     * than n (their share of the CPU time, from main-thread against process CPU time at load 17, rose from 14 to
     * 18 % from 8192 to 16384). They read and write the segments with
     * vectors along the width dv + 1; each output element is summed in the order it was before, except the dot
     * products of contractBack and outerBack, which add lane partials in a fixed tree ({@link #sumLanes}).
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private static FloatVector load(MemorySegment m, long index) { return FloatVector.fromMemorySegment(S, m, index * Float.BYTES, ORDER); }

    private static void store(FloatVector v, MemorySegment m, long index) { v.intoMemorySegment(m, index * Float.BYTES, ORDER); }

    /**
     * Σ lanes of v in one fixed halving tree, as kernels' Lanes.sum (autograd does not depend on kernels):
     * reduceLanes(ADD) has no fixed order and differs between its Java fallback and C2, so dφq and dφk changed bits
     * with the moment C2 compiled these loops (seen on 1 thread, run to run).
     */
    private static float sumLanes(FloatVector v) {
        for (int half = LANES / 2; half >= 1; half /= 2) v = v.add(v.slice(half));
        return v.lane(0);
    }

    private static float get(MemorySegment m, long index) { return m.getAtIndex(F, index); }

    private static void set(MemorySegment m, long index, float v) { m.setAtIndex(F, index, v); }

    /**
     * out[e, j, r·(dv+1) + c] = a[e, j, r0 + r]·[b ‖ 1][e, j, c] for r &lt; rc: the chunk of U = φk ⊗ [v ‖ 1] (with
     * b = v of width dv), or of dD = φq ⊗ g (b = g, already of width dv + 1: then its own last column is used).
     */
    private static void outer(Tensor out, Tensor a, Tensor bv, Dims d, int r0, int rc) {
        int m = d.m(), cw = d.width(), bw = bv.cols(), bound = S.loopBound(bw);
        MemorySegment os = out.data(), as = a.data(), bs = bv.data();
        for (long row = 0; row < (long) d.entries() * d.n(); row++) {
            long o = row * rc * cw, bo = row * bw;
            for (int r = 0; r < rc; r++, o += cw) {
                float av = get(as, row * m + r0 + r);
                FloatVector avv = FloatVector.broadcast(S, av);
                int c = 0;
                for (; c < bound; c += LANES) store(load(bs, bo + c).mul(avv), os, o + c);
                for (; c < bw; c++) set(os, o + c, av * get(bs, bo + c));
                if (bw < cw) set(os, o + bw, av);                 // the ones column of [v ‖ 1]
            }
        }
    }

    /** acc[e, i, c] += Σ_{r &lt; rc} φq[e, i, r0 + r]·D[e, i, r·(dv+1) + c]. */
    private static void contract(Tensor acc, Tensor q, Tensor dc, Dims d, int r0, int rc) {
        int m = d.m(), cw = d.width(), bound = S.loopBound(cw);
        MemorySegment as = acc.data(), qs = q.data(), ds = dc.data();
        for (long row = 0; row < (long) d.entries() * d.n(); row++) {
            long o = row * rc * cw, ao = row * cw;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector sum = FloatVector.zero(S);
                for (int r = 0; r < rc; r++) sum = sum.add(load(ds, o + (long) r * cw + c).mul(get(qs, row * m + r0 + r)));
                store(load(as, ao + c).add(sum), as, ao + c);
            }
            for (; c < cw; c++) {
                float sum = 0;
                for (int r = 0; r < rc; r++) sum += get(qs, row * m + r0 + r) * get(ds, o + (long) r * cw + c);
                set(as, ao + c, get(as, ao + c) + sum);
            }
        }
    }

    /** dq[e, i, r0 + r] += Σ_c D[e, i, r·(dv+1) + c]·g[e, i, c]. */
    private static void contractBack(Tensor dq, Tensor dc, Tensor g, Dims d, int r0, int rc) {
        int m = d.m(), cw = d.width(), bound = S.loopBound(cw);
        MemorySegment qs = dq.data(), ds = dc.data(), gs = g.data();
        for (long row = 0; row < (long) d.entries() * d.n(); row++) {
            long o = row * rc * cw, go = row * cw;
            for (int r = 0; r < rc; r++, o += cw) {
                FloatVector acc = FloatVector.zero(S);
                int c = 0;
                for (; c < bound; c += LANES) acc = acc.add(load(ds, o + c).mul(load(gs, go + c)));
                float s = sumLanes(acc);
                for (; c < cw; c++) s += get(ds, o + c) * get(gs, go + c);
                long qi = row * m + r0 + r;
                set(qs, qi, get(qs, qi) + s);
            }
        }
    }

    /** dφk_j[r0 + r] += Σ_c dU_j[r, c]·[v_j ‖ 1][c];  dv_j[c] += Σ_r dU_j[r, c]·φk_j[r0 + r]. Either may be null. */
    private static void outerBack(Tensor dk, Tensor dv, Tensor du, Tensor k, Tensor v, Dims d, int r0, int rc) {
        int m = d.m(), cw = d.width(), dvw = d.dv(), bound = S.loopBound(dvw);
        MemorySegment us = du.data(), ks = k.data(), vs = v.data(), dks = dk == null ? null : dk.data();
        MemorySegment dvs = dv == null ? null : dv.data();
        float[] vsum = new float[dvw];
        for (long row = 0; row < (long) d.entries() * d.n(); row++) {
            java.util.Arrays.fill(vsum, 0f);
            long o = row * rc * cw, vo = row * dvw;
            for (int r = 0; r < rc; r++, o += cw) {
                float kv = get(ks, row * m + r0 + r);
                FloatVector kvv = FloatVector.broadcast(S, kv), acc = FloatVector.zero(S);
                int c = 0;
                for (; c < bound; c += LANES) {
                    FloatVector gu = load(us, o + c);
                    acc = acc.add(gu.mul(load(vs, vo + c)));
                    FloatVector.fromArray(S, vsum, c).add(gu.mul(kvv)).intoArray(vsum, c);
                }
                float s = sumLanes(acc);
                for (; c < dvw; c++) {
                    float gu = get(us, o + c);
                    s += gu * get(vs, vo + c);
                    vsum[c] += gu * kv;
                }
                s += get(us, o + dvw);                            // the ones column of [v ‖ 1]
                if (dks != null) set(dks, row * m + r0 + r, get(dks, row * m + r0 + r) + s);
            }
            if (dvs != null) for (int c = 0; c < dvw; c++) set(dvs, vo + c, get(dvs, vo + c) + vsum[c]);
        }
    }
}
