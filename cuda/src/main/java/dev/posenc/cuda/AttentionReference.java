package dev.posenc.cuda;

/**
 * The plain-loop twin of attention.cu: softmax(scale·q·kᵀ, causal mask)·v per (batch·head), over float[]
 * in (BH, T, D) row-major order, accumulated in double. O(T²) memory per row is fine for test sizes.
 * <pre>
 *   forward:  p_ij = softmax_j(s_ij), s_ij = scale·q_i·k_j (−∞ for j > i when causal);  out_i = Σ_j p_ij v_j
 *   backward: dv_j = Σ_i p_ij dO_i;  dp_ij = dO_i·v_j;  ds_ij = p_ij (dp_ij − Σ_l p_il dp_il);
 *             dq_i = scale Σ_j ds_ij k_j;  dk_j = scale Σ_i ds_ij q_i
 * </pre>
 */
public final class AttentionReference {
    private AttentionReference() {}

    /** Attention probabilities of one (b, i) row: p[j] for j < t. */
    private static double[] probabilities(float[] q, float[] k, int base, int i, int t, int d, float scale, boolean causal) {
        double[] p = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < t; j++) {
            if (causal && j > i) { p[j] = Double.NEGATIVE_INFINITY; continue; }
            double s = 0;
            for (int e = 0; e < d; e++) s += (double) q[base + i * d + e] * k[base + j * d + e];
            p[j] = s * scale;
            max = Math.max(max, p[j]);
        }
        double sum = 0;
        for (int j = 0; j < t; j++) sum += p[j] = p[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(p[j] - max);
        for (int j = 0; j < t; j++) p[j] /= sum;
        return p;
    }

    /** out (BH, T, D) = attention(q, k, v). */
    public static float[] forward(float[] q, float[] k, float[] v, int bh, int t, int d, float scale, boolean causal) {
        float[] out = new float[bh * t * d];
        for (int b = 0; b < bh; b++) {
            int base = b * t * d;
            for (int i = 0; i < t; i++) {
                double[] p = probabilities(q, k, base, i, t, d, scale, causal);
                for (int e = 0; e < d; e++) {
                    double acc = 0;
                    for (int j = 0; j < t; j++) acc += p[j] * v[base + j * d + e];
                    out[base + i * d + e] = (float) acc;
                }
            }
        }
        return out;
    }

    /** Returns {dq, dk, dv}, each (BH, T, D), for the loss gradient dOut (BH, T, D). */
    public static float[][] backward(float[] dOut, float[] q, float[] k, float[] v, int bh, int t, int d, float scale,
                                     boolean causal) {
        double[] dq = new double[bh * t * d], dk = new double[bh * t * d], dv = new double[bh * t * d];
        for (int b = 0; b < bh; b++) {
            int base = b * t * d;
            for (int i = 0; i < t; i++) {
                double[] p = probabilities(q, k, base, i, t, d, scale, causal), dp = new double[t];
                double rowDot = 0;
                for (int j = 0; j < t; j++) {
                    for (int e = 0; e < d; e++) dp[j] += (double) dOut[base + i * d + e] * v[base + j * d + e];
                    rowDot += p[j] * dp[j];
                }
                for (int j = 0; j < t; j++) {
                    double ds = p[j] * (dp[j] - rowDot);
                    for (int e = 0; e < d; e++) {
                        dv[base + j * d + e] += p[j] * dOut[base + i * d + e];
                        dq[base + i * d + e] += scale * ds * k[base + j * d + e];
                        dk[base + j * d + e] += scale * ds * q[base + i * d + e];
                    }
                }
            }
        }
        return new float[][] {toFloat(dq), toFloat(dk), toFloat(dv)};
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
