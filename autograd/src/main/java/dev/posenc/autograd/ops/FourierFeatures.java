package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Learnable Fourier features (Tancik et al. 2020; Li et al. 2021): r = [cos z ‖ sin z]/√F with z = x·Wᵀ.
 * x (N, M) positions, W (K, M) frequencies, r (N, F) with F = 2K.
 *
 * <p>Backward, with dr = [dc ‖ ds] split into its cos and sin halves:
 * <pre>
 *   dz = (ds ⊙ cos z − dc ⊙ sin z)/√F     (N, K)   since cos′ = −sin and sin′ = cos
 *   dW += dzᵀ·x                           (K, M)
 *   dx += dz·W                            (N, M)   only when the positions want a gradient
 * </pre>
 * The fused kernel recomputes z in the backward instead of keeping it: with M ≤ 8 that is cheaper than
 * storing and re-reading an (N, K) buffer. At s = 1 (Tancik's amplitude, fit-image's LFF) r holds cos z and sin z
 * exactly, and the CPU reads them from r instead (the same bits, no sin and cos a second time).
 *
 * <p>{@link #apply(Tape, Var, Var, float)} takes the amplitude s in place of 1/√F: Tancik's mappings
 * [a cos(2π Bv) ‖ a sin(2π Bv)] have a = 1 and no 1/√F (their 2π goes into W = 2πB). The rules above hold
 * with 1/√F replaced by s.
 */
public final class FourierFeatures {
    private FourierFeatures() {}

    /** r = [cos z ‖ sin z]/√F: Li et al.'s normalisation. */
    public static Var apply(Tape tape, Var x, Var w) {
        Shapes.require(w.value().rank() == 2, "fourier_features", "w", "a 2-D tensor (K, M)", w.shape());
        return apply(tape, x, w, (float) (1 / Math.sqrt(2.0 * w.rows())));
    }

    /** r = [cos z ‖ sin z]·scale, any amplitude (1 for Tancik's mappings). */
    public static Var apply(Tape tape, Var x, Var w, float scale) {
        Backend be = tape.backend();
        if (w.value().rank() != 2 || w.cols() != x.cols()) Shapes.require(false, "fourier_features", "w",
                "(K, %d)".formatted(x.cols()), w.shape());
        int n = x.rows(), k = w.rows();
        Tensor r = tape.allocUninitialized(n, 2 * k);
        be.fourierForward(r, x.value(), w.value(), scale);                // r = [cos z ‖ sin z]·s, z = x·Wᵀ
        return tape.record("fourier_features", r, List.of(x, w), dr -> {
            // The kernel always writes dW; when W is frozen it goes to a scratch buffer.
            Tensor dw = w.requiresGrad() ? w.grad() : tape.alloc(w.shape());
            // dz = s·(ds ⊙ cos z − dc ⊙ sin z);  dW += dzᵀ·x;  dx += dz·W   (twin: FourierCpu.backwardScalar)
            // r passed too: at s = 1 the CPU reads cos z and sin z from it instead of recomputing them (same bits)
            be.fourierBackward(x.requiresGrad() ? x.grad() : null, dw, dr, x.value(), w.value(), r, scale);
        });
    }
}
