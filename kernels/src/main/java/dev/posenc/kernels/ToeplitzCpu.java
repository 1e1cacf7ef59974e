package dev.posenc.kernels;

import dev.posenc.core.Tensor;
import dev.posenc.core.ToeplitzKernels;

/**
 * Toeplitz products for {@link ToeplitzKernels} (Luo et al. 2021 §3.2; spec papers.md §5.2). Per head h:
 * T[i][j] = w[h, i − j + n − 1], out = T·x with x (n, c); the weight gradient dw[k] += Σ_{i−j=k−(n−1)} dOut[i]·x[j].
 *
 * <p>{@link #multiplyScalar} and {@link #weightGradScalar} are the O(n²) twins, summed in the obvious order.
 * Twin of {@code cuda/src/main/cuda/toeplitz.cu}.
 */
public final class ToeplitzCpu {
    private ToeplitzCpu() {}

    /** out (heads, n, c) = T_h·x_h for every head; overwrites out. */
    public static void multiply(Parallel parallel, Tensor out, Tensor w, Tensor x) {
        int[] s = ToeplitzKernels.checkShapes("toeplitzMultiply", "w", w, "x", x, "out", out);
        int n = s[1], c = s[2];
        parallel.forEach(s[0], h -> multiplyScalar(out, w, x, h, n, c));
    }

    /** dw (heads, 2n − 1) += the Toeplitz weight gradient of every head. */
    public static void weightGradAccumulate(Parallel parallel, Tensor dw, Tensor dOut, Tensor x) {
        int[] s = ToeplitzKernels.checkShapes("toeplitzWeightGradAccumulate", "dw", dw, "x", x, "dOut", dOut);
        int n = s[1], c = s[2];
        parallel.forEach(s[0], h -> weightGradScalar(dw, dOut, x, h, n, c));
    }

    /** out[h,i,:] = Σ_j w[h, i − j + n − 1]·x[h,j,:], in float, j ascending: the O(n²·c) reference. */
    static void multiplyScalar(Tensor out, Tensor w, Tensor x, int h, int n, int c) {
        long xo = (long) h * n * c, wo = (long) h * (2L * n - 1);
        for (int i = 0; i < n; i++) {
            for (int cc = 0; cc < c; cc++) {
                float acc = 0;
                for (int j = 0; j < n; j++) acc += w.get(wo + i - j + n - 1) * x.get(xo + (long) j * c + cc);
                out.set(xo + (long) i * c + cc, acc);
            }
        }
    }

    /** dw[h,k] += Σ_{i−j=k−(n−1)} Σ_c dOut[h,i,c]·x[h,j,c]: the O(n²·c) reference. */
    static void weightGradScalar(Tensor dw, Tensor dOut, Tensor x, int h, int n, int c) {
        long xo = (long) h * n * c, wo = (long) h * (2L * n - 1);
        for (int k = 0; k < 2 * n - 1; k++) {
            int offset = k - (n - 1);   // i − j
            float acc = 0;
            for (int i = Math.max(0, offset); i < Math.min(n, n + offset); i++) {
                long ri = xo + (long) i * c, rj = xo + (long) (i - offset) * c;
                for (int cc = 0; cc < c; cc++) acc += dOut.get(ri + cc) * x.get(rj + cc);
            }
            dw.set(wo + k, dw.get(wo + k) + acc);
        }
    }
}
