package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The inner loops of the convolution and pooling kernels: one operation along a contiguous run of pixels (a
 * stretch of an image row), the form every stride-1 window tap takes in NCHW. Offsets are in floats. Each
 * vector loop finishes its tail with its scalar twin (the {@code …Scalar} method), so the math has one source.
 */
final class PixelRuns {
    private PixelRuns() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** out[o + i] += a·in[s + i] for i < len. */
    static void axpy(MemorySegment out, long o, MemorySegment in, long s, int len, float a) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, a);
        for (; i <= len - L; i += L) {
            long ob = (o + i) * Float.BYTES;
            FloatVector.fromMemorySegment(S, in, (s + i) * Float.BYTES, BO)
                    .fma(va, FloatVector.fromMemorySegment(S, out, ob, BO)).intoMemorySegment(out, ob, BO);
        }
        axpyScalar(out, o + i, in, s + i, len - i, a);
    }

    static void axpyScalar(MemorySegment out, long o, MemorySegment in, long s, int len, float a) {
        for (int i = 0; i < len; i++) out.setAtIndex(F, o + i, out.getAtIndex(F, o + i) + a * in.getAtIndex(F, s + i));
    }

    /** out[o + i] = max(out[o + i], in[s + i]) for i < len. */
    static void max(MemorySegment out, long o, MemorySegment in, long s, int len) {
        int i = 0;
        for (; i <= len - L; i += L) {
            long ob = (o + i) * Float.BYTES;
            FloatVector.fromMemorySegment(S, in, (s + i) * Float.BYTES, BO)
                    .max(FloatVector.fromMemorySegment(S, out, ob, BO)).intoMemorySegment(out, ob, BO);
        }
        maxScalar(out, o + i, in, s + i, len - i);
    }

    static void maxScalar(MemorySegment out, long o, MemorySegment in, long s, int len) {
        for (int i = 0; i < len; i++) out.setAtIndex(F, o + i, Math.max(out.getAtIndex(F, o + i), in.getAtIndex(F, s + i)));
    }

    /**
     * Σ a[p + i]·b[q + i] for i < len: lane-wise partial sums folded by {@link Lanes#sum} (a fixed order), then the
     * tail by the twin.
     */
    static float dot(MemorySegment a, long p, MemorySegment b, long q, int len) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= len - L; i += L) {
            acc = FloatVector.fromMemorySegment(S, a, (p + i) * Float.BYTES, BO)
                    .fma(FloatVector.fromMemorySegment(S, b, (q + i) * Float.BYTES, BO), acc);
        }
        return Lanes.sum(acc) + dotScalar(a, p + i, b, q + i, len - i);
    }

    static float dotScalar(MemorySegment a, long p, MemorySegment b, long q, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s += a.getAtIndex(F, p + i) * b.getAtIndex(F, q + i);
        return s;
    }

    /**
     * {@link #sum}(a, p, len) into sums[0] and {@link #dot}(a, p, b, q, len) into sums[1], bit for bit, in one pass over a
     * (batch norm's backward: one read of dOut instead of two).
     */
    static void sumDot(MemorySegment a, long p, MemorySegment b, long q, int len, float[] sums) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S), accDot = acc;
        for (; i <= len - L; i += L) {
            FloatVector av = FloatVector.fromMemorySegment(S, a, (p + i) * Float.BYTES, BO);
            acc = acc.add(av);
            accDot = av.fma(FloatVector.fromMemorySegment(S, b, (q + i) * Float.BYTES, BO), accDot);
        }
        sums[0] = Lanes.sum(acc) + sumScalar(a, p + i, len - i);
        sums[1] = Lanes.sum(accDot) + dotScalar(a, p + i, b, q + i, len - i);
    }

    /** Σ a[p + i] for i < len, lane-wise then {@link Lanes#sum}, the tail by the twin. */
    static float sum(MemorySegment a, long p, int len) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= len - L; i += L) acc = acc.add(FloatVector.fromMemorySegment(S, a, (p + i) * Float.BYTES, BO));
        return Lanes.sum(acc) + sumScalar(a, p + i, len - i);
    }

    static float sumScalar(MemorySegment a, long p, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s += a.getAtIndex(F, p + i);
        return s;
    }

    /** Σ (a[p + i] − mu)² for i < len: lane-wise partial sums folded by {@link Lanes#sum}, the tail by the twin. */
    static float centredSquares(MemorySegment a, long p, int len, float mu) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S), m = FloatVector.broadcast(S, mu);
        for (; i <= len - L; i += L) {
            FloatVector d = FloatVector.fromMemorySegment(S, a, (p + i) * Float.BYTES, BO).sub(m);
            acc = d.fma(d, acc);
        }
        return Lanes.sum(acc) + centredSquaresScalar(a, p + i, len - i, mu);
    }

    static float centredSquaresScalar(MemorySegment a, long p, int len, float mu) {
        float s = 0f;
        for (int i = 0; i < len; i++) {
            float d = a.getAtIndex(F, p + i) - mu;
            s += d * d;
        }
        return s;
    }

    /** out[o + i] = (in[s + i] − mu)·r for i < len (batch norm's x̂). */
    static void normalize(MemorySegment out, long o, MemorySegment in, long s, int len, float mu, float r) {
        int i = 0;
        FloatVector m = FloatVector.broadcast(S, mu), vr = FloatVector.broadcast(S, r);
        for (; i <= len - L; i += L) {
            FloatVector.fromMemorySegment(S, in, (s + i) * Float.BYTES, BO).sub(m).mul(vr).intoMemorySegment(out, (o + i) * Float.BYTES, BO);
        }
        normalizeScalar(out, o + i, in, s + i, len - i, mu, r);
    }

    static void normalizeScalar(MemorySegment out, long o, MemorySegment in, long s, int len, float mu, float r) {
        for (int i = 0; i < len; i++) out.setAtIndex(F, o + i, (in.getAtIndex(F, s + i) - mu) * r);
    }

    /** dx[p + i] += r·(g[p + i] − mg − y[p + i]·mgy) for i < len (batch norm's input gradient; y = x̂). */
    static void normalizeBackward(MemorySegment dx, MemorySegment g, MemorySegment y, long p, int len, float r, float mg, float mgy) {
        int i = 0;
        FloatVector vr = FloatVector.broadcast(S, r), vmg = FloatVector.broadcast(S, mg), vmgy = FloatVector.broadcast(S, mgy);
        for (; i <= len - L; i += L) {
            long at = (p + i) * Float.BYTES;
            FloatVector t = FloatVector.fromMemorySegment(S, g, at, BO).sub(vmg).sub(FloatVector.fromMemorySegment(S, y, at, BO).mul(vmgy));
            FloatVector.fromMemorySegment(S, dx, at, BO).add(t.mul(vr)).intoMemorySegment(dx, at, BO);
        }
        normalizeBackwardScalar(dx, g, y, p + i, len - i, r, mg, mgy);
    }

    static void normalizeBackwardScalar(MemorySegment dx, MemorySegment g, MemorySegment y, long p, int len, float r, float mg, float mgy) {
        for (int i = 0; i < len; i++) {
            dx.setAtIndex(F, p + i, dx.getAtIndex(F, p + i) + r * (g.getAtIndex(F, p + i) - mg - y.getAtIndex(F, p + i) * mgy));
        }
    }

    /**
     * The output columns [lo, hi) whose tap at offset {@code shift} (input column ox·stride + shift) lands inside
     * [0, width). Returned packed as lo·2³² + hi; hi ≤ lo means none.
     */
    static long validRange(int outWidth, int stride, int shift, int width) {
        int lo = shift >= 0 ? 0 : Math.min(outWidth, (-shift + stride - 1) / stride);
        int hi = width - shift <= 0 ? 0 : Math.min(outWidth, (width - shift - 1) / stride + 1);
        return ((long) lo << 32) | (hi & 0xffffffffL);
    }

    static int lo(long range) { return (int) (range >>> 32); }

    static int hi(long range) { return (int) range; }
}
