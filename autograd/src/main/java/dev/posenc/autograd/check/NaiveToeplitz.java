package dev.posenc.autograd.check;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import dev.posenc.core.ToeplitzKernels;

/**
 * {@link ToeplitzKernels} by the definition, in O(n²·c) loops with double sums: the route the FFT kernels are
 * checked against, and a way to run {@code RpeKernelAttention} on any backend in tests. Not for real sizes.
 * <pre>
 *   out[h, i, :] = Σ_j w[h, i − j + n − 1]·x[h, j, :]                       (overwrites out)
 *   dw[h, t]    += Σ_{i − j = t − (n − 1)} Σ_c dOut[h, i, c]·x[h, j, c]     (accumulates)
 * </pre>
 */
public final class NaiveToeplitz implements ToeplitzKernels {
    @Override public void toeplitzMultiply(Tensor out, Tensor w, Tensor x) {
        int heads = x.shape().dim(0), n = x.shape().dim(1), c = x.shape().dim(2);
        Shapes.shape("toeplitz_multiply", "w", w, heads, 2 * n - 1);
        Shapes.same("toeplitz_multiply", "out", x, out);
        double[] row = new double[c];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(row, 0);
                for (int j = 0; j < n; j++) {
                    double wt = w.get(h, i - j + n - 1);
                    if (wt == 0) continue;
                    long at = ((long) h * n + j) * c;
                    for (int k = 0; k < c; k++) row[k] += wt * x.get(at + k);
                }
                long to = ((long) h * n + i) * c;
                for (int k = 0; k < c; k++) out.set(to + k, (float) row[k]);
            }
        }
    }

    @Override public void toeplitzWeightGradAccumulate(Tensor dw, Tensor dOut, Tensor x) {
        int heads = x.shape().dim(0), n = x.shape().dim(1), c = x.shape().dim(2);
        Shapes.shape("toeplitz_weight_grad", "dw", dw, heads, 2 * n - 1);
        Shapes.same("toeplitz_weight_grad", "dOut", x, dOut);
        for (int h = 0; h < heads; h++) {
            double[] sum = new double[2 * n - 1];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    long a = ((long) h * n + i) * c, b = ((long) h * n + j) * c;
                    double s = 0;
                    for (int k = 0; k < c; k++) s += (double) dOut.get(a + k) * x.get(b + k);
                    sum[i - j + n - 1] += s;
                }
            }
            for (int t = 0; t < 2 * n - 1; t++) dw.set(h, t, (float) (dw.get(h, t) + sum[t]));
        }
    }
}
