package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.AttentionKernels;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Scaled dot-product attention (Vaswani et al. 2017): out = softmax(scale·q·kᵀ)·v per (batch, head), scale = 1/√d.
 * q (B, H, Tq, d) or (N, Tq, d); k, v (B, H, Tk, d) or (N, Tk, d); out has q's shape.
 *
 * <p>Backward, with P = softmax(S), S = scale·q·kᵀ, and D = rowsum(dOut ⊙ out):
 * <pre>
 *   dv += Pᵀ·dOut;   dS = P ⊙ (dOut·vᵀ − D);   dq += scale·dS·k;   dk += scale·dSᵀ·q
 * </pre>
 * {@link #apply} runs the backend's fused kernels ({@link AttentionKernels}): the forward keeps only out and the
 * row log-sum-exp (N·Tq floats) and the backward recomputes P block by block, so memory grows as T, not T².
 * {@link #materialized} composes the same function from batched products and a softmax, keeping P (N, Tq, Tk):
 * every backend has those ops, and the two routes must agree (a test checks they do).
 */
public final class Attention {
    private Attention() {}

    public static Var apply(Tape tape, Var q, Var k, Var v) {
        Shape qs = checkedEntries(q, k, v);
        int n = qs.dim(0), tq = qs.dim(1), d = qs.dim(2), tk = k.shape().dim(k.value().rank() - 2);
        float scale = (float) (1 / Math.sqrt(d));
        AttentionKernels kernels = tape.backend().attention();
        Tensor q3 = q.value().reshape(qs), k3 = k.value().reshape(n, tk, d), v3 = v.value().reshape(n, tk, d);
        Tensor out = tape.alloc(q.shape()), lse = tape.alloc(n, tq); // lse kept: the backward rebuilds P from it
        Tensor out3 = out.reshape(qs);
        kernels.attentionForward(out3, lse, q3, k3, v3, scale);
        // D = rowsum(dO ⊙ O);  dV += Pᵀ·dO;  dS = P ⊙ (dO·Vᵀ − D);  dQ += scale·dS·K;  dK += scale·dSᵀ·Q
        // (P rebuilt block by block from lse, never stored: FlashAttention-2's backward)
        return tape.record("attention", out, List.of(q, k, v), dOut -> kernels.attentionBackward(
                q.requiresGrad() ? q.grad().reshape(qs) : null,
                k.requiresGrad() ? k.grad().reshape(n, tk, d) : null,
                v.requiresGrad() ? v.grad().reshape(n, tk, d) : null,
                dOut.reshape(qs), out3, lse, q3, k3, v3, scale));
    }

    /** The same function from {@link Matmul#batched} and {@link Softmax}: P is stored, memory ∝ T². */
    public static Var materialized(Tape tape, Var q, Var k, Var v) {
        Shape qs = checkedEntries(q, k, v);
        int n = qs.dim(0), d = qs.dim(2), tk = k.shape().dim(k.value().rank() - 2);
        Var q3 = Reshape.apply(tape, q, qs), k3 = Reshape.apply(tape, k, Shape.of(n, tk, d));
        Var v3 = Reshape.apply(tape, v, Shape.of(n, tk, d));
        // scale·(q·kᵀ) as (scale·q)·kᵀ: the scale pass and its backward touch N·Tq·d floats instead of N·Tq·Tk
        // (a third at the ViT's T = 50, d = 16, where scale = ¼ is a power of two and changes no bit)
        Var s = Matmul.batched(tape, Elementwise.scale(tape, q3, (float) (1 / Math.sqrt(d))), k3, MatmulForm.NT);
        Var out = Matmul.batched(tape, Softmax.softmax(tape, s), v3, MatmulForm.NN);
        return Reshape.apply(tape, out, q.shape());
    }

    /** q's shape as (N, Tq, d) after checking that k and v have the same leading axes and d. */
    private static Shape checkedEntries(Var q, Var k, Var v) {
        int rank = q.value().rank();
        Shapes.require(rank == 3 || rank == 4, "attention", "q", "(B, H, T, d) or (N, T, d)", q.shape());
        Shape ks = k.shape(), qs = q.shape();
        boolean kFits = k.value().rank() == rank && ks.dim(0) == qs.dim(0) && ks.dim(rank - 3) == qs.dim(rank - 3)
                && ks.dim(rank - 1) == qs.dim(rank - 1) && ks.dim(rank - 2) > 0;
        // messages formatted on failure only: this runs on every training step
        if (!kFits) {
            Shapes.require(false, "attention", "k", "the leading axes and d of q %s, with Tk ≥ 1".formatted(q.shape()),
                    k.shape());
        }
        if (!v.shape().equals(k.shape())) Shapes.require(false, "attention", "v", k.shape() + " as k", v.shape());
        int n = rank == 4 ? q.shape().dim(0) * q.shape().dim(1) : q.shape().dim(0);
        return Shape.of(n, q.shape().dim(rank - 2), q.shape().dim(rank - 1));
    }
}
