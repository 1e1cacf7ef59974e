package dev.posenc.models.train;

import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.encodings.LffInit;

import java.util.OptionalDouble;

/**
 * Settings of one image-regression run (Tancik et al. §2.2 protocol, see {@link ImageFit}).
 *
 * @param steps      full-batch Adam steps
 * @param size       the image is resized to size × size (a power of two); training and test grids are size/2
 * @param seed       seeds the weights and Gaussian B (one Rng, encoding first)
 * @param lr         learning rate override; empty: {@link #defaultLearningRate} of the encoding
 * @param evalEvery  test PSNR every this many steps (and after the last)
 * @param sigma      gaussian: std of B, cycles per unit
 * @param scale      positional: 2^linspace(0, scale, 128) − 1 per axis
 * @param fourierDims LFF |F|;  hidden: LFF |H|;  outputDims: LFF D;  groups: LFF G (1 or 2 for images)
 * @param gamma      LFF γ (std of W_r = 1/γ, radians per unit)
 * @param amplitude  LFF and lff-only feature amplitude: UNIT (Tancik's 1, the default here) or PAPER (1/√F);
 *                   see {@link LffAmplitude} and bench/results/lff-vs-gaussian.md
 */
public record FitConfig(int steps, int size, long seed, OptionalDouble lr, int evalEvery, double sigma, double scale,
                        int fourierDims, int hidden, int outputDims, int groups, double gamma,
                        LffAmplitude amplitude) {
    public FitConfig {
        if (steps <= 0) throw new IllegalArgumentException("fit: steps: expected > 0, got " + steps);
        if (size < 4 || Integer.bitCount(size) != 1) throw new IllegalArgumentException(
                "fit: size: expected a power of two >= 4 (train and test grids are size/2), got " + size);
        if (evalEvery <= 0) throw new IllegalArgumentException("fit: evalEvery: expected > 0, got " + evalEvery);
        if (lr.isPresent() && !(lr.getAsDouble() > 0)) throw new IllegalArgumentException(
                "fit: lr: expected > 0, got " + lr.getAsDouble());
        if (amplitude == null) throw new IllegalArgumentException("fit: amplitude: expected PAPER or UNIT, got null");
        // sigma, scale, the LFF sizes and gamma are validated by the encoding that uses them, with its name
    }

    /**
     * The paper's run: 2000 steps at 512 × 512 (256 × 256 training pixels), σ 10, positional scale 6.
     * LFF at the Gaussian's size (|F| = 512, so 256 learnable frequencies), |H| 256, D 256, γ = 1/(2πσ) so
     * that W_r starts at the Gaussian's scale (W_r has no 2π: std 1/γ = 2πσ radians per unit).
     * Hours on 2 CPU cores; use it on a GPU.
     */
    public static FitConfig paper() {
        return new FitConfig(2000, 512, 0, OptionalDouble.empty(), 50, 10, 6, 512, 256, 256, 1, gammaFor(10),
                LffAmplitude.UNIT);
    }

    /**
     * Quick defaults: 128 × 128 (64 × 64 training pixels) and {@value #QUICK_STEPS} steps, sized so that the
     * five table encodings (none, basic, positional, gaussian, lff) take about two minutes together on 2
     * cores. Measured on the shared 2-core machine (load 6 to 10, so only CPU time means much), all five in
     * one JVM: 500 steps took 422 CPU-seconds, 300 steps 284 (about 140 s on two idle cores; the fixed part,
     * JIT warm-up and evaluations, is about 75 CPU-seconds). Test PSNRs: bench/RESULTS.md (issue 3).
     * σ and the positional scale follow the sampling density (spec §9: the best σ scales with it): the
     * paper's σ = 10 at 256 training samples per axis is σ = 10·64/256 = 2.5 here, and scale 6 (top
     * frequency 63 < Nyquist 128) becomes scale 4 (15 < 32). γ follows σ as in {@link #paper()}.
     */
    public static FitConfig defaults() {
        double sigma = sigmaFor(QUICK_SIZE);
        return new FitConfig(QUICK_STEPS, QUICK_SIZE, 0, OptionalDouble.empty(), 25, sigma, scaleFor(QUICK_SIZE),
                512, 256, 256, 1, gammaFor(sigma), LffAmplitude.UNIT);
    }

    static final int QUICK_SIZE = 128;
    static final int QUICK_STEPS = 300;

    /** σ scaled with the training density: 10 at size 512 (Tancik), proportional otherwise. */
    public static double sigmaFor(int size) { return 10.0 * size / 512; }

    /** Positional scale keeping the top frequency 2^scale − 1 below the training Nyquist: 6 at size 512. */
    public static double scaleFor(int size) { return 6 + Math.log(size / 512.0) / Math.log(2); }

    /** γ with std(W_r) = 1/γ = 2πσ: LFF starts at the Gaussian mapping's frequency scale. */
    public static double gammaFor(double sigma) { return 1 / (2 * Math.PI * sigma); }

    /**
     * Tancik's rates for natural images: 1e-2 for no mapping and basic, 1e-3 for positional and Gaussian.
     * LFF (and lff-only, mlp) use {@value #LFF_LR}: chosen when LFF's features still entered at amplitude 1/√F
     * (test PSNR at 200 steps 20.29 / 20.54 / 20.54 dB at 1e-3 / 3e-3 / 1e-2); with the UNIT amplitude that
     * fit-image now uses, 1e-3 and 3e-3 are within 0.15 dB (bench/results/lff-vs-gaussian.md), so it stays.
     * sine2d uses 1e-3, as the other fixed Fourier mappings.
     */
    public static double defaultLearningRate(String encoding) {
        return switch (encoding) {
            case "none", "basic" -> 1e-2;
            case "lff", "lff-only", "mlp" -> LFF_LR;
            default -> 1e-3;
        };
    }

    static final double LFF_LR = 3e-3;

    /** The learning rate this run uses for {@code encoding}. */
    public double learningRate(String encoding) { return lr.orElse(defaultLearningRate(encoding)); }

    /** The encoding hyperparameters of this run (2-D positions, m = 256 Gaussian and 128 positional per axis). */
    public EncodingParams encodingParams() {
        return EncodingParams.defaults(2).toBuilder().sigma(sigma).scale(scale).fourierDims(fourierDims).hidden(hidden)
                .outputDims(outputDims).groups(groups).gamma(gamma).lffInit(LffInit.PAPER)
                .lffAmplitude(amplitude).build();
    }

    public FitConfig withSteps(int v) {
        return new FitConfig(v, size, seed, lr, evalEvery, sigma,
                scale, fourierDims, hidden, outputDims, groups, gamma, amplitude);
    }

    public FitConfig withSize(int v) {
        return new FitConfig(steps, v, seed, lr, evalEvery, sigma,
                scale, fourierDims, hidden, outputDims, groups, gamma, amplitude);
    }

    public FitConfig withSeed(long v) {
        return new FitConfig(steps, size, v, lr, evalEvery, sigma,
                scale, fourierDims, hidden, outputDims, groups, gamma, amplitude);
    }

    public FitConfig withLr(double v) {
        return new FitConfig(steps, size, seed, OptionalDouble.of(v), evalEvery, sigma,
                scale, fourierDims, hidden, outputDims, groups, gamma, amplitude);
    }

    public FitConfig withEvalEvery(int v) {
        return new FitConfig(steps, size, seed, lr, v, sigma, scale, fourierDims, hidden, outputDims, groups, gamma, amplitude);
    }

    public FitConfig withSigma(double v) {
        return new FitConfig(steps, size, seed, lr, evalEvery, v,
                scale, fourierDims, hidden, outputDims, groups, gamma, amplitude);
    }

    public FitConfig withScale(double v) {
        return new FitConfig(steps, size, seed, lr, evalEvery, sigma,
                v, fourierDims, hidden, outputDims, groups, gamma, amplitude);
    }

    public FitConfig withLff(int f, int h, int d, int g) {
        return new FitConfig(steps, size, seed, lr, evalEvery, sigma, scale, f, h, d, g, gamma, amplitude);
    }

    public FitConfig withAmplitude(LffAmplitude v) {
        return new FitConfig(steps, size, seed, lr, evalEvery, sigma,
                scale, fourierDims, hidden, outputDims, groups, gamma, v);
    }

    public FitConfig withGamma(double v) {
        return new FitConfig(steps, size, seed, lr, evalEvery, sigma,
                scale, fourierDims, hidden, outputDims, groups, v, amplitude);
    }
}
