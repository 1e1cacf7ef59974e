package dev.posenc.models.seq;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Attention;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.KernelAttention;
import dev.posenc.autograd.ops.KernelFeatures;
import dev.posenc.autograd.ops.Matmul;
import dev.posenc.autograd.ops.RelativeBias;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.autograd.ops.RpeKernelAttention;
import dev.posenc.autograd.ops.Softmax;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;

/**
 * One attention of each {@link AttentionKind} on heads q, k, v (B, H, n, dh), returning (B, H, n, dh). Shared by the
 * sequence model and {@code attention-scaling}, so the benchmark times the very code that trains.
 * <pre>
 *   softmax       Attention (fused kernel for n ≥ {@value #FUSED_MIN_TOKENS}, else the materialised route: faster there)
 *   softmax-rpe   softmax(q·kᵀ/√dh + RelativeBias(b))·v                        b (H, 2n − 1)
 *   kernel        KernelAttention(φ(x_q), φ(x_k), v)
 *   kernel-rpe    RpeKernelAttention(φ(x_q), φ(x_k), v, b)
 * </pre>
 * with x = q/‖q‖ when {@code normalizeQk} (the paper's choice, spec §5.1), else x = q/dh^¼ (Performer's: then
 * φ(x_q)ᵀφ(x_k) estimates exp(q·k/√dh), the softmax kernel).
 */
public final class SeqAttention {
    private SeqAttention() {}

    /** As in the ViT: below this, the materialised softmax route was the faster one (Vit#FUSED_ATTENTION_MIN_TOKENS). */
    public static final int FUSED_MIN_TOKENS = 256;

    /** How the kernelized kinds make features: the map, the PRF projection (m, dh) (null for relu/elu), normalisation. */
    public record Features(FeatureMap map, Var projection, boolean normalizeQk) {}

    /** @param b the RPE (H, 2n − 1) for the rpe kinds, else ignored (may be null) */
    public static Var apply(Tape tape, AttentionKind kind, Var q, Var k, Var v, Var b, Features features) {
        Shape s = q.shape();
        int batch = s.dim(0), heads = s.dim(1), n = s.dim(2), dh = s.dim(3);
        return switch (kind) {
            case SOFTMAX -> n >= FUSED_MIN_TOKENS ? Attention.apply(tape, q, k, v) : Attention.materialized(tape, q, k, v);
            case SOFTMAX_RPE -> {
                Shape flat = Shape.of(batch * heads, n, dh);
                Var scores = Elementwise.scale(tape, Matmul.batched(tape, Reshape.apply(tape, q, flat),
                        Reshape.apply(tape, k, flat), MatmulForm.NT), (float) (1 / Math.sqrt(dh)));
                Var biased = Elementwise.addBatchBroadcast(tape, Reshape.apply(tape, scores, Shape.of(batch, heads, n, n)),
                        RelativeBias.apply(tape, b, n));
                Var p = Softmax.softmax(tape, Reshape.apply(tape, biased, Shape.of(batch * heads, n, n)));
                yield Reshape.apply(tape, Matmul.batched(tape, p, Reshape.apply(tape, v, flat), MatmulForm.NN), s);
            }
            case KERNEL -> KernelAttention.apply(tape, phi(tape, q, features), phi(tape, k, features), v, false);
            case KERNEL_RPE -> RpeKernelAttention.apply(tape, phi(tape, q, features), phi(tape, k, features), v, b, false);
        };
    }

    /** φ(x) for q or k (B, H, n, dh). */
    static Var phi(Tape tape, Var x, Features f) {
        int dh = x.cols();
        Var in = f.normalizeQk() ? KernelFeatures.normalize(tape, x, 1f) : Elementwise.scale(tape, x, (float) Math.pow(dh, -0.25));
        return switch (f.map()) {
            case PRF -> KernelFeatures.prf(tape, in, f.projection());
            case RELU -> Activations.relu(tape, in);
            case ELU -> KernelFeatures.eluPlusOne(tape, in);
        };
    }
}
