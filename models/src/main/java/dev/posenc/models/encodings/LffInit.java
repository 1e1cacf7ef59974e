package dev.posenc.models.encodings;

/**
 * How W_r of learnable Fourier features starts: W_r ~ N(0, std²) with std from γ. The paper writes
 * N(0, γ⁻²), i.e. std 1/γ; the two popular implementations read it differently (spec §1.2), and these
 * modes reproduce them.
 */
public enum LffInit {
    /** std = 1/γ: the paper (the spectral density of the Gaussian kernel exp(−‖Δ‖²/2γ²)). */
    PAPER,
    /** std = γ⁻²: willGuimont/learnable_fourier_positional_encoding ({@code normal_(std=gamma ** -2)}). */
    GUIMONT,
    /** std = γ²: JHLew/Learnable-Fourier-Features ({@code randn(...) * gamma**2}). */
    JHLEW;

    public double std(double gamma) {
        return switch (this) {
            case PAPER -> 1 / gamma;
            case GUIMONT -> Math.pow(gamma, -2);
            case JHLEW -> gamma * gamma;
        };
    }
}
