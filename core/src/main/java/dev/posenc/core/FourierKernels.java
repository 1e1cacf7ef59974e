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
}
