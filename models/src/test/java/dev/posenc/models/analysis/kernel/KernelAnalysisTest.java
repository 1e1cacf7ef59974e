package dev.posenc.models.analysis.kernel;

import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LFF's kernel at initialisation: shift-invariant, Gaussian in expectation, error falling like 1/√F. */
class KernelAnalysisTest {
    private static final double GAMMA = 0.15;

    @Test
    void lffRmseFallsLikeOneOverRootF() {
        KernelAnalysis.Grid grid = KernelAnalysis.Grid.of(7);
        try (CpuBackend be = new CpuBackend(1)) {
            double small = 0, large = 0;
            for (int seed = 0; seed < 3; seed++) {
                small += rmse(be, 16, grid, seed);
                large += rmse(be, 1024, grid, seed);
            }
            // 64 times the features: 1/√F predicts a ratio of 8; Monte-Carlo spread over 3 draws allows 5..13
            double ratio = small / large;
            assertTrue(ratio > 5 && ratio < 13, "rmse(16)/rmse(1024) = " + ratio);
            assertTrue(large / 3 < 0.06, "rmse at F = 1024: " + large / 3);
        }
    }

    private static double rmse(CpuBackend be, int f, KernelAnalysis.Grid grid, long seed) {
        double[] k = KernelAnalysis.normalisedGram(KernelAnalysis.encode(be, "lff", f, GAMMA, grid, seed, null), grid.size());
        return KernelAnalysis.rmse(k, grid, GAMMA);
    }

    @Test
    void lffDotProductIsShiftInvariantAndHalfOnTheDiagonal() {
        KernelAnalysis.Grid grid = KernelAnalysis.Grid.of(5);
        try (CpuBackend be = new CpuBackend(1)) {
            double[] r = KernelAnalysis.encode(be, "lff", 64, GAMMA, grid, 3, null);
            int d = 64;
            // pairs (0,0)→(1,2) and (2,1)→(3,3): the same offset (1/5, 2/5) in cells (c, r)
            double a = dot(r, 0, 2 * 5 + 1, d), b = dot(r, 1 * 5 + 2, 3 * 5 + 3, d);
            assertEquals(a, b, 1e-5, "float32 features: same offset, same dot product");
            assertEquals(0.5, dot(r, 7, 7, d), 1e-6, "r·r = (1/F)·F/2 = ½");
        }
    }

    @Test
    void lffAtInitIsTheGaussianMappingWithSigmaOneOverTwoPiGamma() {
        KernelAnalysis.Grid grid = KernelAnalysis.Grid.of(4);
        try (CpuBackend be = new CpuBackend(1)) {
            double[] lff = KernelAnalysis.normalisedGram(KernelAnalysis.encode(be, "lff", 32, GAMMA, grid, 9, null), 16);
            double[] gau = KernelAnalysis.normalisedGram(KernelAnalysis.encode(be, "gaussian", 32, GAMMA, grid, 9, null), 16);
            for (int i = 0; i < lff.length; i++) assertEquals(lff[i], gau[i], 1e-4, "k̂[" + i + "]");
        }
    }

    @Test
    void bestGaussianRecoversTheLengthOfAnExactGaussian() {
        KernelAnalysis.Grid grid = KernelAnalysis.Grid.of(6);
        int n = grid.size();
        double ell = 0.2;
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) k[i * n + j] = Math.exp(-Math.pow(grid.distance(i, j), 2) / (2 * ell * ell));
        }
        double[] best = KernelAnalysis.bestGaussian(k, grid);
        assertEquals(ell, best[0], ell * 0.02, "ℓ on a log grid of 60 per decade");
        assertTrue(best[1] < 5e-3, "rmse " + best[1]);
    }

    private static double dot(double[] e, int i, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) s += e[i * d + t] * e[j * d + t];
        return s;
    }
}
