package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.KernelRatio.Dims;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Kernelized (linear) attention without positional weights (Katharopoulos et al. 2020; Performer): the
 * {@link RpeKernelAttention} formula with b ≡ 0, where no Toeplitz product is needed. φq, φk (N, n, m) or (B, H, n, m),
 * v with the same leading axes and width dv; v' = [v ‖ 1] carries the denominator ({@link KernelRatio}).
 * <pre>
 *   bidirectional:  S = φkᵀ·v'  (m, dv + 1);          A_i = φq_iᵀ S;           z_i = A_i[:dv] / A_i[dv]
 *     backward:     dφq += g·Sᵀ;   dS = φqᵀ·g;   dφk += v'·dSᵀ;   dv' = φk·dS
 *   causal:         S_i = Σ_{j ≤ i} φk_j ⊗ v'_j (a prefix sum);   A_i = φq_iᵀ S_i
 *     backward:     dφq_i += S_i·g_i;   dS_j = Σ_{i ≥ j} φq_i ⊗ g_i (a suffix sum);   dφk_j += dS_j·v'_j;   dv'_j = dS_jᵀφk_j
 * </pre>
 * Time and memory O(n·m·dv): the bidirectional case is four batched products on the backend; the causal case runs
 * the prefix sums in plain loops, one entry at a time, keeping only the running (m, dv + 1) state (the backward redoes
 * the prefix pass rather than storing n states).
 */
public final class KernelAttention {
    private KernelAttention() {}

    public static Var apply(Tape tape, Var q, Var k, Var v, boolean causal) {
        String op = causal ? "kernel_attention_causal" : "kernel_attention";
        Dims d = KernelRatio.check(op, q, k, v);
        int entries = d.entries(), n = d.n(), m = d.m(), cw = d.width();
        Tensor vp = tape.alloc(entries, n, cw);                   // v' = [v ‖ 1], kept for the backward
        for (long row = 0; row < (long) entries * n; row++) {
            for (int c = 0; c < d.dv(); c++) vp.set(row * cw + c, v.value().get(row * d.dv() + c));
            vp.set(row * cw + d.dv(), 1f);
        }
        Tensor q3 = q.value().reshape(entries, n, m), k3 = k.value().reshape(entries, n, m);
        Tensor acc = tape.alloc(entries, n, cw);
        Backend be = tape.backend();
        Tensor s = null;
        if (causal) {
            prefixForward(acc, q3, k3, vp, d);
        } else {
            s = tape.alloc(entries, m, cw);                       // kept: dφq = g·Sᵀ
            be.batchedMatmul(s, k3, vp, MatmulForm.TN, false);
            be.batchedMatmul(acc, q3, s, MatmulForm.NN, false);
        }
        Tensor out = tape.alloc(v.shape());
        KernelRatio.divide(out, acc, d);
        Tensor sKept = s;
        return tape.record(op, out, List.of(q, k, v), dOut -> {
            Tensor g = tape.alloc(entries, n, cw), dvp = tape.alloc(entries, n, cw);
            KernelRatio.gradient(g, dOut, out, acc, d);
            Tensor dq = q.requiresGrad() ? q.grad().reshape(entries, n, m) : null;
            Tensor dk = k.requiresGrad() ? k.grad().reshape(entries, n, m) : null;
            if (causal) {
                prefixBackward(dq, dk, dvp, g, q3, k3, vp, d);
            } else {
                Tensor ds = tape.alloc(entries, m, cw);
                if (dq != null) be.batchedMatmul(dq, g, sKept, MatmulForm.NT, true);
                be.batchedMatmul(ds, q3, g, MatmulForm.TN, false);
                if (dk != null) be.batchedMatmul(dk, vp, ds, MatmulForm.NT, true);
                be.batchedMatmul(dvp, k3, ds, MatmulForm.NN, false);
            }
            if (v.requiresGrad()) {
                Tensor dv = v.grad();
                for (long row = 0; row < (long) entries * n; row++) {
                    for (int c = 0; c < d.dv(); c++) dv.set(row * d.dv() + c, dv.get(row * d.dv() + c) + dvp.get(row * cw + c));
                }
            }
        });
    }

    /** acc_i = φq_iᵀ S_i with S_i = Σ_{j ≤ i} φk_j ⊗ v'_j, one running state per entry. */
    private static void prefixForward(Tensor acc, Tensor q, Tensor k, Tensor vp, Dims d) {
        int n = d.n(), m = d.m(), cw = d.width();
        float[] s = new float[m * cw];
        for (int e = 0; e < d.entries(); e++) {
            java.util.Arrays.fill(s, 0f);
            for (int i = 0; i < n; i++) {
                long row = (long) e * n + i;
                addOuter(s, k, vp, row, m, cw, 1f);
                for (int r = 0; r < m; r++) {
                    float qv = q.get(row * m + r);
                    for (int c = 0; c < cw; c++) acc.set(row * cw + c, acc.get(row * cw + c) + qv * s[r * cw + c]);
                }
            }
        }
    }

    /** The causal backward: a prefix pass for dφq, then a suffix pass for dφk and dv'. dq, dk may be null. */
    private static void prefixBackward(Tensor dq, Tensor dk, Tensor dvp, Tensor g, Tensor q, Tensor k, Tensor vp, Dims d) {
        int n = d.n(), m = d.m(), cw = d.width();
        float[] s = new float[m * cw];
        for (int e = 0; e < d.entries(); e++) {
            if (dq != null) {
                java.util.Arrays.fill(s, 0f);
                for (int i = 0; i < n; i++) {
                    long row = (long) e * n + i;
                    addOuter(s, k, vp, row, m, cw, 1f);
                    for (int r = 0; r < m; r++) {
                        float sum = 0;
                        for (int c = 0; c < cw; c++) sum += s[r * cw + c] * g.get(row * cw + c);
                        dq.set(row * m + r, dq.get(row * m + r) + sum);
                    }
                }
            }
            java.util.Arrays.fill(s, 0f);                        // now dS, summed from the end
            for (int j = n - 1; j >= 0; j--) {
                long row = (long) e * n + j;
                addOuter(s, q, g, row, m, cw, 1f);
                for (int r = 0; r < m; r++) {
                    float kv = k.get(row * m + r), sum = 0;
                    for (int c = 0; c < cw; c++) {
                        float ds = s[r * cw + c];
                        sum += ds * vp.get(row * cw + c);
                        dvp.set(row * cw + c, dvp.get(row * cw + c) + ds * kv);
                    }
                    if (dk != null) dk.set(row * m + r, dk.get(row * m + r) + sum);
                }
            }
        }
    }

    /** s (m, cw) += alpha · a[row] ⊗ b[row]; a rows of m, b rows of cw. */
    private static void addOuter(float[] s, Tensor a, Tensor b, long row, int m, int cw, float alpha) {
        for (int r = 0; r < m; r++) {
            float av = alpha * a.get(row * m + r);
            for (int c = 0; c < cw; c++) s[r * cw + c] += av * b.get(row * cw + c);
        }
    }
}
