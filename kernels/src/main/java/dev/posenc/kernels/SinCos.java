package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.XOR;

/**
 * sin and cos in float32 for Vector API lanes, with scalar twins that run the identical operation sequence,
 * so a vector lane and its scalar twin agree bit for bit (the vector loops finish their tails with the twins).
 *
 * <p>Method (Cody and Waite 1980; polynomials of Cephes' sinf/cosf, Moshier 1992):
 * <ol>
 *   <li>sin is odd and cos even, so work on a = |x| and give sin the sign of x at the end (this also keeps
 *       sin(−0) = −0).</li>
 *   <li>q = rint(a·2/π) by the 1.5·2²³ trick: t = a·2/π + 1.5·2²³ leaves q in t's low mantissa bits, so the
 *       quadrant q mod 4 is read from t's bits with no float-to-int conversion and no branch.</li>
 *   <li>r = a − q·π/2 with π/2 = C1 + C2 + C3 (three floats, 72 bits), each step one fused multiply-add.
 *       C1 has 24 significant bits and is a multiple of 2⁻²³, so a − q·C1 is exact; the later steps round
 *       once relative to |r|, so the reduction stays accurate even where x is close to a multiple of π/2.</li>
 *   <li>sin r and cos r by minimax polynomials on [−π/4, π/4] (degrees 7 and 8); then, on the bits, XOR with
 *       (sin r ^ cos r) where q is odd swaps the two, and XOR with the quadrant's sign bit flips the sign.</li>
 * </ol>
 *
 * <p>Accuracy against {@code Math.sin}/{@code Math.cos} in double, measured by {@code SinCosTest} over a dense
 * sweep of |x| ≤ 1e4 (2²¹ points), 2²⁰ random points and the floats nearest every multiple of π/2 in that
 * range: max abs error 6.9e-8 for both sin and cos (1.2 ulps of a result near 1; the final rounding alone
 * costs half an ulp, 3.0e-8), and at most 1.52 ulps of the correctly rounded float anywhere, including
 * results near zero (results under 1e-30 excluded, where subnormal ulps stop meaning much).
 * Domain: the same bounds hold on 2²⁰ random points of 1e4 ≤ |x| ≤ 1e5. Beyond, the float 2/π makes q
 * off by one now and then, the polynomials run past π/4 and the error grows (7.0e-8 by 1e6, 1e-6 near
 * 6.5e6); past 2²²·π/2 ≈ 6.5e6, q is no longer exact and the result is not sin(x) (there a float's spacing is
 * 0.5 rad, so no phase is left to keep anyway).
 * NaN and ±∞ give NaN, as {@code Math.sin} does.
 *
 * <p>Speed notes: every step is a lane-wise op on one vector, with no branch and no mask (toolchain.md
 * §1.5). The Fourier kernels use the array form {@link #cosSin}, which shares one reduction between sin and
 * cos; see the note above the vector methods on why they share no helpers. Callers of
 * {@link #sin(FloatVector)} and {@link #cos(FloatVector)} in hot loops should check with
 * {@code -XX:+PrintInlining} that the call is inlined (a call that is not boxes its vectors), or use cosSin.
 */
public final class SinCos {
    private SinCos() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** 1.5·2²³: adding it rounds a float in [0, 2²²) to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 0x1.8p23f;
    private static final float TWO_OVER_PI = 0x1.45f306p-1f;
    /** π/2 = C1 + C2 + C3 + 9.5e-23, each rounded toward zero, so all three are positive (−9.5e-23 is the rest). */
    private static final float C1 = 0x1.921fb4p0f;
    private static final float C2 = 0x1.4442dp-24f;
    private static final float C3 = 0x1.84698ap-48f;

    /** Cephes sinf: sin r ≈ r + r³·(S1 + S2·r² + S3·r⁴) on [−π/4, π/4]. */
    private static final float S1 = -1.6666654611e-1f, S2 = 8.3321608736e-3f, S3 = -1.9515295891e-4f;
    /** Cephes cosf: cos r ≈ 1 − r²/2 + r⁴·(K1 + K2·r² + K3·r⁴) on [−π/4, π/4]. */
    private static final float K1 = 4.166664568298827e-2f, K2 = -1.388731625493765e-3f, K3 = 2.443315711809948e-5f;

    private static final int SIGN = 0x8000_0000;
    /** 1 at bit 30: (q + 1)·2³⁰ = q·2³⁰ + 2³⁰, so cos's sign bit comes from the same shifted q as sin's. */
    private static final int QUADRANT_ONE = 1 << 30;

    // ---- vector ----
    //
    // The steps are written out in each vector method rather than shared through private helpers taking
    // vectors. C2 inlines the JDK's Vector API methods whatever the size of the method (they are annotated
    // @ForceInline), but not our helpers: once a method's graph is large (NodeCountInliningCutoff), or the
    // helper was already compiled alone into a large body, the call stays a call and every vector crossing
    // it is boxed on the heap. That happened here with helpers: 350 MB of boxes per 65,536 × 128 pairs, 3x
    // slower. The scalar twins are the one source of the math: SinCosTest checks every vector form against
    // them bit for bit.

    /** sin x, lane-wise. See the class comment for accuracy. */
    public static FloatVector sin(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = a.fma(TWO_OVER_PI, ROUND_MAGIC);                         // q in t's low bits
        FloatVector q = t.sub(ROUND_MAGIC);
        FloatVector r = q.fma(FloatVector.broadcast(S, -C1), a);                 // exact
        r = q.fma(FloatVector.broadcast(S, -C3), q.fma(FloatVector.broadcast(S, -C2), r));
        FloatVector z = r.mul(r);
        FloatVector s = r.mul(z).fma(z.fma(S3, S2).fma(z, FloatVector.broadcast(S, S1)), r);
        FloatVector c = z.fma(K3, K2).fma(z, FloatVector.broadcast(S, K1)).fma(z, FloatVector.broadcast(S, -0.5f))
                .fma(z, FloatVector.broadcast(S, 1f));
        IntVector qi = t.reinterpretAsInts(), si = s.reinterpretAsInts();
        IntVector swap = si.lanewise(XOR, c.reinterpretAsInts())                 // s ^ c where q is odd, else 0
                .and(qi.lanewise(LSHL, 31).lanewise(ASHR, 31));
        IntVector sign = qi.lanewise(LSHL, 30).lanewise(XOR, x.reinterpretAsInts()).and(SIGN);
        return si.lanewise(XOR, swap).lanewise(XOR, sign).reinterpretAsFloats();
    }

    /** cos x, lane-wise. See the class comment for accuracy. */
    public static FloatVector cos(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = a.fma(TWO_OVER_PI, ROUND_MAGIC);
        FloatVector q = t.sub(ROUND_MAGIC);
        FloatVector r = q.fma(FloatVector.broadcast(S, -C1), a);
        r = q.fma(FloatVector.broadcast(S, -C3), q.fma(FloatVector.broadcast(S, -C2), r));
        FloatVector z = r.mul(r);
        FloatVector s = r.mul(z).fma(z.fma(S3, S2).fma(z, FloatVector.broadcast(S, S1)), r);
        FloatVector c = z.fma(K3, K2).fma(z, FloatVector.broadcast(S, K1)).fma(z, FloatVector.broadcast(S, -0.5f))
                .fma(z, FloatVector.broadcast(S, 1f));
        IntVector qi = t.reinterpretAsInts(), ci = c.reinterpretAsInts();
        IntVector swap = ci.lanewise(XOR, s.reinterpretAsInts()).and(qi.lanewise(LSHL, 31).lanewise(ASHR, 31));
        IntVector sign = qi.lanewise(LSHL, 30).add(QUADRANT_ONE).and(SIGN);
        return ci.lanewise(XOR, swap).lanewise(XOR, sign).reinterpretAsFloats();
    }

    /**
     * cos[j] = cos(x[j])·scale and sin[j] = sin(x[j])·scale for j in [0, n), from one reduction shared by sin
     * and cos. Bitwise equal to {@link #cosScalar} and {@link #sinScalar} times scale. Modifies cos and sin.
     */
    public static void cosSin(float[] cos, float[] sin, float[] x, int n, float scale) {
        FloatVector minusC1 = FloatVector.broadcast(S, -C1), minusC2 = FloatVector.broadcast(S, -C2);
        FloatVector minusC3 = FloatVector.broadcast(S, -C3), s1 = FloatVector.broadcast(S, S1);
        FloatVector k1 = FloatVector.broadcast(S, K1), minusHalf = FloatVector.broadcast(S, -0.5f);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int bound = S.loopBound(n);
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, j);
            FloatVector a = xv.abs();
            FloatVector t = a.fma(TWO_OVER_PI, ROUND_MAGIC);
            FloatVector q = t.sub(ROUND_MAGIC);
            FloatVector r = q.fma(minusC3, q.fma(minusC2, q.fma(minusC1, a)));
            FloatVector z = r.mul(r);
            FloatVector s = r.mul(z).fma(z.fma(S3, S2).fma(z, s1), r);
            FloatVector c = z.fma(K3, K2).fma(z, k1).fma(z, minusHalf).fma(z, one);
            IntVector qi = t.reinterpretAsInts(), si = s.reinterpretAsInts(), ci = c.reinterpretAsInts();
            IntVector swap = si.lanewise(XOR, ci).and(qi.lanewise(LSHL, 31).lanewise(ASHR, 31));
            IntVector q30 = qi.lanewise(LSHL, 30);
            IntVector sinSign = q30.lanewise(XOR, xv.reinterpretAsInts()).and(SIGN), cosSign = q30.add(QUADRANT_ONE).and(SIGN);
            ci.lanewise(XOR, swap).lanewise(XOR, cosSign).reinterpretAsFloats().mul(scale).intoArray(cos, j);
            si.lanewise(XOR, swap).lanewise(XOR, sinSign).reinterpretAsFloats().mul(scale).intoArray(sin, j);
        }
        for (int j = bound; j < n; j++) {
            cos[j] = cosScalar(x[j]) * scale;
            sin[j] = sinScalar(x[j]) * scale;
        }
    }

    // ---- scalar twins: the same operations in the same order ----

    public static float sinScalar(float x) {
        float a = Math.abs(x);
        float t = Math.fma(a, TWO_OVER_PI, ROUND_MAGIC);
        float r = reduceScalar(a, t);
        int q = Float.floatToRawIntBits(t), si = Float.floatToRawIntBits(sinPolyScalar(r));
        int swap = (si ^ Float.floatToRawIntBits(cosPolyScalar(r))) & ((q << 31) >> 31);
        int sign = ((q << 30) ^ Float.floatToRawIntBits(x)) & SIGN;
        return Float.intBitsToFloat(si ^ swap ^ sign);
    }

    public static float cosScalar(float x) {
        float a = Math.abs(x);
        float t = Math.fma(a, TWO_OVER_PI, ROUND_MAGIC);
        float r = reduceScalar(a, t);
        int q = Float.floatToRawIntBits(t), ci = Float.floatToRawIntBits(cosPolyScalar(r));
        int swap = (ci ^ Float.floatToRawIntBits(sinPolyScalar(r))) & ((q << 31) >> 31);
        int sign = ((q << 30) + QUADRANT_ONE) & SIGN;
        return Float.intBitsToFloat(ci ^ swap ^ sign);
    }

    /** r = a − q·(C1 + C2 + C3), q = t − 1.5·2²³: step 1 is exact, steps 2 and 3 round relative to |r|. */
    private static float reduceScalar(float a, float t) {
        float q = t - ROUND_MAGIC;
        return Math.fma(q, -C3, Math.fma(q, -C2, Math.fma(q, -C1, a)));
    }

    private static float sinPolyScalar(float r) {
        float z = r * r;
        return Math.fma(r * z, Math.fma(Math.fma(z, S3, S2), z, S1), r);
    }

    private static float cosPolyScalar(float r) {
        float z = r * r;
        return Math.fma(Math.fma(Math.fma(Math.fma(z, K3, K2), z, K1), z, -0.5f), z, 1f);
    }
}
