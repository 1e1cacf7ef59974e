package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** Exp against Math.exp in double, and the vector form against its scalar twin, bit for bit. */
class ExpTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Ulps of the correctly rounded float for normal results: 1.0095 measured (Exp's Javadoc). */
    private static final double MAX_ULPS = 1.05;

    @Test
    void denseSweepOfTheNormalRangeWithinStatedError() {
        int n = 1 << 22;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87f + 175f * i / (n - 1);
        assertTrue(check(x) <= MAX_ULPS);
    }

    @Test
    void randomPointsWithinStatedError() {
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[1 << 20];
        for (int i = 0; i < x.length; i++) {
            // half uniform, half log-uniform in magnitude so that tiny arguments (e^x ≈ 1 + x) get their share
            x[i] = i % 2 == 0 ? (float) rng.nextDouble(-87, 88.7)
                    : (float) Math.copySign(Math.pow(10, rng.nextDouble(-10, 1.9)), rng.nextDouble(-1, 1));
        }
        assertTrue(check(x) <= MAX_ULPS);
    }

    @Test
    void edgesUnderflowAndOverflowAsMathExpDoes() {
        float[] x = {Float.NEGATIVE_INFINITY, -1e30f, -104f, -103.9f, -100f, -95f, -88f, -87.5f, -0f, 0f,
                Float.MIN_VALUE, 88.72f, 88.7228f, 88.73f, 89f, 1e30f, Float.POSITIVE_INFINITY, Float.NaN};
        float[] v = vector(x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.exp(x[i]);
            float got = Exp.expScalar(x[i]);
            assertEquals(Float.floatToRawIntBits(got), Float.floatToRawIntBits(v[i]), "vector vs scalar at " + x[i]);
            if (Float.isNaN(want) || Float.isInfinite(want) || want == 0) {
                assertEquals(want, got, "exp(" + x[i] + ")");
            } else if (want < Float.MIN_NORMAL) {
                assertEquals(want, got, Float.MIN_VALUE, "subnormal exp(" + x[i] + "): within one subnormal step");
            } else {
                assertTrue(ulps(got, x[i]) <= MAX_ULPS, "exp(" + x[i] + ") = " + got + ", want " + want);
            }
        }
        assertEquals(1f, Exp.expScalar(0f));
        assertEquals(1f, Exp.expScalar(-0f));
    }

    /** Checks vector == scalar bitwise and returns the worst error in ulps of the correctly rounded result. */
    private static double check(float[] x) {
        float[] v = vector(x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float s = Exp.expScalar(x[i]);
            if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(v[i])) {
                throw new AssertionError("vector %s vs scalar %s at x = %s".formatted(v[i], s, x[i]));
            }
            worst = Math.max(worst, ulps(s, x[i]));
        }
        return worst;
    }

    private static double ulps(float got, float x) {
        double exact = Math.exp(x);
        return Math.abs(got - exact) / Math.ulp((float) exact);
    }

    private static float[] vector(float[] x) {
        float[] out = new float[x.length];
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) Exp.exp(FloatVector.fromArray(S, x, i)).intoArray(out, i);
        for (int i = bound; i < x.length; i++) out[i] = Exp.expScalar(x[i]);
        return out;
    }
}
