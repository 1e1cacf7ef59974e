package dev.posenc.core;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The table of gradient rules on cases worked by hand (the numbers of docs/autodiff.md; PyTorch agrees with each),
 * and the rules the gradient-check suite does not reach (causal attention) against central differences.
 * Everything else in the table is checked by autograd's GradCheckSuite.
 */
class Reference64Test {
    /** Hand-worked values are exact up to double rounding of a few operations. */
    private static final double EXACT = 1e-12;
    /** Values quoted to six digits in the guide. */
    private static final double SIX_DIGITS = 1e-6;

    @Test
    void linearByHand() {
        double[][] g = Reference64.linearBackward(new double[] {1, 1}, new double[] {1, 2}, new double[] {3, 4, 0, -1},
                new double[] {5, 0.5}, 1, 2, 2);
        assertArrayEquals(new double[] {16, -1.5}, Reference64.linear(new double[] {1, 2}, new double[] {3, 4, 0, -1},
                new double[] {5, 0.5}, 1, 2, 2), EXACT);
        assertArrayEquals(new double[] {3, 3}, g[0], EXACT);
        assertArrayEquals(new double[] {1, 2, 1, 2}, g[1], EXACT);
        assertArrayEquals(new double[] {1, 1}, g[2], EXACT);
    }

    @Test
    void fourierByHand() {
        // x = [0.5, 0.25], W = [[π, 0]], s = 1: z = π/2, r = [0, 1]; dr = [1, 1] → dz = −1.
        double[] x = {0.5, 0.25}, w = {Math.PI, 0};
        assertArrayEquals(new double[] {0, 1}, Reference64.fourier(x, w, 1, 2, 1, 1), EXACT);
        double[][] g = Reference64.fourierBackward(new double[] {1, 1}, x, w, 1, 2, 1, 1);
        assertArrayEquals(new double[] {-Math.PI, 0}, g[0], EXACT);
        assertArrayEquals(new double[] {-0.5, -0.25}, g[1], EXACT);
    }

    @Test
    void geluByHand() {
        assertEquals(0.841345, Reference64.unary(UnaryOp.GELU_ERF, 1), SIX_DIGITS);
        assertEquals(1.083316, Reference64.derivative(UnaryOp.GELU_ERF, 1), SIX_DIGITS);
    }

    @Test
    void softmaxAndCrossEntropyByHand() {
        double[] x = {0, Math.log(3)};
        assertArrayEquals(new double[] {0.25, 0.75}, Reference64.softmax(x, 1, 2), EXACT);
        assertArrayEquals(new double[] {3 / 16.0, -3 / 16.0}, Reference64.softmaxBackward(new double[] {1, 0}, x, 1, 2)[0], EXACT);
        assertEquals(-Math.log(0.75), Reference64.crossEntropy(x, new int[] {1}, 1, 2)[0], EXACT);
        assertArrayEquals(new double[] {0.25, -0.25}, Reference64.crossEntropyBackward(new double[] {1}, x, new int[] {1}, 1, 2)[0], EXACT);
    }

    @Test
    void layerNormByHand() {
        double[][] g = Reference64.layerNormBackward(new double[] {1, 0, 0}, new double[] {1, 2, 3}, new double[] {1, 1, 1}, 1, 3, 0);
        assertArrayEquals(new double[] {0.204124, -0.408248, 0.204124}, g[0], SIX_DIGITS);
    }

    @Test
    void attentionByHand() {
        // One query, keys 0 and ln 3 → P = (1/4, 3/4); v = (2, 6) → O = 5 = D for dO = 1.
        double[] q = {1}, k = {0, Math.log(3)}, v = {2, 6};
        assertArrayEquals(new double[] {5}, Reference64.attention(q, k, v, 1, 1, 2, 1, 1, false), EXACT);
        double[][] g = Reference64.attentionBackward(new double[] {1}, q, k, v, 1, 1, 2, 1, 1, false);
        assertArrayEquals(new double[] {0.75 * Math.log(3)}, g[0], EXACT);
        assertArrayEquals(new double[] {-0.75, 0.75}, g[1], EXACT);
        assertArrayEquals(new double[] {0.25, 0.75}, g[2], EXACT);
        // causal: query 0 sees key 0 only, so its output is v₀
        assertEquals(2, Reference64.attention(new double[] {1, 1}, new double[] {0, 5}, v, 1, 2, 2, 1, 1, true)[0], 0);
    }

    @Test
    void causalAttentionBackwardMatchesCentralDifferences() {
        int n = 2, t = 5, d = 3;
        double scale = 0.7, h = 1e-6;
        SplittableRandom r = new SplittableRandom(3);
        double[][] in = {rand(r, n * t * d), rand(r, n * t * d), rand(r, n * t * d)};
        double[] dOut = rand(r, n * t * d);
        double[][] g = Reference64.attentionBackward(dOut, in[0], in[1], in[2], n, t, t, d, scale, true);
        for (int which = 0; which < 3; which++) {
            for (int i = 0; i < in[which].length; i++) {
                double keep = in[which][i];
                in[which][i] = keep + h;
                double plus = dot(dOut, Reference64.attention(in[0], in[1], in[2], n, t, t, d, scale, true));
                in[which][i] = keep - h;
                double minus = dot(dOut, Reference64.attention(in[0], in[1], in[2], n, t, t, d, scale, true));
                in[which][i] = keep;
                // double forward, h = 1e-6: truncation ~h², rounding ~1e-16/h = 1e-10
                assertEquals((plus - minus) / (2 * h), g[which][i], 1e-8, "input " + which + " [" + i + "]");
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double[] rand(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble() * 2 - 1;
        return a;
    }
}
