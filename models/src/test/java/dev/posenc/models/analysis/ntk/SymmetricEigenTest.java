package dev.posenc.models.analysis.ntk;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EJML wrapper on matrices whose spectra are known: worked by hand, and Q diag(λ) Qᵀ built from them. */
class SymmetricEigenTest {
    /** Double-precision symmetric QR: backward stable, errors a few ulps of the largest |λ| times n. */
    static final double TOL = 1e-12;

    @Test
    void aTwoByTwoWorkedByHand() {
        // [[2, 1], [1, 2]]: (1, 1)/√2 with 3, (1, −1)/√2 with 1
        SymmetricEigen e = SymmetricEigen.of(new double[] {2, 1, 1, 2}, 2, true);
        assertArrayEquals(new double[] {3, 1}, e.values(), TOL);
        double r = Math.sqrt(0.5);
        assertEquals(r, Math.abs(e.vectors()[0][0]), TOL);
        assertEquals(e.vectors()[0][0], e.vectors()[0][1], TOL);
        assertEquals(e.vectors()[1][0], -e.vectors()[1][1], TOL);
    }

    @Test
    void knownSpectraComeBackSortedWithOrthonormalEigenvectors() {
        for (int n : new int[] {1, 7, 13, 64}) {
            Random rng = new Random(n);
            double[] lambda = new double[n];
            for (int k = 0; k < n; k++) lambda[k] = Math.pow(10, -6 * rng.nextDouble()) * (k % 5 == 4 ? -1 : 1);
            if (n > 2) lambda[1] = lambda[2];                               // a repeated eigenvalue too
            double[][] q = orthonormal(n, rng);
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += q[k][i] * lambda[k] * q[k][j];
                    a[i * n + j] = s;
                }
            }
            SymmetricEigen e = SymmetricEigen.of(a, n, true);
            double[] sorted = lambda.clone();
            java.util.Arrays.sort(sorted);
            for (int k = 0; k < n; k++) assertEquals(sorted[n - 1 - k], e.values()[k], TOL * n, "λ_" + k + ", n " + n);
            for (int k = 0; k < n; k++) {
                double[] v = e.vectors()[k];
                for (int m = 0; m < n; m++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += v[i] * e.vectors()[m][i];
                    assertEquals(k == m ? 1 : 0, dot, TOL * n, "q_" + k + "·q_" + m);
                }
                for (int i = 0; i < n; i++) {                                // A q = λ q
                    double av = 0;
                    for (int j = 0; j < n; j++) av += a[i * n + j] * v[j];
                    assertEquals(e.values()[k] * v[i], av, TOL * n);
                }
            }
        }
    }

    @Test
    void valuesOnlyAgreeWithTheFullDecomposition() {
        double[] a = {4, 1, 0, 1, 3, 1, 0, 1, 2};
        SymmetricEigen values = SymmetricEigen.of(a, 3, false), full = SymmetricEigen.of(a, 3, true);
        assertNull(values.vectors());
        assertArrayEquals(full.values(), values.values(), TOL);
        assertEquals(9, values.values()[0] + values.values()[1] + values.values()[2], TOL);   // the trace
    }

    @Test
    void anAsymmetricOrNonFiniteMatrixIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 2, 0, 1}, 2, false));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, Double.NaN, Double.NaN, 1}, 2, false));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 2, 3}, 2, false));
    }

    /** Rows of a random orthogonal matrix: Gram–Schmidt (twice, for stability) on Gaussian rows. */
    static double[][] orthonormal(int n, Random rng) {
        double[][] q = new double[n][n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) q[k][i] = rng.nextGaussian();
            for (int pass = 0; pass < 2; pass++) {
                for (int m = 0; m < k; m++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[k][i] * q[m][i];
                    for (int i = 0; i < n; i++) q[k][i] -= dot * q[m][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[k][i] * q[k][i];
            for (int i = 0; i < n; i++) q[k][i] /= Math.sqrt(norm);
        }
        return q;
    }
}
