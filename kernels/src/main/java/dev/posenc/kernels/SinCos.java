package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
 *   <li>sin r and cos r by minimax polynomials on [−π/4, π/4] (degrees 7 and 8), then a bitwise blend picks
 *       sin r or cos r by quadrant and an XOR flips the sign.</li>
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
 * <p>Speed notes: every step is a lane-wise op on one vector, with no branch and no mask, so C2 keeps it in
 * registers (toolchain.md §1.5). {@link #storeCosSin} and {@link #cosMinusSin} share one reduction between
 * sin and cos for the Fourier kernels.
 */
public final class SinCos {
    private SinCos() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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

    // ---- vector ----

    /** sin x, lane-wise. See the class comment for accuracy. */
    public static FloatVector sin(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = a.fma(TWO_OVER_PI, ROUND_MAGIC);
        FloatVector r = reduce(a, t);
        IntVector q = t.reinterpretAsInts();
        IntVector sign = sinSign(q, x);
        return select(sinPoly(r), cosPoly(r), oddQuadrant(q), sign);
    }

    /** cos x, lane-wise. See the class comment for accuracy. */
    public static FloatVector cos(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = a.fma(TWO_OVER_PI, ROUND_MAGIC);
        FloatVector r = reduce(a, t);
        IntVector q = t.reinterpretAsInts();
        return select(cosPoly(r), sinPoly(r), oddQuadrant(q), cosSign(q));
    }

    /**
     * Stores cos(x)·scale at byte offset {@code cosOffset} and sin(x)·scale at {@code sinOffset} of {@code out}
     * (native order), from one shared reduction. Bitwise equal to storing {@link #cos} and {@link #sin}
     * times scale. Modifies out only.
     */
    public static void storeCosSin(FloatVector x, float scale, MemorySegment out, long cosOffset, long sinOffset) {
        FloatVector a = x.abs();
        FloatVector t = a.fma(TWO_OVER_PI, ROUND_MAGIC);
        FloatVector r = reduce(a, t);
        IntVector q = t.reinterpretAsInts();
        FloatVector s = sinPoly(r), c = cosPoly(r);
        IntVector odd = oddQuadrant(q);
        IntVector sinSign = sinSign(q, x);
        select(c, s, odd, cosSign(q)).mul(scale).intoMemorySegment(out, cosOffset, ByteOrder.nativeOrder());
        select(s, c, odd, sinSign).mul(scale).intoMemorySegment(out, sinOffset, ByteOrder.nativeOrder());
    }

    /**
     * a·cos x − b·sin x, lane-wise, from one shared reduction: the Fourier backward's (dS·cos z − dC·sin z).
     * Bitwise equal to {@link #cosMinusSinScalar} per lane.
     */
    public static FloatVector cosMinusSin(FloatVector x, FloatVector a, FloatVector b) {
        FloatVector ax = x.abs();
        FloatVector t = ax.fma(TWO_OVER_PI, ROUND_MAGIC);
        FloatVector r = reduce(ax, t);
        IntVector q = t.reinterpretAsInts();
        FloatVector s = sinPoly(r), c = cosPoly(r);
        IntVector odd = oddQuadrant(q);
        IntVector sinSign = sinSign(q, x);
        FloatVector cosX = select(c, s, odd, cosSign(q)), sinX = select(s, c, odd, sinSign);
        return a.mul(cosX).sub(b.mul(sinX));
    }

    /** r = a − q·(C1 + C2 + C3), q = t − 1.5·2²³; step 1 is exact, steps 2 and 3 round relative to |r|. */
    private static FloatVector reduce(FloatVector a, FloatVector t) {
        FloatVector q = t.sub(ROUND_MAGIC);
        FloatVector r = q.fma(FloatVector.broadcast(S, -C1), a);
        r = q.fma(FloatVector.broadcast(S, -C2), r);
        return q.fma(FloatVector.broadcast(S, -C3), r);
    }

    private static FloatVector sinPoly(FloatVector r) {
        FloatVector z = r.mul(r);
        FloatVector p = z.fma(S3, S2).fma(z, FloatVector.broadcast(S, S1));
        return r.mul(z).fma(p, r);
    }

    private static FloatVector cosPoly(FloatVector r) {
        FloatVector z = r.mul(r);
        FloatVector p = z.fma(K3, K2).fma(z, FloatVector.broadcast(S, K1));
        return p.fma(z, FloatVector.broadcast(S, -0.5f)).fma(z, FloatVector.broadcast(S, 1f));
    }

    /** All ones in lanes whose quadrant q is odd (there sin x uses cos r and vice versa), else zero. */
    private static IntVector oddQuadrant(IntVector q) {
        return q.lanewise(VectorOperators.LSHL, 31)
                .lanewise(VectorOperators.ASHR, 31);
    }

    /** sin is negative in quadrants 2 and 3 (bit 1 of q, moved to the sign bit), flipped again for x < 0. */
    private static IntVector sinSign(IntVector q, FloatVector x) {
        return q.lanewise(VectorOperators.LSHL, 30).and(SIGN).lanewise(VectorOperators.XOR, x.reinterpretAsInts().and(SIGN));
    }

    /** cos is negative in quadrants 1 and 2: bit 1 of q + 1, moved to the sign bit. */
    private static IntVector cosSign(IntVector q) {
        return q.add(1).lanewise(VectorOperators.LSHL, 30).and(SIGN);
    }

    /** (odd ? other : mine) with the sign bit flipped where {@code sign} has it: pure bit operations. */
    private static FloatVector select(FloatVector mine, FloatVector other, IntVector odd, IntVector sign) {
        return mine.reinterpretAsInts().bitwiseBlend(other.reinterpretAsInts(), odd)
                .lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
    }

    // ---- scalar twins: the same operations in the same order ----

    public static float sinScalar(float x) {
        float a = Math.abs(x);
        float t = Math.fma(a, TWO_OVER_PI, ROUND_MAGIC);
        float r = reduceScalar(a, t);
        int q = Float.floatToRawIntBits(t);
        int sign = ((q << 30) & SIGN) ^ (Float.floatToRawIntBits(x) & SIGN);
        return selectScalar(sinPolyScalar(r), cosPolyScalar(r), (q << 31) >> 31, sign);
    }

    public static float cosScalar(float x) {
        float a = Math.abs(x);
        float t = Math.fma(a, TWO_OVER_PI, ROUND_MAGIC);
        float r = reduceScalar(a, t);
        int q = Float.floatToRawIntBits(t);
        return selectScalar(cosPolyScalar(r), sinPolyScalar(r), (q << 31) >> 31, ((q + 1) << 30) & SIGN);
    }

    /** a·cos x − b·sin x: the scalar twin of {@link #cosMinusSin}. */
    public static float cosMinusSinScalar(float x, float a, float b) {
        return a * cosScalar(x) - b * sinScalar(x);
    }

    private static float reduceScalar(float a, float t) {
        float q = t - ROUND_MAGIC;
        return Math.fma(q, -C3, Math.fma(q, -C2, Math.fma(q, -C1, a)));
    }

    private static float sinPolyScalar(float r) {
        float z = r * r;
        float p = Math.fma(Math.fma(z, S3, S2), z, S1);
        return Math.fma(r * z, p, r);
    }

    private static float cosPolyScalar(float r) {
        float z = r * r;
        float p = Math.fma(Math.fma(z, K3, K2), z, K1);
        return Math.fma(Math.fma(p, z, -0.5f), z, 1f);
    }

    private static float selectScalar(float mine, float other, int odd, int sign) {
        int bits = (Float.floatToRawIntBits(mine) & ~odd) | (Float.floatToRawIntBits(other) & odd);
        return Float.intBitsToFloat(bits ^ sign);
    }
}
