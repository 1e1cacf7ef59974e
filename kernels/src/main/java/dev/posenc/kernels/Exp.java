package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;

/**
 * e^x in float32 for Vector API lanes, with a scalar twin that runs the identical operation sequence, so a lane
 * and its twin agree bit for bit, and so do the interpreter, C1 and C2.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: once C2 compiles a kernel, EXP becomes a call into the JVM's
 * vector math library; before that (and in the tails, which used {@code Math.exp}) it is a per-lane Java
 * fallback. The two differ by an ulp now and then, one reason the same seed gave results equal only to float
 * rounding between a cold and a warm JVM. Here every tier runs the same float operations ({@link Lanes} removes
 * the other reason, lane sums; {@code TierIndependenceTest} checks both under {@code -Xint} against C2).
 *
 * <p>Method (Cody and Waite; the polynomial of Cephes' expf, Moshier 1992):
 * <ol>
 *   <li>Clamp x to [−104, 88.8]: below, e^x is under half the smallest subnormal and rounds to 0; above, it
 *       overflows to ∞. Both ends still come out right after the clamp (see step 4). NaN stays NaN (Math.min/max
 *       semantics).</li>
 *   <li>k = rint(x·log₂e) by the 1.5·2²³ trick: t = x·log₂e + 1.5·2²³ holds k in its low mantissa bits, and
 *       bits(t) − bits(1.5·2²³) = k exactly for |k| < 2²², with no float-to-int conversion.</li>
 *   <li>r = x − k·ln 2 with ln 2 = L1 + L2 (L1 has 12 significant bits, so k·L1 and x − k·L1 are exact);
 *       |r| ≤ ln2/2 + a little. e^r ≈ 1 + r + r²·P(r), P of degree 5.</li>
 *   <li>Scale by 2^k as 2^(k − ⌊k/2⌋)·2^⌊k/2⌋: both factors are normal floats for k in [−150, 128], so results
 *       that are subnormal or 0 (k down to −150) and results near the top (k = 128) come out without an
 *       intermediate overflow or underflow; the last multiply rounds once.</li>
 * </ol>
 *
 * <p>Accuracy against {@code Math.exp} in double: at most 1.01 ulps of the correctly rounded float for normal
 * results (worst 1.0095 at x ≈ −59.9 over 2²⁶ random points of [−87.3, 88.7]; 0.86 over every float of [−1, 1]
 * with |x| ≥ 1e-3), where {@code (float) Math.exp} is correctly rounded (0.5 ulp) and the vector math library
 * is within about 1; subnormal results within 0.75 of the subnormal spacing; 0, ∞ and NaN where
 * {@code Math.exp} gives them. {@code ExpTest} holds it to 1.05 ulps on 2²² + 2²⁰ points.
 *
 * <p>Speed notes as in {@link SinCos}: lane-wise ops on one vector, no branch, no mask. Callers in hot loops
 * call {@link #exp(FloatVector)}, which C2 inlines (it is small); {@code JitCliffTest} guards the kernels that use
 * it.
 */
public final class Exp {
    private Exp() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float LOWEST = -104f, HIGHEST = 88.8f;
    private static final float LOG2E = 0x1.715476p0f;
    /** 1.5·2²³: adding it rounds a float of magnitude under 2²² to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 0x1.8p23f;
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    /** ln 2 = L1 + L2: L1 = 0.693359375 (12 bits, so k·L1 is exact for |k| < 2¹²), L2 the rest. */
    private static final float L1 = 0.693359375f, L2 = -2.12194440e-4f;
    /** Cephes expf: e^r ≈ 1 + r + r²·(P0 + P1·r + P2·r² + P3·r³ + P4·r⁴ + P5·r⁵) on |r| ≤ ln2/2. */
    private static final float P0 = 5.0000001201e-1f, P1 = 1.6666665459e-1f, P2 = 4.1665795894e-2f,
            P3 = 8.3334519073e-3f, P4 = 1.3981999507e-3f, P5 = 1.9875691500e-4f;
    private static final int EXPONENT_BIAS = 127, MANTISSA_BITS = 23;

    /** e^x, lane-wise. See the class comment for accuracy. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(LOWEST).min(HIGHEST);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(S, -L2), k.fma(FloatVector.broadcast(S, -L1), xc));
        FloatVector p = r.fma(P5, P4).fma(r, FloatVector.broadcast(S, P3)).fma(r, FloatVector.broadcast(S, P2))
                .fma(r, FloatVector.broadcast(S, P1)).fma(r, FloatVector.broadcast(S, P0));
        FloatVector y = r.mul(r).fma(p, r).add(1f);
        IntVector ki = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        IntVector half = ki.lanewise(ASHR, 1);
        FloatVector scaleLow = half.add(EXPONENT_BIAS).lanewise(LSHL, MANTISSA_BITS).reinterpretAsFloats();
        FloatVector scaleHigh = ki.sub(half).add(EXPONENT_BIAS).lanewise(LSHL, MANTISSA_BITS).reinterpretAsFloats();
        return y.mul(scaleHigh).mul(scaleLow);
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations in the same order. */
    public static float expScalar(float x) {
        float xc = Math.min(Math.max(x, LOWEST), HIGHEST);
        float t = Math.fma(xc, LOG2E, ROUND_MAGIC);
        float k = t - ROUND_MAGIC;
        float r = Math.fma(k, -L2, Math.fma(k, -L1, xc));
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P5, P4), r, P3), r, P2), r, P1), r, P0);
        float y = Math.fma(r * r, p, r) + 1f;
        int ki = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        int half = ki >> 1;
        float scaleLow = Float.intBitsToFloat((half + EXPONENT_BIAS) << MANTISSA_BITS);
        float scaleHigh = Float.intBitsToFloat((ki - half + EXPONENT_BIAS) << MANTISSA_BITS);
        return y * scaleHigh * scaleLow;
    }
}
