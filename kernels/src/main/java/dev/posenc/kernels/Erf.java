package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The error function in float32, vector and scalar twins sharing one set of coefficients.
 * VectorOperators has no ERF, and GELU (PyTorch's default, exact form) needs one accurate to float precision.
 *
 * <p>Two pieces, both evaluated on every lane and joined with a blend (no branch, so no vectors across an
 * if-merge):
 * <ul>
 *   <li>|x| &lt; 1: erf(x) = x·P(x²), P of degree 6; relative error of the fit 1.2e-9, so small x keep full
 *       relative precision (erf(x) ≈ 2x/√π).</li>
 *   <li>|x| ≥ 1: erf(x) = 1 − e^(−x²)·Q(1/x), where Q(1/x) ≈ erfcx(x) = e^(x²)·erfc(x) is smooth and slowly
 *       varying; Q of degree 7, absolute error of erf from the fit 2.6e-10. |x| is clamped at 4, where
 *       erfc(4) = 1.5e-8 is below half an ulp of 1, so erf rounds to ±1 from there on.</li>
 * </ul>
 * The coefficients are weighted least-squares fits refined towards minimax (Lawson iterations) against
 * mpmath's erf on 2000 Chebyshev nodes, then rounded to float. Measured in float32, the total error is at
 * most 1.2e-7 absolute (2 ulp near erf ≈ 0.8, Horner rounding dominates) and 2e-7 relative for small |x|.
 * NaN gives NaN; ±∞ gives ±1.
 */
final class Erf {
    private Erf() {}

    static final float SPLIT = 1f;
    private static final float CLAMP = 4f;
    private static final int SIGN_BIT = 0x8000_0000;

    // erf(x)/x = P(x²) on [0, 1], lowest degree first (P0 = 2/√π).
    static final float P0 = 1.1283791e+00f, P1 = -3.7612626e-01f, P2 = 1.12836e-01f, P3 = -2.6854446e-02f,
            P4 = 5.189537e-03f, P5 = -8.0208573e-04f, P6 = 7.889169e-05f;
    // erfcx(x) = Q(1/x) on [1, 4], lowest degree first (Q1 ≈ 1/√π: erfcx(x) ~ 1/(x√π) for large x).
    static final float Q0 = 2.0109805e-04f, Q1 = 5.5909544e-01f, Q2 = 4.6020426e-02f, Q3 = -4.9649444e-01f,
            Q4 = 5.6628335e-01f, Q5 = -3.496079e-01f, Q6 = 1.2013423e-01f, Q7 = -1.804861e-02f;

    /** erf of every lane. */
    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector s = a.mul(a);
        FloatVector p = s.fma(P6, P5);
        p = p.fma(s, s.broadcast(P4));
        p = p.fma(s, s.broadcast(P3));
        p = p.fma(s, s.broadcast(P2));
        p = p.fma(s, s.broadcast(P1));
        p = p.fma(s, s.broadcast(P0));
        FloatVector small = a.mul(p);

        FloatVector t = a.broadcast(1f).div(a.max(SPLIT));   // max: no 1/0 on the small-|x| lanes
        FloatVector q = t.fma(Q7, Q6);
        q = q.fma(t, t.broadcast(Q5));
        q = q.fma(t, t.broadcast(Q4));
        q = q.fma(t, t.broadcast(Q3));
        q = q.fma(t, t.broadcast(Q2));
        q = q.fma(t, t.broadcast(Q1));
        q = q.fma(t, t.broadcast(Q0));
        FloatVector c = a.min(CLAMP);
        FloatVector e = Exp.exp(c.mul(c).neg());
        FloatVector large = e.neg().fma(q, e.broadcast(1f));

        VectorMask<Float> isSmall = a.compare(VectorOperators.LT, SPLIT);
        IntVector r = (IntVector) large.blend(small, isSmall).viewAsIntegralLanes();
        // copysign (erf is odd) on the bits, so that x = −0 gives −0 as Math.copySign does in the twin.
        IntVector sign = ((IntVector) x.viewAsIntegralLanes()).lanewise(VectorOperators.AND, SIGN_BIT);
        return (FloatVector) r.lanewise(VectorOperators.OR, sign).viewAsFloatingLanes();
    }

    /** Scalar twin of {@link #erf(FloatVector)}: the same coefficients and the same operation order. */
    static float erfScalar(float x) {
        float a = Math.abs(x);
        if (a < SPLIT) {
            float s = a * a;
            float p = Math.fma(s, P6, P5);
            p = Math.fma(p, s, P4);
            p = Math.fma(p, s, P3);
            p = Math.fma(p, s, P2);
            p = Math.fma(p, s, P1);
            p = Math.fma(p, s, P0);
            return Math.copySign(a * p, x);
        }
        float t = 1f / a;
        float q = Math.fma(t, Q7, Q6);
        q = Math.fma(q, t, Q5);
        q = Math.fma(q, t, Q4);
        q = Math.fma(q, t, Q3);
        q = Math.fma(q, t, Q2);
        q = Math.fma(q, t, Q1);
        q = Math.fma(q, t, Q0);
        float c = Math.min(a, CLAMP);
        float e = Exp.expScalar(-(c * c));
        return Math.copySign(Math.fma(-e, q, 1f), x);
    }
}
