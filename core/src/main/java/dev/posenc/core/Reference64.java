package dev.posenc.core;

import java.util.Arrays;

/**
 * The table of gradient rules: every differentiable op's forward and backward in double precision, as plain
 * loops over row-major double[]. Each {@code fooBackward} sits right under its {@code foo}, takes the output's
 * gradient dy first and returns one gradient per input, in the forward's argument order (null for an input
 * that is not differentiable, such as a missing bias). They share no code with the kernels, so a kernel bug
 * cannot hide in both. The gradient checker ({@code autograd.check.GradCheck}) differentiates each forward
 * numerically, checks the backward here against that, and checks the engine's float32 backward against both;
 * {@code docs/autodiff.md} derives the rules. Written for clarity, not speed: sizes are tiny.
 *
 * <p>Over 400 lines on purpose: one table, so that a learner finds every rule in one place (tinygrad) and a
 * new op cannot land without its row. Reshape has no row: it is the identity on the numbers.
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

    /**
     * The transpose of the loop above: each product a·b that added into c[i, j] sends dc[i, j]·b back to a and
     * dc[i, j]·a back to b. For NN that is da = dc·bᵀ and db = aᵀ·dc; the other forms read the same indices.
     */
    public static double[][] matmulBackward(double[] dc, double[] a, double[] b, int m, int k, int n, MatmulForm form) {
        double[] da = new double[a.length], db = new double[b.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    int ia = form == MatmulForm.TN ? p * m + i : i * k + p;
                    int ib = form == MatmulForm.NT ? j * k + p : p * n + j;
                    da[ia] += dc[i * n + j] * b[ib];
                    db[ib] += dc[i * n + j] * a[ia];
                }
            }
        }
        return new double[][] {da, db};
    }

    /** {@link #matmul} for each of {@code batch} consecutive blocks. */
    public static double[] batchedMatmul(double[] a, double[] b, int batch, int m, int k, int n, MatmulForm form) {
        double[] c = new double[batch * m * n];
        for (int e = 0; e < batch; e++) {
            double[] ce = matmul(Arrays.copyOfRange(a, e * m * k, (e + 1) * m * k),
                    Arrays.copyOfRange(b, e * k * n, (e + 1) * k * n), m, k, n, form);
            System.arraycopy(ce, 0, c, e * m * n, m * n);
        }
        return c;
    }

    public static double[][] batchedMatmulBackward(double[] dc, double[] a, double[] b, int batch, int m, int k, int n,
                                                   MatmulForm form) {
        double[] da = new double[a.length], db = new double[b.length];
        for (int e = 0; e < batch; e++) {
            double[][] g = matmulBackward(Arrays.copyOfRange(dc, e * m * n, (e + 1) * m * n),
                    Arrays.copyOfRange(a, e * m * k, (e + 1) * m * k), Arrays.copyOfRange(b, e * k * n, (e + 1) * k * n),
                    m, k, n, form);
            System.arraycopy(g[0], 0, da, e * m * k, m * k);
            System.arraycopy(g[1], 0, db, e * k * n, k * n);
        }
        return new double[][] {da, db};
    }

    /** y = x·Wᵀ + b; x (n, in), W (out, in), b (out) or null. */
    public static double[] linear(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = matmul(x, w, n, in, out, MatmulForm.NT);
        if (b != null) y = addRowBroadcast(y, b, n, out);
        return y;
    }

    /** dx = dy·W (n, in);  dW = dyᵀ·x (out, in);  db = Σ_rows dy (out), null without a bias. */
    public static double[][] linearBackward(double[] dy, double[] x, double[] w, double[] b, int n, int in, int out) {
        return new double[][] {matmul(dy, w, n, out, in, MatmulForm.NN), matmul(dy, x, out, n, in, MatmulForm.TN),
                b == null ? null : sumRows(dy, n, out, 1)};
    }

    public static double[] add(double[] a, double[] b) { return zip(a, b, 1); }

    /** da = dy;  db = dy. */
    public static double[][] addBackward(double[] dy) { return new double[][] {dy.clone(), dy.clone()}; }

    public static double[] sub(double[] a, double[] b) { return zip(a, b, -1); }

    /** da = dy;  db = −dy. */
    public static double[][] subBackward(double[] dy) { return new double[][] {dy.clone(), scale(dy, -1)}; }

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

    /** da = dy ⊙ b;  db = dy ⊙ a. */
    public static double[][] mulBackward(double[] dy, double[] a, double[] b) { return new double[][] {mul(dy, b), mul(dy, a)}; }

    public static double[] scale(double[] a, double s) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = s * a[i];
        return o;
    }

    /** dx = s·dy. */
    public static double[][] scaleBackward(double[] dy, double s) { return new double[][] {scale(dy, s)}; }

    public static double[] addRowBroadcast(double[] a, double[] row, int r, int c) {
        double[] o = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[i * c + j] = a[i * c + j] + row[j];
        return o;
    }

    /** da = dy;  drow = Σ_rows dy: the row was added to every row. */
    public static double[][] addRowBroadcastBackward(double[] dy, int r, int c) {
        return new double[][] {dy.clone(), sumRows(dy, r, c, 1)};
    }

    public static double[] unary(UnaryOp f, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = unary(f, x[i]);
        return y;
    }

    /** dx = dy ⊙ f′(x). */
    public static double[][] unaryBackward(UnaryOp f, double[] dy, double[] x) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = dy[i] * derivative(f, x[i]);
        return new double[][] {dx};
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
     * f′(x). GELU = x·Φ(x) gives Φ(x) + x·φ(x) by the product rule, φ(x) = e^(−x²/2)/√(2π) the normal density;
     * its tanh form ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³), gives ½(1 + tanh u) + ½x(1 − tanh²u)·u′.
     */
    public static double derivative(UnaryOp f, double x) {
        return switch (f) {
            case EXP -> Math.exp(x);
            case LOG -> 1 / x;
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case SIGMOID -> { double s = 1 / (1 + Math.exp(-x)); yield s * (1 - s); }
            case RELU -> x > 0 ? 1 : 0;
            case GELU_ERF -> 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case GELU_TANH -> {
                double c = Math.sqrt(2 / Math.PI), t = Math.tanh(c * (x + 0.044715 * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
            }
            case SIN -> Math.cos(x);
            case COS -> -Math.sin(x);
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

    /** dx = dy[0] in every element: each one added into the sum once. */
    public static double[][] sumBackward(double[] dy, int length) { return meanBackward(dy, length, 1); }

    public static double[] mean(double[] x) { return new double[] {sum(x)[0] / x.length}; }

    /** dx = dy[0]/n in every element. */
    public static double[][] meanBackward(double[] dy, int length) { return meanBackward(dy, length, 1.0 / length); }

    private static double[][] meanBackward(double[] dy, int length, double s) {
        double[] dx = new double[length];
        Arrays.fill(dx, s * dy[0]);
        return new double[][] {dx};
    }

    /** out[c] = scale·Σ_r x[r, c]. */
    public static double[] sumRows(double[] x, int r, int c, double scale) {
        double[] o = new double[c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[j] += scale * x[i * c + j];
        return o;
    }

    /** dx[r, c] = scale·dy[c]. */
    public static double[][] sumRowsBackward(double[] dy, int r, int c, double scale) {
        double[] dx = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) dx[i * c + j] = scale * dy[j];
        return new double[][] {dx};
    }

    /** out[r] = scale·Σ_c x[r, c]. */
    public static double[] sumCols(double[] x, int r, int c, double scale) {
        double[] o = new double[r];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[i] += scale * x[i * c + j];
        return o;
    }

    /** dx[r, c] = scale·dy[r]. */
    public static double[][] sumColsBackward(double[] dy, int r, int c, double scale) {
        double[] dx = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) dx[i * c + j] = scale * dy[i];
        return new double[][] {dx};
    }

    public static double[] softmax(double[] x, int r, int c) {
        double[] y = logSoftmax(x, r, c);
        for (int i = 0; i < y.length; i++) y[i] = Math.exp(y[i]);
        return y;
    }

    /** Per row, with y = softmax(x): dx = y ⊙ (dy − Σ_j dy_j·y_j). The (c, c) Jacobian diag(y) − y·yᵀ is never built. */
    public static double[][] softmaxBackward(double[] dy, double[] x, int r, int c) {
        double[] y = softmax(x, r, c), dx = new double[r * c];
        for (int i = 0; i < r; i++) {
            double dot = 0;
            for (int j = 0; j < c; j++) dot += dy[i * c + j] * y[i * c + j];
            for (int j = 0; j < c; j++) dx[i * c + j] = y[i * c + j] * (dy[i * c + j] - dot);
        }
        return new double[][] {dx};
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

    /** Per row: dx = dy − softmax(x)·Σ_j dy_j. */
    public static double[][] logSoftmaxBackward(double[] dy, double[] x, int r, int c) {
        double[] p = softmax(x, r, c), dx = new double[r * c];
        for (int i = 0; i < r; i++) {
            double sum = 0;
            for (int j = 0; j < c; j++) sum += dy[i * c + j];
            for (int j = 0; j < c; j++) dx[i * c + j] = dy[i * c + j] - p[i * c + j] * sum;
        }
        return new double[][] {dx};
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

    /**
     * Per row, with x̂ = (x − μ)·rstd and g = dy ⊙ γ: dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)) (the three terms:
     * the direct path, through μ, through the variance); dγ = Σ_rows dy ⊙ x̂;  dβ = Σ_rows dy.
     */
    public static double[][] layerNormBackward(double[] dy, double[] x, double[] gamma, int r, int c, double eps) {
        double[] dx = new double[r * c], dGamma = new double[c], dBeta = new double[c];
        for (int i = 0; i < r; i++) {
            double mu = 0, var = 0;
            for (int j = 0; j < c; j++) mu += x[i * c + j] / c;
            for (int j = 0; j < c; j++) var += (x[i * c + j] - mu) * (x[i * c + j] - mu) / c;
            double rstd = 1 / Math.sqrt(var + eps), meanG = 0, meanGXhat = 0;
            double[] xhat = new double[c], g = new double[c];
            for (int j = 0; j < c; j++) {
                xhat[j] = (x[i * c + j] - mu) * rstd;
                g[j] = dy[i * c + j] * gamma[j];
                meanG += g[j] / c;
                meanGXhat += g[j] * xhat[j] / c;
                dGamma[j] += dy[i * c + j] * xhat[j];
                dBeta[j] += dy[i * c + j];
            }
            for (int j = 0; j < c; j++) dx[i * c + j] = rstd * (g[j] - meanG - xhat[j] * meanGXhat);
        }
        return new double[][] {dx, dGamma, dBeta};
    }

    public static double[] mse(double[] pred, double[] target) {
        double s = 0;
        for (int i = 0; i < pred.length; i++) s += (pred[i] - target[i]) * (pred[i] - target[i]);
        return new double[] {s / pred.length};
    }

    /** L = Σ(p − t)²/n:  dp = dy·2(p − t)/n;  dt = −dp. */
    public static double[][] mseBackward(double[] dy, double[] pred, double[] target) {
        double[] dp = new double[pred.length];
        for (int i = 0; i < pred.length; i++) dp[i] = dy[0] * 2 * (pred[i] - target[i]) / pred.length;
        return new double[][] {dp, scale(dp, -1)};
    }

    public static double[] crossEntropy(double[] logits, int[] labels, int r, int c) {
        double[] lp = logSoftmax(logits, r, c);
        double s = 0;
        for (int i = 0; i < r; i++) s -= lp[i * c + labels[i]];
        return new double[] {s / r};
    }

    /** L = −mean_i log softmax(x_i)[label_i]:  dx = dy·(softmax(x) − onehot(labels))/r. */
    public static double[][] crossEntropyBackward(double[] dy, double[] logits, int[] labels, int r, int c) {
        double[] dx = softmax(logits, r, c);
        for (int i = 0; i < r; i++) dx[i * c + labels[i]] -= 1;
        return new double[][] {scale(dx, dy[0] / r)};
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

    /**
     * With dr = [dc ‖ ds]: dz = s·(ds ⊙ cos z − dc ⊙ sin z) (N, K), since cos′ = −sin and sin′ = cos;
     * then z = x·Wᵀ passes it on as a matmul does: dx = dz·W (N, M);  dW = dzᵀ·x (K, M).
     */
    public static double[][] fourierBackward(double[] dr, double[] x, double[] w, int n, int m, int k, double s) {
        double[] z = matmul(x, w, n, m, k, MatmulForm.NT), dz = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double dc = dr[i * 2 * k + j], ds = dr[i * 2 * k + k + j];
                dz[i * k + j] = s * (ds * Math.cos(z[i * k + j]) - dc * Math.sin(z[i * k + j]));
            }
        }
        return new double[][] {matmul(dz, w, n, k, m, MatmulForm.NN), matmul(dz, x, k, n, m, MatmulForm.TN)};
    }

    // ---------------------------------------------------------------- vision transformer pieces

    /** softmax(q·kᵀ/√d)·v per entry; q (n, tq, d), k and v (n, tk, d). */
    public static double[] attention(double[] q, double[] k, double[] v, int n, int tq, int tk, int d) {
        return attention(q, k, v, n, tq, tk, d, 1 / Math.sqrt(d), false);
    }

    /**
     * O = P·V with P = softmax(S) per row, S = scale·Q·Kᵀ (S[i, j] = −∞ for j &gt; i when causal), per entry of n;
     * q (n, tq, d), k and v (n, tk, d). The (tq, tk) probabilities are formed whole: this is the definition,
     * not the FlashAttention schedule.
     */
    public static double[] attention(double[] q, double[] k, double[] v, int n, int tq, int tk, int d, double scale,
                                     boolean causal) {
        double[] out = new double[n * tq * d];
        for (int e = 0; e < n; e++) {
            double[] p = probabilities(q, k, e, tq, tk, d, scale, causal);
            double[] o = matmul(p, Arrays.copyOfRange(v, e * tk * d, (e + 1) * tk * d), tq, tk, d, MatmulForm.NN);
            System.arraycopy(o, 0, out, e * tq * d, tq * d);
        }
        return out;
    }

    public static double[][] attentionBackward(double[] dO, double[] q, double[] k, double[] v, int n, int tq, int tk, int d) {
        return attentionBackward(dO, q, k, v, n, tq, tk, d, 1 / Math.sqrt(d), false);
    }

    /**
     * dV = Pᵀ·dO;  dP = dO·Vᵀ;  dS = P ⊙ (dP − D) with D_i = Σ_j P_ij·dP_ij = rowsum(dO ⊙ O)_i (softmax's
     * backward; FlashAttention computes D from O so that it needs no row of P);  dQ = scale·dS·K;  dK = scale·dSᵀ·Q.
     */
    public static double[][] attentionBackward(double[] dO, double[] q, double[] k, double[] v, int n, int tq, int tk,
                                               int d, double scale, boolean causal) {
        double[] dq = new double[q.length], dk = new double[k.length], dv = new double[v.length];
        double[] out = attention(q, k, v, n, tq, tk, d, scale, causal);
        for (int e = 0; e < n; e++) {
            double[] p = probabilities(q, k, e, tq, tk, d, scale, causal);
            for (int i = 0; i < tq; i++) {
                double rowD = 0;
                for (int c = 0; c < d; c++) rowD += dO[(e * tq + i) * d + c] * out[(e * tq + i) * d + c];
                for (int j = 0; j < tk; j++) {
                    double pij = p[i * tk + j], dp = 0;
                    for (int c = 0; c < d; c++) {
                        dp += dO[(e * tq + i) * d + c] * v[(e * tk + j) * d + c];
                        dv[(e * tk + j) * d + c] += pij * dO[(e * tq + i) * d + c];
                    }
                    double ds = pij * (dp - rowD);
                    for (int c = 0; c < d; c++) {
                        dq[(e * tq + i) * d + c] += scale * ds * k[(e * tk + j) * d + c];
                        dk[(e * tk + j) * d + c] += scale * ds * q[(e * tq + i) * d + c];
                    }
                }
            }
        }
        return new double[][] {dq, dk, dv};
    }

    /** P (tq, tk) of entry e; masked entries are exactly 0. */
    private static double[] probabilities(double[] q, double[] k, int e, int tq, int tk, int d, double scale, boolean causal) {
        double[] s = scale(matmul(Arrays.copyOfRange(q, e * tq * d, (e + 1) * tq * d),
                Arrays.copyOfRange(k, e * tk * d, (e + 1) * tk * d), tq, d, tk, MatmulForm.NT), scale);
        if (causal) for (int i = 0; i < tq; i++) for (int j = i + 1; j < tk; j++) s[i * tk + j] = Double.NEGATIVE_INFINITY;
        return softmax(s, tq, tk);
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

    /** A permutation: its transpose is the inverse permutation, so the gradient moves back the other way. */
    public static double[][] headsBackward(double[] dy, int b, int t, int h, int dh, boolean merge) {
        return new double[][] {heads(dy, b, t, h, dh, !merge)};
    }

    /** out[r] = table[index[r]], rows of d. */
    public static double[] gather(double[] table, int[] index, int d) {
        double[] out = new double[index.length * d];
        for (int r = 0; r < index.length; r++) System.arraycopy(table, index[r] * d, out, r * d, d);
        return out;
    }

    /** dtable[index[r]] += dy[r]: a row gathered twice receives both gradients. */
    public static double[][] gatherBackward(double[] dy, int tableRows, int[] index, int d) {
        double[] dt = new double[tableRows * d];
        for (int r = 0; r < index.length; r++) for (int c = 0; c < d; c++) dt[index[r] * d + c] += dy[r * d + c];
        return new double[][] {dt};
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

    /** Each input gets its own tokens' part of dy back. */
    public static double[][] concatTokensBackward(double[] dy, int b, int ta, int tc, int d) {
        double[] da = new double[b * ta * d], dc = new double[b * tc * d];
        for (int bb = 0; bb < b; bb++) {
            System.arraycopy(dy, bb * (ta + tc) * d, da, bb * ta * d, ta * d);
            System.arraycopy(dy, (bb * (ta + tc) + ta) * d, dc, bb * tc * d, tc * d);
        }
        return new double[][] {da, dc};
    }

    /** x[:, from:to] of x (b, t, d). */
    public static double[] sliceTokens(double[] x, int b, int t, int d, int from, int to) {
        double[] out = new double[b * (to - from) * d];
        for (int bb = 0; bb < b; bb++) System.arraycopy(x, (bb * t + from) * d, out, bb * (to - from) * d,
                (to - from) * d);
        return out;
    }

    /** dy goes back to the sliced tokens; the others get 0. */
    public static double[][] sliceTokensBackward(double[] dy, int b, int t, int d, int from, int to) {
        double[] dx = new double[b * t * d];
        for (int bb = 0; bb < b; bb++) System.arraycopy(dy, bb * (to - from) * d, dx, (bb * t + from) * d, (to - from) * d);
        return new double[][] {dx};
    }

    /** x + table over the batch: table repeats every table.length elements of x. */
    public static double[] addBatchBroadcast(double[] x, double[] table) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] + table[i % table.length];
        return out;
    }

    /** dx = dy;  dtable = the sum of dy over the repeats. */
    public static double[][] addBatchBroadcastBackward(double[] dy, int tableLength) {
        double[] dt = new double[tableLength];
        for (int i = 0; i < dy.length; i++) dt[i % tableLength] += dy[i];
        return new double[][] {dy.clone(), dt};
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

    /** Each pixel lands in one patch: its gradient is read back from there (the inverse permutation). */
    public static double[][] patchifyBackward(double[] dy, int b, int h, int w, int p) {
        double[] dx = new double[dy.length];
        int gw = w / p, i = 0;
        for (int bb = 0; bb < b; bb++) {
            for (int gy = 0; gy < h / p; gy++) {
                for (int gx = 0; gx < gw; gx++) {
                    for (int py = 0; py < p; py++) {
                        for (int px = 0; px < p; px++) dx[(bb * h + gy * p + py) * w + gx * p + px] = dy[i++];
                    }
                }
            }
        }
        return new double[][] {dx};
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

    /**
     * With a_ij = c_ij·(φq_i·φk_j), den_i = Σ_j a_ij and z_i = Σ_j a_ij v_j / den_i: ∂L/∂a_ij = dz_i·(v_j − z_i)/den_i
     * =: g_ij. Then dv_j += (a_ij/den_i)·dz_i;  dφq_i += g_ij c_ij φk_j;  dφk_j += g_ij c_ij φq_i;  and, as
     * ∂c/∂b = c, db[h, i − j + n − 1] += g_ij·a_ij (null without b).
     */
    public static double[][] kernelAttentionBackward(double[] dz, double[] q, double[] k, double[] v, double[] b,
                                                     int entries, int n, int m, int dv, int heads, boolean causal) {
        double[] z = kernelAttention(q, k, v, b, entries, n, m, dv, heads, causal);
        double[] dq = new double[q.length], dk = new double[k.length], dV = new double[v.length];
        double[] db = b == null ? null : new double[b.length];
        for (int e = 0; e < entries; e++) {
            for (int i = 0; i < n; i++) {
                int last = causal ? i + 1 : n;
                double[] a = new double[last], c = new double[last];
                double den = 0;
                for (int j = 0; j < last; j++) {
                    int off = (e % heads) * (2 * n - 1) + i - j + n - 1;
                    c[j] = b == null ? 1 : Math.exp(b[off]);
                    double dot = 0;
                    for (int r = 0; r < m; r++) dot += q[(e * n + i) * m + r] * k[(e * n + j) * m + r];
                    a[j] = c[j] * dot;
                    den += a[j];
                }
                for (int j = 0; j < last; j++) {
                    double g = 0;
                    for (int col = 0; col < dv; col++) {
                        double dzc = dz[(e * n + i) * dv + col];
                        g += dzc * (v[(e * n + j) * dv + col] - z[(e * n + i) * dv + col]) / den;
                        dV[(e * n + j) * dv + col] += a[j] / den * dzc;
                    }
                    for (int r = 0; r < m; r++) {
                        dq[(e * n + i) * m + r] += g * c[j] * k[(e * n + j) * m + r];
                        dk[(e * n + j) * m + r] += g * c[j] * q[(e * n + i) * m + r];
                    }
                    if (db != null) db[(e % heads) * (2 * n - 1) + i - j + n - 1] += g * a[j];
                }
            }
        }
        return new double[][] {dq, dk, dV, db};
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

    /** With g = dφ ⊙ φ (exp′ = exp):  dW = gᵀ·x;  dx = g·W − (Σ_r g_r)·x (the −‖x‖²/2 term). */
    public static double[][] prfBackward(double[] dPhi, double[] x, double[] w, int rows, int d, int m) {
        double[] g = mul(dPhi, prf(x, w, rows, d, m));
        double[] dx = matmul(g, w, rows, m, d, MatmulForm.NN);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int r = 0; r < m; r++) sum += g[i * m + r];
            for (int c = 0; c < d; c++) dx[i * d + c] -= sum * x[i * d + c];
        }
        return new double[][] {dx, matmul(g, x, m, rows, d, MatmulForm.TN)};
    }

    /** elu(x) + 1. */
    public static double[] eluPlusOne(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] + 1 : Math.exp(x[i]);
        return y;
    }

    /** dx = dy for x &gt; 0, dy·eˣ otherwise. */
    public static double[][] eluPlusOneBackward(double[] dy, double[] x) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = dy[i] * (x[i] > 0 ? 1 : Math.exp(x[i]));
        return new double[][] {dx};
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

    /** Per row, with ρ = 1/√(‖x‖² + eps): dx = s·ρ·(dy − x·(x·dy)·ρ²). */
    public static double[][] normalizeBackward(double[] dy, double[] x, int d, double s, double eps) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length / d; i++) {
            double sq = eps, xdy = 0;
            for (int c = 0; c < d; c++) {
                sq += x[i * d + c] * x[i * d + c];
                xdy += x[i * d + c] * dy[i * d + c];
            }
            double rho = 1 / Math.sqrt(sq);
            for (int c = 0; c < d; c++) dx[i * d + c] = s * rho * (dy[i * d + c] - x[i * d + c] * xdy * rho * rho);
        }
        return new double[][] {dx};
    }

    /** T[h, i, j] = b[h, i − j + n − 1]: the (heads, n, n) bias matrix of a relative positional encoding. */
    public static double[] relativeBias(double[] b, int heads, int n) {
        double[] t = new double[heads * n * n];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[(h * n + i) * n + j] = b[h * (2 * n - 1) + i - j + n - 1];
        }
        return t;
    }

    /** db[h, i − j + n − 1] += dT[h, i, j]: every (i, j) on one diagonal shares the offset's weight. */
    public static double[][] relativeBiasBackward(double[] dT, int heads, int n) {
        double[] db = new double[heads * (2 * n - 1)];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) db[h * (2 * n - 1) + i - j + n - 1] += dT[(h * n + i) * n + j];
        }
        return new double[][] {db};
    }

    // ---------------------------------------------------------------- graphs: sparse message passing, link loss

    /** A·x through the dense matrix of A (R × C), x (C, d): the route the CSR kernel must agree with. */
    public static double[] spmm(dev.posenc.core.graph.Csr a, double[] x, int d) {
        return matmul(a.toDense(), x, a.rows(), a.cols(), d, MatmulForm.NN);
    }

    /** dx = Aᵀ·dy (C, d): A is a constant, so only x gets a gradient. */
    public static double[][] spmmBackward(double[] dy, dev.posenc.core.graph.Csr a, int d) {
        return new double[][] {matmul(a.toDense(), dy, a.cols(), a.rows(), d, MatmulForm.TN)};
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

    /** ds = dL·(σ(s) − y)/n: log σ′ = 1 − σ and log(1 − σ)′ = −σ, so the two terms meet in σ − y. */
    public static double[][] bceWithLogitsBackward(double[] dL, double[] s, float[] y) {
        double[] ds = new double[s.length];
        for (int i = 0; i < s.length; i++) ds[i] = dL[0] * (1 / (1 + Math.exp(-s[i])) - y[i]) / s.length;
        return new double[][] {ds};
    }

    // The convolution family (NCHW, shapes as in ConvKernels) and DARTS's mixed operation: plain loops from the
    // formulas, no im2col, no runs, nothing shared with the float kernels.

    /**
     * out[b,o,y,x] = Σ_{c,ky,kx} w[(o, c/groups-part), ky, kx]·x[b,c,iy,ix]; {@code depthwise} means groups = C
     * (w is (C, k, k) and o = c), else w is (O, C, k, k).
     */
    public static double[] conv(double[] x, double[] w, int b, int c, int h, int wd, int o, ConvGeometry g, boolean depthwise) {
        int ho = g.outSize(h), wo = g.outSize(wd), k = g.kernel();
        int outC = depthwise ? c : o;
        double[] out = new double[b * outC * ho * wo];
        for (int bb = 0; bb < b; bb++)
            for (int oc = 0; oc < outC; oc++)
                for (int y = 0; y < ho; y++)
                    for (int xx = 0; xx < wo; xx++) {
                        double s = 0;
                        for (int ic = depthwise ? oc : 0; ic < (depthwise ? oc + 1 : c); ic++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * g.stride() - g.padding() + ky * g.dilation();
                                    int ix = xx * g.stride() - g.padding() + kx * g.dilation();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    int wi = depthwise ? (oc * k + ky) * k + kx : ((oc * c + ic) * k + ky) * k + kx;
                                    s += w[wi] * x[((bb * c + ic) * h + iy) * wd + ix];
                                }
                        out[((bb * outC + oc) * ho + y) * wo + xx] = s;
                    }
        return out;
    }

    /**
     * Each tap w·x that added into out[b,o,y,x] sends d·x back to that weight and d·w back to that input pixel:
     * dW is the correlation of the input with dOut, dX the transposed convolution of dOut with W (same loops).
     */
    public static double[][] convBackward(double[] d, double[] x, double[] w, int b, int c, int h, int wd, int o, ConvGeometry g,
                                          boolean depthwise) {
        int ho = g.outSize(h), wo = g.outSize(wd), k = g.kernel();
        int outC = depthwise ? c : o;
        double[] dx = new double[x.length], dw = new double[w.length];
        for (int bb = 0; bb < b; bb++)
            for (int oc = 0; oc < outC; oc++)
                for (int y = 0; y < ho; y++)
                    for (int xx = 0; xx < wo; xx++) {
                        double dy = d[((bb * outC + oc) * ho + y) * wo + xx];
                        for (int ic = depthwise ? oc : 0; ic < (depthwise ? oc + 1 : c); ic++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * g.stride() - g.padding() + ky * g.dilation();
                                    int ix = xx * g.stride() - g.padding() + kx * g.dilation();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    int wi = depthwise ? (oc * k + ky) * k + kx : ((oc * c + ic) * k + ky) * k + kx;
                                    int xi = ((bb * c + ic) * h + iy) * wd + ix;
                                    dw[wi] += dy * x[xi];
                                    dx[xi] += dy * w[wi];
                                }
                    }
        return new double[][] {dx, dw};
    }

    /** Average (count_include_pad=False) or max over each window's inside taps. */
    public static double[] pool(double[] x, int planes, int h, int wd, ConvGeometry g, boolean max) {
        int ho = g.outSize(h), wo = g.outSize(wd);
        double[] out = new double[planes * ho * wo];
        for (int p = 0; p < planes; p++)
            for (int y = 0; y < ho; y++)
                for (int xx = 0; xx < wo; xx++) {
                    double s = 0, best = Double.NEGATIVE_INFINITY;
                    int n = 0;
                    for (int ky = 0; ky < g.kernel(); ky++)
                        for (int kx = 0; kx < g.kernel(); kx++) {
                            int iy = y * g.stride() - g.padding() + ky * g.dilation();
                            int ix = xx * g.stride() - g.padding() + kx * g.dilation();
                            if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                            double v = x[(p * h + iy) * wd + ix];
                            s += v;
                            best = Math.max(best, v);
                            n++;
                        }
                    out[(p * ho + y) * wo + xx] = max ? best : s / n;
                }
        return out;
    }

    /**
     * Average: each inside tap gets d/n (n = the window's inside taps). Max: the whole d goes to the tap that won
     * (the first of equal maxima, as the forward's scan met it); the others had zero slope.
     */
    public static double[][] poolBackward(double[] d, double[] x, int planes, int h, int wd, ConvGeometry g, boolean max) {
        int ho = g.outSize(h), wo = g.outSize(wd);
        double[] dx = new double[x.length];
        for (int p = 0; p < planes; p++)
            for (int y = 0; y < ho; y++)
                for (int xx = 0; xx < wo; xx++) {
                    double dy = d[(p * ho + y) * wo + xx], best = Double.NEGATIVE_INFINITY;
                    int n = 0, arg = -1;
                    for (int pass = 0; pass < 2; pass++)
                        for (int ky = 0; ky < g.kernel(); ky++)
                            for (int kx = 0; kx < g.kernel(); kx++) {
                                int iy = y * g.stride() - g.padding() + ky * g.dilation();
                                int ix = xx * g.stride() - g.padding() + kx * g.dilation();
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                int xi = (p * h + iy) * wd + ix;
                                if (pass == 0) {                      // count the taps, find the winner
                                    n++;
                                    if (x[xi] > best) { best = x[xi]; arg = xi; }
                                } else if (!max) {
                                    dx[xi] += dy / n;
                                }
                            }
                    if (max) dx[arg] += dy;
                }
        return new double[][] {dx};
    }

    /** (x − μ_c)/√(σ²_c + eps) per channel over (b, y, x), biased variance. */
    public static double[] batchNorm(double[] x, int b, int c, int hw, double eps) {
        double[] out = new double[x.length];
        for (int cc = 0; cc < c; cc++) {
            double s = 0, sq = 0;
            for (int bb = 0; bb < b; bb++) for (int i = 0; i < hw; i++) s += x[(bb * c + cc) * hw + i];
            double mu = s / (b * hw);
            for (int bb = 0; bb < b; bb++) for (int i = 0; i < hw; i++) {
                double d = x[(bb * c + cc) * hw + i] - mu;
                sq += d * d;
            }
            double r = 1 / Math.sqrt(sq / (b * hw) + eps);
            for (int bb = 0; bb < b; bb++) for (int i = 0; i < hw; i++) out[(bb * c + cc) * hw + i] = (x[(bb * c + cc) * hw + i] - mu) * r;
        }
        return out;
    }

    /**
     * With x̂ = (x − μ)·r, r = 1/√(σ² + eps) and N = b·hw per channel, μ and σ² both depend on every x, which gives
     * the three-term formula of layer norm taken over a channel instead of a row:
     * dx = r/N · (N·dy − Σdy − x̂·Σ(dy·x̂)).
     */
    public static double[][] batchNormBackward(double[] d, double[] x, int b, int c, int hw, double eps) {
        double[] xhat = batchNorm(x, b, c, hw, eps), dx = new double[x.length];
        int n = b * hw;
        for (int cc = 0; cc < c; cc++) {
            double s = 0, sq = 0, sumD = 0, sumDx = 0;
            for (int bb = 0; bb < b; bb++) for (int i = 0; i < hw; i++) s += x[(bb * c + cc) * hw + i];
            double mu = s / n;
            for (int bb = 0; bb < b; bb++) for (int i = 0; i < hw; i++) {
                int j = (bb * c + cc) * hw + i;
                sq += (x[j] - mu) * (x[j] - mu);
                sumD += d[j];
                sumDx += d[j] * xhat[j];
            }
            double r = 1 / Math.sqrt(sq / n + eps);
            for (int bb = 0; bb < b; bb++) for (int i = 0; i < hw; i++) {
                int j = (bb * c + cc) * hw + i;
                dx[j] = r / n * (n * d[j] - sumD - xhat[j] * sumDx);
            }
        }
        return new double[][] {dx};
    }

    /** Σ_i w_i·o_i over candidates given in order (a null candidate is zero). */
    public static double[] mixture(double[] w, double[]... candidates) {
        double[] out = null;
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i] == null) continue;
            if (out == null) out = new double[candidates[i].length];
            for (int j = 0; j < out.length; j++) out[j] += w[i] * candidates[i][j];
        }
        return out;
    }

    /** dw_i = Σ_j d_j·o_i[j] (0 for a null candidate), do_i = w_i·d; gradients in the order (w, candidates...). */
    public static double[][] mixtureBackward(double[] d, double[] w, double[]... candidates) {
        double[][] g = new double[candidates.length + 1][];
        g[0] = new double[w.length];
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i] == null) continue;
            g[i + 1] = new double[d.length];
            for (int j = 0; j < d.length; j++) {
                g[0][i] += d[j] * candidates[i][j];
                g[i + 1][j] = w[i] * d[j];
            }
        }
        return g;
    }

    /** softmax(α) ⊙ mask, not renormalised. */
    public static double[] maskedSoftmax(double[] alpha, float[] mask) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (double a : alpha) max = Math.max(max, a);
        double[] p = new double[alpha.length];
        for (int i = 0; i < p.length; i++) z += p[i] = Math.exp(alpha[i] - max);
        for (int i = 0; i < p.length; i++) p[i] = p[i] / z * mask[i];
        return p;
    }

    /**
     * With p = softmax(α) and out = p ⊙ m: ∂out_i/∂α_k = m_i·p_i·(δ_ik − p_k), so
     * dα_k = p_k·(m_k·d_k − Σ_i m_i·p_i·d_i): softmax's backward with the mask folded into d.
     */
    public static double[][] maskedSoftmaxBackward(double[] d, double[] alpha, float[] mask) {
        float[] none = new float[alpha.length];
        Arrays.fill(none, 1f);
        double[] p = maskedSoftmax(alpha, none);
        double dot = 0;
        for (int i = 0; i < p.length; i++) dot += mask[i] * p[i] * d[i];
        double[] da = new double[alpha.length];
        for (int k = 0; k < p.length; k++) da[k] = p[k] * (mask[k] * d[k] - dot);
        return new double[][] {da};
    }
}
