package dev.posenc.models.analysis.embedders;

/**
 * How well an embedding Ψ keeps distances (Zheng et al. §3.2): its similarity against displacement, and one
 * number for it. Both are taken where the linear layer lives, on the signal's own sample grid x_n = n/N:
 * <pre>
 *   k(m) = mean_n cos∠(Ψ(x_n), Ψ(x_{n+m}))      lag m = 0..M, displacement Δ = m/N, M = N/8
 *   DP   = Pearson correlation of k(m) with −m over m = 1..M
 * </pre>
 * cos∠ is the cosine similarity (0 if either row is all zero); the mean runs over the n with n + m &lt; N
 * (the embedding need not be shift-invariant: a triangle narrower than the shift spacing is not). The
 * ideal is a smooth decrease over the window Δ ≤ 1/8; DP is 1 for a linear one, about 0.98 for a Gaussian
 * of σ = 0.05, and falls towards 0 as the kernel collapses to a spike narrower than the sample spacing
 * (a constant k has no correlation: DP = 0).
 */
public final class DistancePreservation {
    private DistancePreservation() {}

    /** The window: lags up to N/8 (at least 2). */
    public static int maxLag(int n) { return Math.max(2, n / 8); }

    /** k(m) for m = 0..maxLag(N) of the row-major embedding {@code emb} (N, d). Reads emb only. */
    public static double[] profile(double[] emb, int n, int d) {
        int lags = Math.min(maxLag(n), n - 1);
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) norm[i] = Math.sqrt(dot(emb, i, i, d));
        double[] k = new double[lags + 1];
        for (int m = 0; m <= lags; m++) {
            double s = 0;
            for (int i = 0; i + m < n; i++) {
                double den = norm[i] * norm[i + m];
                if (den > 0) s += dot(emb, i, i + m, d) / den;
            }
            k[m] = s / (n - m);
        }
        return k;
    }

    /** DP of a {@link #profile}: the Pearson correlation of k(1..M) with −(1..M); 0 when k is constant. */
    public static double score(double[] profile) {
        int m = profile.length - 1;
        double mk = 0, ml = 0;
        for (int i = 1; i <= m; i++) { mk += profile[i]; ml += -i; }
        mk /= m;
        ml /= m;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 1; i <= m; i++) {
            double a = profile[i] - mk, b = -i - ml;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        return sxx / m < 1e-18 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    private static double dot(double[] e, int i, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) s += e[i * d + t] * e[j * d + t];
        return s;
    }
}
