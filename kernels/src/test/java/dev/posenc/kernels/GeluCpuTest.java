package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Reference64;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * {@link GeluCpu} against double: error bounds in float ulps of the double result, per region of x, for the
 * vector loops and their scalar twins (bit for bit). ActivationCpuTest covers shapes, threads and the gradient.
 */
class GeluCpuTest {
    /** x ≥ 0: Φ ∈ [½, 1] and no cancellation; measured 2.0 (GELU) and 1.8 (derivative) ulps. */
    private static final double RIGHT_ULPS = 2.5;
    /**
     * −3 ≤ x &lt; 0: ½ + ½·erf(x/√2) cancels down to Φ(−√2) = 0.079 before the erfc branch takes over (×6), and
     * e^(−x²/2) inherits the rounding of x²/2; measured 13.8 ulps.
     */
    private static final double MIDDLE_ULPS = 16;
    /**
     * −5.5 ≤ x &lt; −3: ½·erfc taken directly, so Φ keeps a relative precision (1 + erf loses all of it: Φ(−5) ≈
     * 2.9e-7 is 2.4 ulps of 1). Erf's erfcx fit was made for erf's absolute error (2.6e-10), so ½erfc's relative
     * error grows towards |x/√2| = 4; measured 4.5e-5.
     */
    private static final double LEFT_RTOL = 1e-4;
    /** The derivative crosses 0 at x ≈ −0.75: measured in absolute terms there (float rounding of Φ + x·φ). */
    private static final double DERIVATIVE_ATOL = 2e-7;

    @Test
    void geluAndItsDerivativeMatchDoubleWithinTheirBounds() {
        int n = 13 * 4096 + 5;                                   // every 1/4096 over [−5.5, 7.5], and a vector tail
        try (Arena arena = Arena.ofConfined(); Parallel p = new Parallel(1)) {
            Tensor x = Tensor.zeros(arena, Shape.of(n)), y = Tensor.zeros(arena, Shape.of(n));
            Tensor d = Tensor.zeros(arena, Shape.of(n)), ones = Tensor.zeros(arena, Shape.of(n));
            for (int i = 0; i < n; i++) {
                x.set(i, -5.5f + i / 4096f);
                ones.set(i, 1f);
            }
            ActivationCpu.unary(p, UnaryOp.GELU_ERF, y, x);
            ActivationCpu.unaryBackward(p, UnaryOp.GELU_ERF, d, ones, x, y);   // d = 0 + 1·GELU′(x)
            double right = 0, middle = 0, left = 0, derivativeRight = 0, derivativeAbs = 0;
            for (int i = 0; i < n; i++) {
                float xi = x.get(i);
                assertEquals(GeluCpu.forwardScalar(xi), y.get(i), "vector vs twin at " + xi);
                assertEquals(GeluCpu.derivativeScalar(xi), d.get(i), "vector derivative vs twin at " + xi);
                double g = Reference64.unary(UnaryOp.GELU_ERF, xi), dg = Reference64.derivative(UnaryOp.GELU_ERF, xi);
                double ulps = Math.abs(y.get(i) - g) / Math.ulp((float) g);
                if (xi >= 0) {
                    if (g != 0) right = Math.max(right, ulps);
                    derivativeRight = Math.max(derivativeRight, Math.abs(d.get(i) - dg) / Math.ulp((float) dg));
                } else if (xi >= -3) {
                    middle = Math.max(middle, ulps);
                } else {
                    left = Math.max(left, Math.abs(y.get(i) - g) / Math.abs(g));
                }
                derivativeAbs = Math.max(derivativeAbs, Math.abs(d.get(i) - dg));
            }
            assertTrue(right <= RIGHT_ULPS, "GELU, x ≥ 0: " + right + " ulps");
            assertTrue(middle <= MIDDLE_ULPS, "GELU, −3 ≤ x < 0: " + middle + " ulps");
            assertTrue(left <= LEFT_RTOL, "GELU, x < −3: relative error " + left);
            assertTrue(derivativeRight <= RIGHT_ULPS, "GELU′, x ≥ 0: " + derivativeRight + " ulps");
            assertTrue(derivativeAbs <= DERIVATIVE_ATOL, "GELU′: absolute error " + derivativeAbs);
        }
    }

    @Test
    void specialValuesFollowTheFormula() {
        // −∞·Φ(−∞) = −∞·0 is NaN, as in PyTorch's x·½(1 + erf(x/√2)); −0 keeps its sign
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 100f, -100f};
        float[] expected = {Float.NaN, Float.POSITIVE_INFINITY, Float.NaN, -0f, 0f, 100f, -0f};
        float[] derivative = {Float.NaN, Float.NaN, Float.NaN, 0.5f, 0.5f, 1f, 0f};   // ∞·φ(∞) = ∞·0 at ±∞
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], GeluCpu.forwardScalar(x[i]), "GELU(" + x[i] + ")");
            assertEquals(derivative[i], GeluCpu.derivativeScalar(x[i]), "GELU′(" + x[i] + ")");
        }
    }
}
