package dev.posenc.models.analysis.ntk;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A = Q Λ Qᵀ for a real symmetric A, in double precision, through EJML's symmetric QR algorithm (tridiagonal
 * reduction, then implicit QR). Eigenvalues sorted from largest to smallest; eigenvector k (unit norm, sign as
 * EJML returns it) pairs with value k.
 *
 * @param values  λ_0 ≥ λ_1 ≥ ... ≥ λ_{n−1}
 * @param vectors vectors[k] = q_k (length n), or null when only values were asked for
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
    /**
     * The decomposition of the n × n matrix {@code a} (row-major). A float-computed kernel can be asymmetric in
     * its last bits (the matmul's summation order differs between (i, j) and (j, i)), so the symmetric part
     * (A + Aᵀ)/2 is decomposed; an asymmetry larger than {@code 1e-4·max|A|} is a caller's bug and throws.
     * Reads a; modifies nothing.
     */
    public static SymmetricEigen of(double[] a, int n, boolean wantVectors) {
        if (n <= 0 || a.length != (long) n * n) throw new IllegalArgumentException(
                "eigen: a: expected %d × %d = %d elements, got %d".formatted(n, n, (long) n * n, a.length));
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        double scale = 0, asymmetry = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double aij = a[i * n + j], aji = a[j * n + i];
                if (!Double.isFinite(aij)) throw new IllegalArgumentException(
                        "eigen: a: expected finite values, got %s at (%d, %d)".formatted(aij, i, j));
                scale = Math.max(scale, Math.abs(aij));
                asymmetry = Math.max(asymmetry, Math.abs(aij - aji));
                m.unsafe_set(i, j, 0.5 * (aij + aji));
            }
        }
        if (asymmetry > ASYMMETRY_TOL * scale) throw new IllegalArgumentException(
                "eigen: a: expected a symmetric matrix, got max |a_ij − a_ji| = %.3g against max |a| = %.3g"
                        .formatted(asymmetry, scale));
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, wantVectors, true);
        if (!eig.decompose(m)) throw new ArithmeticException("eigen: EJML's symmetric QR did not converge (n = " + n + ")");
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer k) -> eig.getEigenvalue(k).real).reversed());
        double[] values = new double[n];
        double[][] vectors = wantVectors ? new double[n][] : null;
        for (int k = 0; k < n; k++) {
            values[k] = eig.getEigenvalue(order[k]).real;
            if (wantVectors) vectors[k] = eig.getEigenVector(order[k]).getData().clone();
        }
        return new SymmetricEigen(values, vectors);
    }

    /** Float-rounding asymmetry of a kernel computed in float32 is ~1e-7 of its scale; 1e-4 means a real bug. */
    static final double ASYMMETRY_TOL = 1e-4;

    public int size() { return values.length; }
}
