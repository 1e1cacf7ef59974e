package dev.posenc.core;

/** Layer normalisation over the last axis (Ba et al. 2016), as torch.nn.LayerNorm. */
public interface NormKernels {
    /**
     * out = (in − μ)·σ⁻¹·gamma + beta per row, σ = √(var + eps) with the biased variance. Writes mean[r]
     * and rstd[r] = σ⁻¹ (R elements each) for the backward. gamma, beta have C elements.
     */
    void layerNorm(Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma, Tensor beta, float eps);

    /**
     * With x̂ = (in − μ)·rstd and g = dOut ⊙ gamma:
     * dIn += rstd·(g − mean_c(g) − x̂·mean_c(g ⊙ x̂)); dGamma += Σ_r dOut ⊙ x̂; dBeta += Σ_r dOut.
     * Accumulates into dIn, dGamma, dBeta; any of them may be null when not wanted.
     */
    void layerNormBackward(Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in, Tensor mean,
                           Tensor rstd, Tensor gamma);
}
