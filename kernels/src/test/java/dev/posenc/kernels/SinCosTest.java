package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** SinCos against Math.sin/cos in double, and each vector function against its scalar twin, bit for bit. */
class SinCosTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** SinCos' Javadoc states 6.9e-8 measured (1.2 ulps of a value near 1); the test holds it to that. */
    private static final double MAX_ABS_ERROR = 7.0e-8;
    /** Ulps of the correctly rounded float result; 1.52 measured (Javadoc), results under 1e-30 excluded. */
    private static final double MAX_ULPS = 1.6;
    private static final float RANGE = 1e4f;

    @Test
    void denseSweepWithinStatedError() {
        int n = 1 << 21;   // spacing about 0.0095 rad: every quadrant, many times over
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -RANGE + 2 * RANGE * i / (n - 1);
        checkAll(x);
    }

    @Test
    void randomPointsWithinStatedError() {
        SplittableRandom rng = new SplittableRandom(42);
        float[] x = new float[1 << 20];
        for (int i = 0; i < x.length; i++) {
            // half uniform over the range, half log-uniform so small magnitudes get their share
            x[i] = i % 2 == 0 ? (float) rng.nextDouble(-RANGE, RANGE)
                    : (float) (Math.copySign(Math.pow(10, rng.nextDouble(-8, 4)), rng.nextDouble(-1, 1)));
        }
        checkAll(x);
    }

    @Test
    void argumentsUpTo1e5WithinStatedError() {
        SplittableRandom rng = new SplittableRandom(43);
        float[] x = new float[1 << 20];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextDouble(RANGE, 1e5) * (i % 2 == 0 ? 1 : -1));
        checkAll(x);
    }

    @Test
    void floatsNearestMultiplesOfHalfPiWithinStatedError() {
        // Where the reduction is hardest: r = x − q·π/2 cancels almost completely.
        int kMax = (int) (RANGE / (Math.PI / 2));
        float[] x = new float[(2 * kMax + 1) * 7];
        int i = 0;
        for (int k = -kMax; k <= kMax; k++) {
            float nearest = (float) (k * (Math.PI / 2));
            float below = nearest, above = nearest;
            for (int step = 0; step < 3; step++) { below = Math.nextDown(below); above = Math.nextUp(above); }
            for (float v = below; v <= above && i < x.length; v = Math.nextUp(v)) x[i++] = v;
        }
        checkAll(java.util.Arrays.copyOf(x, i));
    }

    @Test
    void specialValues() {
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(SinCos.sinScalar(0f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(SinCos.sinScalar(-0f)));
        assertEquals(1f, SinCos.cosScalar(0f));
        assertEquals(1f, SinCos.cosScalar(-0f));
        for (float tiny : new float[] {1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL}) {
            assertEquals(tiny, SinCos.sinScalar(tiny), "sin(" + tiny + ")");
            assertEquals(1f, SinCos.cosScalar(tiny), "cos(" + tiny + ")");
        }
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertTrue(Float.isNaN(SinCos.sinScalar(bad)), "sin(" + bad + ") is NaN");
            assertTrue(Float.isNaN(SinCos.cosScalar(bad)), "cos(" + bad + ") is NaN");
        }
        float[] specials = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 1f, -1f, 3f, -1e4f, 1e4f, 5e6f, -5e6f};
        assertVectorEqualsTwin(specials);
    }

    @Test
    void arrayFormEqualsTwins() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int n : new int[] {1, 3, 17, 67, 128}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) rng.nextDouble(-300, 300);
            float scale = 0.37f;
            float[] cos = new float[n], sin = new float[n];
            SinCos.cosSin(cos, sin, x, n, scale);
            for (int i = 0; i < n; i++) {
                assertEquals(SinCos.cosScalar(x[i]) * scale, cos[i], "cos " + x[i]);
                assertEquals(SinCos.sinScalar(x[i]) * scale, sin[i], "sin " + x[i]);
            }
        }
    }

    /** Vector and scalar agree bit for bit, and both are within the stated error of Math.sin/cos. */
    private static void checkAll(float[] x) {
        assertVectorEqualsTwin(x);
        checkError("sin", x, SinCos::sinScalar, Math::sin);
        checkError("cos", x, SinCos::cosScalar, Math::cos);
    }

    private static void checkError(String name, float[] x, FloatOp f, DoubleUnaryOperator ref) {
        double maxAbs = 0, maxUlps = 0;
        float worstAbs = 0, worstUlps = 0;
        for (float xi : x) {
            double exact = ref.applyAsDouble(xi), err = Math.abs(f.apply(xi) - exact);
            double ulps = err / Math.ulp((float) exact);
            if (err > maxAbs) { maxAbs = err; worstAbs = xi; }
            if (Math.abs(exact) > 1e-30 && ulps > maxUlps) { maxUlps = ulps; worstUlps = xi; }
        }
        assertTrue(maxAbs <= MAX_ABS_ERROR, "%s: max abs error %.3g at x = %s".formatted(name, maxAbs, worstAbs));
        assertTrue(maxUlps <= MAX_ULPS, "%s: max %.3g ulps at x = %s".formatted(name, maxUlps, worstUlps));
    }

    private static void assertVectorEqualsTwin(float[] x) {
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            float[] s = SinCos.sin(v).toArray(), c = SinCos.cos(v).toArray();
            for (int l = 0; l < S.length(); l++) {
                float xi = x[i + l];
                assertEquals(Float.floatToRawIntBits(SinCos.sinScalar(xi)), Float.floatToRawIntBits(s[l]), "sin " + xi);
                assertEquals(Float.floatToRawIntBits(SinCos.cosScalar(xi)), Float.floatToRawIntBits(c[l]), "cos " + xi);
            }
        }
    }

    @FunctionalInterface
    private interface FloatOp {
        float apply(float x);
    }
}
