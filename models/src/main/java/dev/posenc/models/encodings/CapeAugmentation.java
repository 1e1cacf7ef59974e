package dev.posenc.models.encodings;

import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;

/**
 * CAPE's position augmentation (Likhomanenko et al. 2021, spec §4.1–4.2), on positions (T, M) in grid units
 * (spacing 1: tokens, patches). For each of B sequences (images) b, with m = 0..M−1 the axes:
 * <pre>
 *   x̄_{t,m}   = x_{t,m} − mean_t x_{t,m}    if normalize, else x_{t,m}
 *   Δ_{b,m}   ~ U[−Δmax, Δmax]             global shift, one per sequence and axis
 *   ε_{b,t,m} ~ U[−εmax, εmax]             local shift, one per position and axis (εmax in grid steps)
 *   log λ_b   ~ U[−log λmax, log λmax]     global scaling, one per sequence, shared by the axes
 *   x'_{b,t,m} = (x̄_{t,m} + Δ_{b,m} + ε_{b,t,m}) · λ_b    the shift before the scaling, as the reference code
 * </pre>
 * Evaluation applies only the normalisation: x' = x̄, deterministic. The draws of a call come from three
 * streams of the {@link Rng} passed in (shift, local, scale), element i of each a pure function of (stream, i).
 *
 * @param globalShift   Δmax ≥ 0
 * @param localShift    εmax ≥ 0
 * @param globalScaling λmax ≥ 1 (1: no scaling)
 * @param normalize     centre each sequence's positions on their mean first
 */
public record CapeAugmentation(double globalShift, double localShift, double globalScaling, boolean normalize) {
    /** Validates under the name of the encoding ({@code cape1d}, {@code cape2d}) that reads these options. */
    public static CapeAugmentation of(String encoding, EncodingParams p) {
        Require.nonNegative(encoding, "capeGlobalShift (Δmax)", p.capeGlobalShift());
        Require.nonNegative(encoding, "capeLocalShift (εmax)", p.capeLocalShift());
        double scaling = p.capeGlobalScaling();
        Require.that(scaling >= 1 && !Double.isInfinite(scaling), encoding, "capeGlobalScaling (λmax)",
                "a finite value >= 1", scaling);
        return new CapeAugmentation(p.capeGlobalShift(), p.capeLocalShift(), scaling, p.capeNormalize());
    }

    /** True when training draws nothing: every range is empty, so training equals evaluation. */
    public boolean isOff() { return globalShift == 0 && localShift == 0 && globalScaling == 1; }

    /** Evaluation mode: x̄ (T, M) into {@code out} (T, M), which may be {@code positions} itself. */
    public void evaluate(Tensor positions, Tensor out) {
        int t = positions.rows(), m = positions.cols();
        double[] mean = means(positions);
        for (int i = 0; i < t; i++) for (int a = 0; a < m; a++) out.set(i, a, (float) (positions.get(i, a) - mean[a]));
    }

    /**
     * Training mode: B augmented copies of positions (T, M) into {@code out} (B·T, M), row b·T + t for position t
     * of sequence b. Draws three streams from {@code rng}.
     */
    public void augment(Tensor positions, int batch, Rng rng, Tensor out) {
        int t = positions.rows(), m = positions.cols();
        if (out.rows() != batch * t || out.cols() != m) throw new IllegalArgumentException(
                "cape: out: expected (%d, %d), got %s".formatted(batch * t, m, out.shape()));
        long shifts = rng.nextStream(), locals = rng.nextStream(), scales = rng.nextStream();
        double[] mean = means(positions);
        double logMax = Math.log(globalScaling);
        for (int b = 0; b < batch; b++) {
            double lambda = Math.exp(symmetric(logMax, scales, b));
            for (int i = 0; i < t; i++) {
                for (int a = 0; a < m; a++) {
                    double shift = symmetric(globalShift, shifts, (long) b * m + a);
                    double local = symmetric(localShift, locals, ((long) b * t + i) * m + a);
                    out.set(b * t + i, a, (float) ((positions.get(i, a) - mean[a] + shift + local) * lambda));
                }
            }
        }
    }

    /** A draw of U[−max, max]: element i of {@code stream}. */
    private static double symmetric(double max, long stream, long i) { return max * (2 * Rng.unit(stream, i) - 1); }

    /** Per-axis mean over the T positions if normalising, else zeros. */
    private double[] means(Tensor positions) {
        int t = positions.rows(), m = positions.cols();
        double[] mean = new double[m];
        if (!normalize) return mean;
        for (int i = 0; i < t; i++) for (int a = 0; a < m; a++) mean[a] += positions.get(i, a);
        for (int a = 0; a < m; a++) mean[a] /= t;
        return mean;
    }
}
