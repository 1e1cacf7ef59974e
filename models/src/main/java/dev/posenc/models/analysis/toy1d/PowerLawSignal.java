package dev.posenc.models.analysis.toy1d;

import dev.posenc.core.Rng;

/**
 * The target of Tancik et al.'s 1-D toy (spec §2.3, {@code sample_random_powerlaw}): a periodic signal on
 * the grid x_i = i/N, i = 0..N−1, whose spectrum falls off as a power law,
 * <pre>
 *   s_i = Σ_{k=1..K} k^(−p) cos(2π k i/N + φ_k),    φ_k ~ U[0, 2π) from the seed,
 * </pre>
 * then mapped affinely onto [−0.5, 0.5] (min to −0.5, max to 0.5), as the notebook does. The affine map adds
 * a constant and scales every k ≥ 1 alike, so the DFT keeps |S_k| ∝ k^(−p) for 1 ≤ k ≤ K and 0 for
 * K < k ≤ N/2. The notebook also draws each amplitude at random (a complex Gaussian times k^(−p)); here only the
 * phases are random, so that the power law is exact and a test can check it.
 *
 * <p>Here p is the <em>signal's</em> falloff (the notebook's p was the mapping's a_j = j^(−p)).
 *
 * @param p            the spectral falloff exponent (≥ 0)
 * @param maxFrequency K, the highest frequency present, cycles per unit (1 ≤ K < N/2)
 * @param values       s_i, length N; do not modify
 */
public record PowerLawSignal(double p, int maxFrequency, double[] values) {
    /**
     * The signal of N = {@code points} samples with falloff {@code p} and frequencies 1..{@code maxFrequency};
     * the phases are a pure function of {@code seed}.
     */
    public static PowerLawSignal generate(int points, double p, int maxFrequency, long seed) {
        if (points < 4) throw new IllegalArgumentException("points: expected >= 4, got " + points);
        if (!(p >= 0) || Double.isInfinite(p)) throw new IllegalArgumentException(
                "p: expected a finite exponent >= 0, got " + p);
        if (maxFrequency < 1 || 2 * maxFrequency >= points) throw new IllegalArgumentException(
                "maxFrequency: expected 1 <= K < N/2 = %d/2 (below the grid's Nyquist), got %d"
                        .formatted(points, maxFrequency));
        long stream = new Rng(seed).nextStream();
        double[] s = new double[points];
        for (int k = 1; k <= maxFrequency; k++) {
            double a = Math.pow(k, -p), phase = 2 * Math.PI * Rng.unit(stream, k);
            for (int i = 0; i < points; i++) {
                // (k·i) mod N keeps the argument below 2π: exact periodicity, no rounding growth with i
                s[i] += a * Math.cos(2 * Math.PI * ((long) k * i % points) / points + phase);
            }
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        for (int i = 0; i < points; i++) s[i] = (s[i] - lo) / (hi - lo) - 0.5;
        return new PowerLawSignal(p, maxFrequency, s);
    }

    /** N, the number of grid points. */
    public int points() { return values.length; }
}
