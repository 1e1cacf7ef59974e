package dev.posenc.models.analysis.embedders;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The stable rank of a matrix A (N, d), Zheng et al.'s {@code srank_func} (spec §3.2):
 * <pre>
 *   sr(A) = Σ_i s_i² / s_1² = ‖A‖_F² / λ_max(A·Aᵀ)
 * </pre>
 * ‖A‖_F² is the sum of the squares of A's entries (= Σ s_i², no decomposition needed). s_1² is the largest
 * eigenvalue of the Gram matrix of the smaller side (A·Aᵀ if N ≤ d, else Aᵀ·A), from EJML's symmetric
 * eigen-decomposition in double precision: exact to rounding, where power iteration would crawl when the
 * top two singular values nearly coincide (narrow shifted bases). 1 ≤ sr ≤ rank(A); 0 for a zero matrix.
 */
public final class StableRank {
    private StableRank() {}

    /** sr of the row-major matrix {@code a} (rows × cols). Reads a only. */
    public static double of(double[] a, int rows, int cols) {
        if (a.length != rows * cols) throw new IllegalArgumentException(
                "a: expected %d × %d = %d values, got %d".formatted(rows, cols, rows * cols, a.length));
        double frob = 0;
        for (double v : a) frob += v * v;
        if (frob == 0) return 0;
        return frob / largestEigenvalue(gram(a, rows, cols));
    }

    /** The Gram matrix of the smaller side: A·Aᵀ (rows ≤ cols) or Aᵀ·A. */
    static DMatrixRMaj gram(double[] a, int rows, int cols) {
        boolean byRows = rows <= cols;
        int n = byRows ? rows : cols, k = byRows ? cols : rows;
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += byRows ? a[i * cols + t] * a[j * cols + t] : a[t * cols + i] * a[t * cols + j];
                g.set(i, j, s);
                g.set(j, i, s);
            }
        }
        return g;
    }

    static double largestEigenvalue(DMatrixRMaj symmetric) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(symmetric.numRows, false, true);
        if (!eig.decompose(symmetric.copy())) throw new ArithmeticException("stable rank: eigen-decomposition failed");
        double max = 0;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) max = Math.max(max, eig.getEigenvalue(i).real);
        return max;
    }
}
