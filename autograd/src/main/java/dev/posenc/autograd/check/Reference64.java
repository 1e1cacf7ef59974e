package dev.posenc.autograd.check;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.UnaryOp;

/**
 * Double-precision reference forwards of every differentiable op, as plain loops over row-major double[].
 * They share no code with the kernels, so a kernel bug cannot hide in both; the gradient checker
 * differentiates them numerically. Written for clarity, not speed: sizes are tiny.
 */
public final class Reference64 {
    private Reference64() {}

    /** form(a, b) with the stored shapes of {@link MatmulForm}: (m, k)-by-(k, n) once transposes are read. */
    public static double[] matmul(double[] a, double[] b, int m, int k, int n, MatmulForm form) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = form == MatmulForm.TN ? a[p * m + i] : a[i * k + p];
                    double bv = form == MatmulForm.NT ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** {@link #matmul} for each of {@code batch} consecutive blocks. */
    public static double[] batchedMatmul(double[] a, double[] b, int batch, int m, int k, int n, MatmulForm form) {
        double[] c = new double[batch * m * n];
        for (int e = 0; e < batch; e++) {
            double[] ce = matmul(java.util.Arrays.copyOfRange(a, e * m * k, (e + 1) * m * k),
                    java.util.Arrays.copyOfRange(b, e * k * n, (e + 1) * k * n), m, k, n, form);
            System.arraycopy(ce, 0, c, e * m * n, m * n);
        }
        return c;
    }

    /** y = x·Wᵀ + b; x (n, in), W (out, in), b (out) or null. */
    public static double[] linear(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = matmul(x, w, n, in, out, MatmulForm.NT);
        if (b != null) y = addRowBroadcast(y, b, n, out);
        return y;
    }

    public static double[] add(double[] a, double[] b) { return zip(a, b, 1); }

    public static double[] sub(double[] a, double[] b) { return zip(a, b, -1); }

    private static double[] zip(double[] a, double[] b, double sign) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i] + sign * b[i];
        return o;
    }

    public static double[] mul(double[] a, double[] b) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i] * b[i];
        return o;
    }

    public static double[] scale(double[] a, double s) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = s * a[i];
        return o;
    }

    public static double[] addRowBroadcast(double[] a, double[] row, int r, int c) {
        double[] o = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[i * c + j] = a[i * c + j] + row[j];
        return o;
    }

    public static double[] unary(UnaryOp f, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = unary(f, x[i]);
        return y;
    }

    public static double unary(UnaryOp f, double x) {
        return switch (f) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> Math.max(0, x);
            case GELU_ERF -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
        };
    }

    /**
     * The error function to ~1e-15 relative: its Maclaurin series for |x| < 3 (at most ~40 terms, mild
     * cancellation), the continued fraction of erfc beyond. Java has no erf, and a numeric derivative needs
     * a smooth, accurate one: a 1e-7 approximation would give gradient errors of 1e-7/h = 0.1.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 3) {
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return Math.copySign(2 / Math.sqrt(Math.PI) * sum, x);
        }
        // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
        double f = ax;
        for (int n = 60; n >= 1; n--) f = ax + (n / 2.0) / f;
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        return Math.copySign(1 - erfc, x);
    }

    public static double[] sum(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return new double[] {s};
    }

    public static double[] mean(double[] x) { return new double[] {sum(x)[0] / x.length}; }

    /** out[c] = scale·Σ_r x[r, c]. */
    public static double[] sumRows(double[] x, int r, int c, double scale) {
        double[] o = new double[c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[j] += scale * x[i * c + j];
        return o;
    }

    /** out[r] = scale·Σ_c x[r, c]. */
    public static double[] sumCols(double[] x, int r, int c, double scale) {
        double[] o = new double[r];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[i] += scale * x[i * c + j];
        return o;
    }

    public static double[] softmax(double[] x, int r, int c) {
        double[] y = logSoftmax(x, r, c);
        for (int i = 0; i < y.length; i++) y[i] = Math.exp(y[i]);
        return y;
    }

    /** y = x − max − log Σ exp(x − max) per row. */
    public static double[] logSoftmax(double[] x, int r, int c) {
        double[] y = new double[r * c];
        for (int i = 0; i < r; i++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < c; j++) max = Math.max(max, x[i * c + j]);
            for (int j = 0; j < c; j++) s += Math.exp(x[i * c + j] - max);
            double lse = max + Math.log(s);
            for (int j = 0; j < c; j++) y[i * c + j] = x[i * c + j] - lse;
        }
        return y;
    }

    /** y = (x − μ)/√(var + eps)·γ + β per row, biased variance. */
    public static double[] layerNorm(double[] x, double[] gamma, double[] beta, int r, int c, double eps) {
        double[] y = new double[r * c];
        for (int i = 0; i < r; i++) {
            double mu = 0, var = 0;
            for (int j = 0; j < c; j++) mu += x[i * c + j];
            mu /= c;
            for (int j = 0; j < c; j++) var += (x[i * c + j] - mu) * (x[i * c + j] - mu);
            var /= c;
            double rstd = 1 / Math.sqrt(var + eps);
            for (int j = 0; j < c; j++) y[i * c + j] = (x[i * c + j] - mu) * rstd * gamma[j] + beta[j];
        }
        return y;
    }

    public static double[] mse(double[] pred, double[] target) {
        double s = 0;
        for (int i = 0; i < pred.length; i++) s += (pred[i] - target[i]) * (pred[i] - target[i]);
        return new double[] {s / pred.length};
    }

    public static double[] crossEntropy(double[] logits, int[] labels, int r, int c) {
        double[] lp = logSoftmax(logits, r, c);
        double s = 0;
        for (int i = 0; i < r; i++) s -= lp[i * c + labels[i]];
        return new double[] {s / r};
    }

    /** r = [cos z ‖ sin z]/√(2K), z = x·Wᵀ; x (n, m), W (k, m), r (n, 2k). */
    public static double[] fourier(double[] x, double[] w, int n, int m, int k) {
        return fourier(x, w, n, m, k, 1 / Math.sqrt(2.0 * k));
    }

    /** r = [cos z ‖ sin z]·s, z = x·Wᵀ: any amplitude (Tancik's mappings use s = 1). */
    public static double[] fourier(double[] x, double[] w, int n, int m, int k, double s) {
        double[] z = matmul(x, w, n, m, k, MatmulForm.NT);
        double[] r = new double[n * 2 * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                r[i * 2 * k + j] = Math.cos(z[i * k + j]) * s;
                r[i * 2 * k + k + j] = Math.sin(z[i * k + j]) * s;
            }
        }
        return r;
    }

    // ---------------------------------------------------------------- vision transformer pieces

    /** softmax(q·kᵀ/√d)·v per entry; q (n, tq, d), k and v (n, tk, d). The (tq, tk) probabilities are formed whole. */
    public static double[] attention(double[] q, double[] k, double[] v, int n, int tq, int tk, int d) {
        double[] out = new double[n * tq * d];
        for (int e = 0; e < n; e++) {
            double[] s = matmul(java.util.Arrays.copyOfRange(q, e * tq * d, (e + 1) * tq * d),
                    java.util.Arrays.copyOfRange(k, e * tk * d, (e + 1) * tk * d), tq, d, tk, MatmulForm.NT);
            double[] p = softmax(scale(s, 1 / Math.sqrt(d)), tq, tk);
            double[] o = matmul(p, java.util.Arrays.copyOfRange(v, e * tk * d, (e + 1) * tk * d), tq, tk, d,
                    MatmulForm.NN);
            System.arraycopy(o, 0, out, e * tq * d, tq * d);
        }
        return out;
    }

    /** (b, t, h·dh) → (b, h, t, dh), or back when {@code merge}. */
    public static double[] heads(double[] x, int b, int t, int h, int dh, boolean merge) {
        double[] y = new double[x.length];
        for (int bb = 0; bb < b; bb++) {
            for (int tt = 0; tt < t; tt++) {
                for (int hh = 0; hh < h; hh++) {
                    for (int c = 0; c < dh; c++) {
                        int tokenMajor = ((bb * t + tt) * h + hh) * dh + c;
                        int headMajor = ((bb * h + hh) * t + tt) * dh + c;
                        if (merge) y[tokenMajor] = x[headMajor]; else y[headMajor] = x[tokenMajor];
                    }
                }
            }
        }
        return y;
    }

    /** out[r] = table[index[r]], rows of d. */
    public static double[] gather(double[] table, int[] index, int d) {
        double[] out = new double[index.length * d];
        for (int r = 0; r < index.length; r++) System.arraycopy(table, index[r] * d, out, r * d, d);
        return out;
    }

    /** cat([a (b, ta, d), c (b, tc, d)], dim=1). */
    public static double[] concatTokens(double[] a, double[] c, int b, int ta, int tc, int d) {
        double[] out = new double[b * (ta + tc) * d];
        for (int bb = 0; bb < b; bb++) {
            System.arraycopy(a, bb * ta * d, out, bb * (ta + tc) * d, ta * d);
            System.arraycopy(c, bb * tc * d, out, (bb * (ta + tc) + ta) * d, tc * d);
        }
        return out;
    }

    /** x[:, from:to] of x (b, t, d). */
    public static double[] sliceTokens(double[] x, int b, int t, int d, int from, int to) {
        double[] out = new double[b * (to - from) * d];
        for (int bb = 0; bb < b; bb++) System.arraycopy(x, (bb * t + from) * d, out, bb * (to - from) * d,
                (to - from) * d);
        return out;
    }

    /** x + table over the batch: table repeats every table.length elements of x. */
    public static double[] addBatchBroadcast(double[] x, double[] table) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] + table[i % table.length];
        return out;
    }

    /** images (b, h, w) → patches (b, (h/p)(w/p), p·p), row-major grid and pixels. */
    public static double[] patchify(double[] images, int b, int h, int w, int p) {
        double[] out = new double[images.length];
        int gw = w / p, i = 0;
        for (int bb = 0; bb < b; bb++) {
            for (int gy = 0; gy < h / p; gy++) {
                for (int gx = 0; gx < gw; gx++) {
                    for (int py = 0; py < p; py++) {
                        for (int px = 0; px < p; px++) out[i++] = images[(bb * h + gy * p + py) * w + gx * p + px];
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- kernelized attention (Luo et al. 2021)

    /**
     * The naive O(n²) formula: z_i = Σ_j c_{i−j} (φq_i·φk_j) v_j / Σ_j c_{i−j} (φq_i·φk_j) with c = exp(b[h, i − j + n − 1])
     * for entry e's head h = e mod heads, c = 0 for j &gt; i when causal, c = 1 when b is null. φq, φk (entries, n, m),
     * v (entries, n, dv).
     */
    public static double[] kernelAttention(double[] q, double[] k, double[] v, double[] b, int entries, int n, int m,
                                           int dv, int heads, boolean causal) {
        double[] out = new double[entries * n * dv];
        for (int e = 0; e < entries; e++) {
            for (int i = 0; i < n; i++) {
                double den = 0;
                double[] num = new double[dv];
                for (int j = 0; j < (causal ? i + 1 : n); j++) {
                    double dot = 0;
                    for (int r = 0; r < m; r++) dot += q[(e * n + i) * m + r] * k[(e * n + j) * m + r];
                    double a = dot * (b == null ? 1 : Math.exp(b[(e % heads) * (2 * n - 1) + i - j + n - 1]));
                    den += a;
                    for (int c = 0; c < dv; c++) num[c] += a * v[(e * n + j) * dv + c];
                }
                for (int c = 0; c < dv; c++) out[(e * n + i) * dv + c] = num[c] / den;
            }
        }
        return out;
    }

    /** φ(x) = exp(W·x − ‖x‖²/2)/√m; x (rows, d), W (m, d). */
    public static double[] prf(double[] x, double[] w, int rows, int d, int m) {
        double[] z = matmul(x, w, rows, d, m, MatmulForm.NT);
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int c = 0; c < d; c++) sq += x[i * d + c] * x[i * d + c];
            for (int r = 0; r < m; r++) z[i * m + r] = Math.exp(z[i * m + r] - sq / 2) / Math.sqrt(m);
        }
        return z;
    }

    /** elu(x) + 1. */
    public static double[] eluPlusOne(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] + 1 : Math.exp(x[i]);
        return y;
    }

    /** y = s·x/√(‖x‖² + eps) per row of d. */
    public static double[] normalize(double[] x, int d, double s, double eps) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length / d; i++) {
            double sq = eps;
            for (int c = 0; c < d; c++) sq += x[i * d + c] * x[i * d + c];
            for (int c = 0; c < d; c++) y[i * d + c] = s * x[i * d + c] / Math.sqrt(sq);
        }
        return y;
    }

    /** T[h, i, j] = b[h, i − j + n − 1]: the (heads, n, n) bias matrix of a relative positional encoding. */
    public static double[] relativeBias(double[] b, int heads, int n) {
        double[] t = new double[heads * n * n];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[(h * n + i) * n + j] = b[h * (2 * n - 1) + i - j + n - 1];
        }
        return t;
    }
    /** A·x through the dense matrix of A (R × C), x (C, d): the route the CSR kernel must agree with. */
    public static double[] spmm(dev.posenc.core.graph.Csr a, double[] x, int d) {
        double[] dense = a.toDense();
        return matmul(dense, x, a.rows(), a.cols(), d, MatmulForm.NN);
    }

    /** torch.nn.BCEWithLogitsLoss, mean: −(1/n) Σ [y log σ(s) + (1 − y) log(1 − σ(s))], written the naive way. */
    public static double[] bceWithLogits(double[] s, float[] y) {
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double p = 1 / (1 + Math.exp(-s[i]));
            sum -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
        }
        return new double[] {sum / s.length};
    }
}
