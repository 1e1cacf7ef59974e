package dev.posenc.models.analysis.embedders;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedders against their closed-form kernels, and the distance-preservation score on known profiles. */
class EmbedderTest {
    /** Dense shifts make the sum over shifts a Riemann sum of the continuous integral: error ~ e^{-(πσd)²}, tiny. */
    private static final double RIEMANN_TOL = 1e-6;

    private static double dot(double[] e, int i, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) s += e[i * d + t] * e[j * d + t];
        return s;
    }

    @Test
    void gaussianInnerProductIsTheGaussianOfTwiceTheVariance() {
        double sigma = 0.02;
        int d = 4000;
        double[] x = {0.5, 0.5 + 0.003, 0.5 + 0.017, 0.5 + 0.041, 0.5 - 0.029};
        double[] e = Embedder.GAUSSIAN.embed(x, sigma, d, 0);
        double k0 = dot(e, 0, 0, d);
        for (int j = 1; j < x.length; j++) {
            double delta = x[j] - x[0], want = Math.exp(-delta * delta / (4 * sigma * sigma));
            assertEquals(want, dot(e, 0, j, d) / k0, RIEMANN_TOL, "Δ = " + delta);
        }
    }

    @Test
    void rffKernelIsGaussianAndMatchesTheGaussianEmbedderAtTheMatchedBandwidth() {
        double sigma = 0.01, beta = 1 / (2 * Math.sqrt(2) * Math.PI * sigma);
        int d = 400_000;   // 200 000 frequencies: Monte-Carlo error of the mean of cos ≈ 0.7/√200000 = 0.0016
        double[] x = {0.3, 0.3 + 0.005, 0.3 + 0.013, 0.3 + 0.031};
        double[] e = Embedder.RFF.embed(x, beta, d, 17);
        for (int j = 1; j < x.length; j++) {
            double delta = x[j] - x[0];
            double want = Math.exp(-2 * Math.PI * Math.PI * beta * beta * delta * delta);
            assertEquals(want, dot(e, 0, j, d) / (d / 2.0), 0.008, "Δ = " + delta);
            assertEquals(Math.exp(-delta * delta / (4 * sigma * sigma)), want, 1e-12, "matched bandwidth");
        }
    }

    @Test
    void shapesOfTheOtherEmbedders() {
        int d = 10;
        double[] x = {0.0, 0.05};
        double[] tri = Embedder.TRIANGLE.embed(x, 0.02, d, 0);
        assertEquals(1, tri[0], 0);                  // x = t_0
        assertEquals(0, tri[d + 0], 0);              // 0.05 from t_0, 0.05 from t_1: outside w = 0.02
        double[] imp = Embedder.IMPULSE.embed(x, 1e-3, d, 0);
        assertEquals(1, imp[0], 0);
        for (int i = 0; i < d; i++) assertEquals(0, imp[d + i], 0, "no shift within 1e-3 of 0.05");
        double[] sine = Embedder.SINE.embed(new double[] {0.25}, 1, 4, 0);
        assertEquals(1.7, sine[0], 1e-12);           // sin(π/2) + 0.7
        double[] sq = Embedder.SQUARE.embed(new double[] {0.25}, 1, 4, 0);
        assertEquals(1, sq[0], 0);
        assertEquals(0, sq[2], 0);                   // u = −0.25: sin < 0
        double[] lin = Embedder.LINF.frequencies(5, 4, 0), log = Embedder.LOGF.frequencies(5, 4, 0);
        assertEquals(1, lin[0], 1e-12);
        assertEquals(32, lin[3], 1e-12);
        assertEquals(1, log[0], 1e-12);
        assertEquals(Math.pow(2, 5.0 / 3), log[1], 1e-12);
    }

    @Test
    void normalisationDividesByTheLargestRowNorm() {
        double[] e = {3, 4, 0, 1};
        Embedder.normalised(e, 2);
        assertEquals(0.6, e[0], 1e-15);
        assertEquals(0.2, e[3], 1e-15);
        double[] zero = new double[4];
        Embedder.normalised(zero, 2);
        assertEquals(0, zero[0]);
    }

    @Test
    void badNamesAndParametersAreNamed() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> Embedder.byName("--sweep", "gauss"));
        assertTrue(unknown.getMessage().contains("--sweep") && unknown.getMessage().contains("gaussian")
                && unknown.getMessage().contains("'gauss'"), unknown.getMessage());
        var zero = assertThrows(IllegalArgumentException.class, () -> Embedder.GAUSSIAN.embed(new double[] {0}, 0, 4, 0));
        assertTrue(zero.getMessage().contains("σ") && zero.getMessage().contains("> 0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Embedder.RFF.embed(new double[] {0}, -1, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> Embedder.RFF.embed(new double[] {0}, 1, 5, 0));
    }

    @Test
    void distancePreservationScoresKnownProfiles() {
        assertEquals(1, DistancePreservation.score(new double[] {1, 0.9, 0.8, 0.7, 0.6}), 1e-12);
        assertEquals(0, DistancePreservation.score(new double[] {1, 0, 0, 0, 0}), 0, "a spike: no distance kept");
        assertEquals(-1, DistancePreservation.score(new double[] {1, 0.1, 0.2, 0.3}), 1e-12);
        int n = 256, d = 500;
        double wide = score(Embedder.GAUSSIAN, 0.05, n, d), narrow = score(Embedder.GAUSSIAN, 0.002, n, d);
        assertTrue(wide > 0.95 && narrow < 0.5 && wide > narrow, wide + " vs " + narrow);
        assertEquals(0, score(Embedder.TRIANGLE, 0.0005, n, d), 1e-9, "narrower than the spacing: no overlap");
    }

    private static double score(Embedder e, double p, int n, int d) {
        double[] emb = Embedder.normalised(e.embed(EmbeddersAnalysis.grid(n), p, d, 0), d);
        return DistancePreservation.score(DistancePreservation.profile(emb, n, d));
    }
}
