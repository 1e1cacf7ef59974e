package dev.posenc.models.analysis.embedders;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Zheng, Ramasinghe and Lucey's shifted-basis embedders of a 1-D coordinate x ∈ [0, 1) (spec §3.1), and the
 * Fourier embeddings in the same frame. Each maps N coordinates to an (N, d) matrix:
 * <pre>
 *   shifted basis  Ψ(x) = [ψ(x − t_0), …, ψ(x − t_{d−1})],  t_i = i/d  (no wrap-around, as in the notebooks)
 *     gaussian  ψ(u) = exp(−u²/(2σ²))                         param σ
 *     triangle  ψ(u) = max(0, 1 − |u|/w)                        param w
 *     square    ψ(u) = 1[sin(2πf·u) > 0]                        param f (cycles per unit)
 *     impulse   ψ(u) = 1[|u| ≤ s]                               param s
 *     sine      ψ(u) = sin(2πf·u) + 0.7                          param f
 *   Fourier, d/2 frequencies b_j, Ψ(x) = [sin(2π x b) ‖ cos(2π x b)]
 *     rff       b_j ~ N(0, β²), drawn from the seed             param β
 *     linf      b = linspace(1, 2^L, d/2)                        param L
 *     logf      b = 2^linspace(0, L, d/2)                        param L
 * </pre>
 * Inner products (the kernel the linear layer sees, before normalisation): for a dense grid of shifts the
 * Gaussian's is ∝ exp(−Δ²/(4σ²)), the RFF's expectation (d/2)·exp(−2π²β²Δ²); they agree at β = 1/(2√2·πσ).
 * {@link #normalised} then divides by the largest row norm of the batch ({@code emb / emb.norm(dim=1).max()}).
 */
public enum Embedder {
    GAUSSIAN("σ", 0.05, 0.01, 0.005, 0.002, 0.0005),
    TRIANGLE("w", 0.05, 0.01, 0.004, 0.002, 0.0005),
    SQUARE("f", 1),
    IMPULSE("s", 5e-5),
    SINE("f", 1),
    RFF("β", 1, 10, 22.5, 50, 200),
    LINF("L", 5, 7),
    LOGF("L", 5, 7);

    /** Lower-case names, as the {@code --sweep} option spells them. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Embedder::label).toList();

    private final String paramSymbol;
    private final double[] defaults;

    Embedder(String paramSymbol, double... defaults) {
        this.paramSymbol = paramSymbol;
        this.defaults = defaults;
    }

    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** The parameter's symbol in the papers (σ, w, f, s, β, L). */
    public String paramSymbol() { return paramSymbol; }

    /** The parameters the default sweep runs (spec §3.4's table for gaussian, triangle, rff). */
    public double[] defaults() { return defaults.clone(); }

    /** Whether the embedding draws random numbers (then each seed gives another matrix). */
    public boolean random() { return this == RFF; }

    /** The embedder called {@code name}; the error lists the valid names. */
    public static Embedder byName(String option, String name) {
        for (Embedder e : values()) if (e.label().equals(name)) return e;
        throw new IllegalArgumentException("%s: expected an embedder from %s, got '%s'".formatted(option, NAMES, name));
    }

    /**
     * The raw embedding (N, d) of the coordinates {@code x}, row-major in a double[N·d]; {@code seed} draws the
     * RFF frequencies (ignored by the others). d must be even for the Fourier embedders.
     */
    public double[] embed(double[] x, double param, int d, long seed) {
        if (!(param > 0) || !Double.isFinite(param)) throw new IllegalArgumentException(
                "%s: %s: expected a finite number > 0, got %s".formatted(label(), paramSymbol, param));
        if (d < 2 || d % 2 != 0) throw new IllegalArgumentException("shifts: expected an even d >= 2, got " + d);
        double[] out = new double[x.length * d];
        return switch (this) {
            case RFF, LINF, LOGF -> fourier(x, frequencies(param, d / 2, seed), out);
            default -> {
                for (int n = 0; n < x.length; n++) {
                    for (int i = 0; i < d; i++) out[n * d + i] = psi(x[n] - (double) i / d, param);
                }
                yield out;
            }
        };
    }

    /** ψ(u) of the shifted-basis embedders. */
    double psi(double u, double p) {
        return switch (this) {
            case GAUSSIAN -> Math.exp(-u * u / (2 * p * p));
            case TRIANGLE -> Math.max(0, 1 - Math.abs(u) / p);
            case SQUARE -> Math.sin(2 * Math.PI * p * u) > 0 ? 1 : 0;
            case IMPULSE -> Math.abs(u) <= p ? 1 : 0;
            case SINE -> Math.sin(2 * Math.PI * p * u) + 0.7;
            case RFF, LINF, LOGF -> throw new IllegalStateException(label() + " is not a shifted basis");
        };
    }

    /** The Fourier embedders' d/2 frequencies b_j, cycles per unit. */
    double[] frequencies(double p, int half, long seed) {
        double[] b = new double[half];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int j = 0; j < half; j++) {
            double t = half == 1 ? 0 : (double) j / (half - 1);   // linspace(0, 1, half)
            b[j] = switch (this) {
                case RFF -> p * rng.nextGaussian();
                case LINF -> 1 + (Math.pow(2, p) - 1) * t;
                case LOGF -> Math.pow(2, p * t);
                default -> throw new IllegalStateException(label() + " has no frequencies");
            };
        }
        return b;
    }

    private static double[] fourier(double[] x, double[] b, double[] out) {
        int half = b.length, d = 2 * half;
        for (int n = 0; n < x.length; n++) {
            for (int j = 0; j < half; j++) {
                double z = 2 * Math.PI * x[n] * b[j];
                out[n * d + j] = Math.sin(z);
                out[n * d + half + j] = Math.cos(z);
            }
        }
        return out;
    }

    /**
     * Divides {@code emb} (N, d) in place by its largest row norm (the notebooks' normalisation); an all-zero
     * matrix (an impulse narrower than every gap) is left as it is. Returns emb.
     */
    public static double[] normalised(double[] emb, int d) {
        double max = 0;
        for (int n = 0; n < emb.length / d; n++) {
            double s = 0;
            for (int i = 0; i < d; i++) s += emb[n * d + i] * emb[n * d + i];
            max = Math.max(max, s);
        }
        if (max == 0) return emb;
        double inv = 1 / Math.sqrt(max);
        for (int k = 0; k < emb.length; k++) emb[k] *= inv;
        return emb;
    }
}
