package dev.posenc.kernels;

import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

/**
 * Batch normalisation over NCHW without affine parameters (DARTS's {@code BatchNorm2d(C, affine=False)}),
 * with the batch's own statistics. Per channel c, over its n = B·H·W values:
 * <pre>
 *   μ = Σx/n,  σ² = Σ(x − μ)²/n,  rstd = 1/√(σ² + eps),  x̂ = (x − μ)·rstd                       (out = x̂)
 *   dx += rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)),  g = dOut                                        (backward)
 * </pre>
 * Three vector passes (mean, centred squares, normalise; {@link PixelRuns}), each plane's sum in float by {@link PixelRuns} and the planes'
 * sums in double, so a channel of 10⁵ values keeps float precision. One task per channel. Twins:
 * {@link #forwardScalar}, {@link #backwardScalar}.
 */
public final class BatchNormCpu {
    private BatchNormCpu() {}

    public static void forward(Parallel p, Tensor out, Tensor mean, Tensor rstd, Tensor x, float eps) {
        int[] d = check(out, mean, rstd, x);
        int bs = d[0], cs = d[1], hw = d[2];
        p.forEach(cs, c -> {
            double sum = 0;
            for (int b = 0; b < bs; b++) sum += PixelRuns.sum(x.data(), ((long) b * cs + c) * hw, hw);
            float mu = (float) (sum / ((long) bs * hw));
            double sq = 0;
            for (int b = 0; b < bs; b++) sq += PixelRuns.centredSquares(x.data(), ((long) b * cs + c) * hw, hw, mu);
            float r = (float) (1 / Math.sqrt(sq / ((long) bs * hw) + eps));
            for (int b = 0; b < bs; b++) {
                long o = ((long) b * cs + c) * hw;
                PixelRuns.normalize(out.data(), o, x.data(), o, hw, mu, r);
            }
            mean.set(c, mu);
            rstd.set(c, r);
        });
    }

    public static void backward(Parallel p, Tensor dx, Tensor dOut, Tensor out, Tensor rstd) {
        int[] d = check(out, rstd, rstd, out);
        Shapes.same("batchNorm2dBackward", "dOut", out, dOut);
        Shapes.same("batchNorm2dBackward", "dx", out, dx);
        int bs = d[0], cs = d[1], hw = d[2];
        p.forEach(cs, c -> {
            double sg = 0, sgx = 0;
            float[] sums = new float[2];
            for (int b = 0; b < bs; b++) {
                long o = ((long) b * cs + c) * hw;
                PixelRuns.sumDot(dOut.data(), o, out.data(), o, hw, sums);
                sg += sums[0];
                sgx += sums[1];
            }
            long n = (long) bs * hw;
            float mg = (float) (sg / n), mgx = (float) (sgx / n), r = rstd.get(c);
            for (int b = 0; b < bs; b++) PixelRuns.normalizeBackward(dx.data(), dOut.data(), out.data(), ((long) b * cs + c) * hw, hw, r, mg, mgx);
        });
    }

    /** The twin of {@link #forward}: the same formulas, every sum a plain loop in double. */
    public static void forwardScalar(Tensor out, Tensor mean, Tensor rstd, Tensor x, float eps) {
        int[] d = check(out, mean, rstd, x);
        long n = (long) d[0] * d[2];
        for (int c = 0; c < d[1]; c++) {
            double s = 0, sq = 0;
            for (int b = 0; b < d[0]; b++)
                for (int i = 0; i < d[2]; i++) s += x.get(((long) b * d[1] + c) * d[2] + i);
            float mu = (float) (s / n);
            for (int b = 0; b < d[0]; b++)
                for (int i = 0; i < d[2]; i++) {
                    float v = x.get(((long) b * d[1] + c) * d[2] + i) - mu;
                    sq += (double) v * v;
                }
            float r = (float) (1 / Math.sqrt(sq / n + eps));
            for (int b = 0; b < d[0]; b++)
                for (int i = 0; i < d[2]; i++) {
                    long o = ((long) b * d[1] + c) * d[2] + i;
                    out.set(o, (x.get(o) - mu) * r);
                }
            mean.set(c, mu);
            rstd.set(c, r);
        }
    }

    /** The twin of {@link #backward}. */
    public static void backwardScalar(Tensor dx, Tensor dOut, Tensor out, Tensor rstd) {
        int[] d = check(out, rstd, rstd, out);
        long n = (long) d[0] * d[2];
        for (int c = 0; c < d[1]; c++) {
            double sg = 0, sgx = 0;
            for (int b = 0; b < d[0]; b++)
                for (int i = 0; i < d[2]; i++) {
                    long o = ((long) b * d[1] + c) * d[2] + i;
                    sg += dOut.get(o);
                    sgx += (double) dOut.get(o) * out.get(o);
                }
            float mg = (float) (sg / n), mgx = (float) (sgx / n), r = rstd.get(c);
            for (int b = 0; b < d[0]; b++)
                for (int i = 0; i < d[2]; i++) {
                    long o = ((long) b * d[1] + c) * d[2] + i;
                    dx.set(o, dx.get(o) + r * (dOut.get(o) - mg - out.get(o) * mgx));
                }
        }
    }

    /** (B, C, H·W) after checking x (B, C, H, W), out like x, mean and rstd (C). */
    private static int[] check(Tensor out, Tensor mean, Tensor rstd, Tensor x) {
        Shapes.require(x.rank() == 4, "batchNorm2d", "x", "a 4-D tensor (B, C, H, W)", x.shape());
        Shapes.same("batchNorm2d", "out", x, out);
        int c = x.shape().dim(1);
        Shapes.shape("batchNorm2d", "mean", mean, c);
        Shapes.shape("batchNorm2d", "rstd", rstd, c);
        return new int[] {x.shape().dim(0), c, x.shape().dim(2) * x.shape().dim(3)};
    }
}
