package dev.posenc.models.analysis.embedders;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stable rank on matrices whose singular values are known by construction. */
class StableRankTest {
    /** Double precision throughout; the eigen-solver's relative error is ~1e-15. */
    private static final double TOL = 1e-10;

    @Test
    void matchesTheSingularValuesOfUSigmaVt() {
        Random rng = new Random(3);
        for (int[] shape : new int[][] {{7, 13}, {13, 7}, {5, 5}}) {
            int m = shape[0], n = shape[1], k = Math.min(m, n);
            double[] s = new double[k];
            for (int i = 0; i < k; i++) s[i] = 3.0 / (i + 1);
            DMatrixRMaj u = RandomMatrices_DDRM.orthogonal(m, k, rng), v = RandomMatrices_DDRM.orthogonal(n, k, rng);
            DMatrixRMaj us = u.copy();
            for (int r = 0; r < m; r++) for (int c = 0; c < k; c++) us.set(r, c, u.get(r, c) * s[c]);
            DMatrixRMaj a = new DMatrixRMaj(m, n);
            CommonOps_DDRM.multTransB(us, v, a);
            double want = 0;
            for (double si : s) want += si * si / (s[0] * s[0]);
            assertEquals(want, StableRank.of(a.data, m, n), TOL, m + "×" + n);
        }
    }

    @Test
    void handWorkedCases() {
        assertEquals(1, StableRank.of(new double[] {1, 2, 3, 2, 4, 6}, 2, 3), TOL, "rank one");
        assertEquals(3, StableRank.of(new double[] {2, 0, 0, 0, 2, 0, 0, 0, 2}, 3, 3), TOL, "2·I");
        assertEquals(1.25, StableRank.of(new double[] {2, 0, 0, 1}, 2, 2), TOL, "(4 + 1)/4");
        assertEquals(0, StableRank.of(new double[6], 2, 3), 0, "zero matrix");
    }
}
