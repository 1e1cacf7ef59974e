package dev.posenc.models.encodings;

/**
 * The amplitude s of learnable Fourier features r = s·[cos(x W_rᵀ) ‖ sin(x W_rᵀ)].
 * <p>The paper's 1/√F makes r·r = ½ whatever F, right for a PE added to a token embedding. In Tancik's
 * image regression the features feed a ReLU MLP directly and each has amplitude 1 (a_j = 1, ‖r‖² = F/2):
 * with 1/√F (0.044 at F = 512) the GELU MLP starts near-linear and its output varies over positions by
 * about 0.005, some 140 times less than the Gaussian mapping's features, and 300 Adam steps do not recover
 * (bench/results/lff-vs-gaussian.md: astronaut 128², test 23.0 dB with 1/√F, 25.5 with 1, Gaussian 24.9).
 */
public enum LffAmplitude {
    /** s = 1/√F: Li et al. 2021, Eq. 2 (the default of {@link EncodingParams#defaults}). */
    PAPER,
    /** s = 1: Tancik's a_j = 1 (the image-regression default, {@code FitConfig}). */
    UNIT;

    public float scale(int fourierDims) {
        return switch (this) {
            case PAPER -> (float) (1 / Math.sqrt(fourierDims));
            case UNIT -> 1f;
        };
    }
}
