package dev.posenc.autograd.check;

import dev.posenc.core.ConvGeometry;

/**
 * Double-precision forwards of the convolution family, NCHW, written from the formulas as plain loops (the
 * numeric side of {@link GradCheck}; shapes as in {@code ConvKernels}). Independent of the float kernels: no
 * im2col, no runs, no shared helper.
 */
public final class ConvReference64 {
    private ConvReference64() {}

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

    /** softmax(α) ⊙ mask, not renormalised. */
    public static double[] maskedSoftmax(double[] alpha, float[] mask) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (double a : alpha) max = Math.max(max, a);
        double[] p = new double[alpha.length];
        for (int i = 0; i < p.length; i++) z += p[i] = Math.exp(alpha[i] - max);
        for (int i = 0; i < p.length; i++) p[i] = p[i] / z * mask[i];
        return p;
    }
}
