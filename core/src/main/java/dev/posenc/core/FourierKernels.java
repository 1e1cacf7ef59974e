package dev.posenc.core;

/**
 * The fused Fourier feature projection (Tancik et al. 2020, Li et al. 2021): r = [cos(x·wᵀ) ‖ sin(x·wᵀ)]·s,
 * computed without materialising z = x·wᵀ.
 */
public interface FourierKernels {
    /**
     * out (N, 2K) = [cos z ‖ sin z]·scale with z = x·wᵀ; x (N, M), w (K, M). The sin/cos are accurate to a
     * few float32 ulps for |z| ≤ 1e4. Modifies out only.
     */
    void fourierForward(Tensor out, Tensor x, Tensor w, float scale);

    /**
     * With dOut = [dC ‖ dS] and g = (dS ⊙ cos z − dC ⊙ sin z)·scale (N, K):
     * dx += g·w (N, M) and dw += gᵀ·x (K, M). z is recomputed, not stored. dx may be null when the
     * positions need no gradient (the usual case). Modifies dx and dw.
     */
    void fourierBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale);

    /**
     * {@link #fourierBackward(Tensor, Tensor, Tensor, Tensor, Tensor, float)} given also {@code out}, the forward's
     * output: a backend may read cos z and sin z from it where that gives the same numbers (the CPU does at
     * scale = 1, where out holds them exactly). The default ignores it. Modifies dx and dw.
     */
    default void fourierBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor out, float scale) {
        fourierBackward(dx, dw, dOut, x, w, scale);
    }
}
