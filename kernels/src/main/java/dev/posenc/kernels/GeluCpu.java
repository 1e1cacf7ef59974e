package dev.posenc.kernels;

import static dev.posenc.kernels.ElementwiseCpu.S;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The exact GELU (Hendrycks and Gimpel 2016; PyTorch's default, approximate='none') and its derivative, the
 * ViT MLP's activation. Called by {@link ActivationCpu} for {@link dev.posenc.core.UnaryOp#GELU_ERF}.
 * <pre>
 *   y  = x·Φ(x),            Φ(x) = ½(1 + erf(x/√2)) = ½ erfc(−x/√2)
 *   y′ = Φ(x) + x·φ(x),     φ(x) = e^(−x²/2)/√(2π)
 * </pre>
 * With z = x/√2, a = |z|, s = a² = x²/2, and {@link Erf}'s two fits:
 * <ul>
 *   <li>a &lt; 1: Φ = ½ + ½·z·P(s)                     (erf(z) = z·P(z²))</li>
 *   <li>a ≥ 1: h = ½·e^(−s)·Q(1/a) = ½ erfc(a);  Φ = h for x &lt; 0, 1 − h for x &gt; 0</li>
 * </ul>
 * The left tail takes ½ erfc directly, so Φ keeps its relative precision for x ≪ 0 instead of cancelling in
 * 1 + erf (which loses every digit of Φ(−5) ≈ 2.9e-7); e^(−s) serves both Φ and φ, so the backward pays one
 * exponential per element.
 *
 * <p>Why not {@code x·½(1 + Erf.erf(x/√2))} through a vector helper: a helper method that returns a vector is
 * compiled on its own once the interpreter has called it 10,000 times, which happens before the loop around it
 * reaches its on-stack-replacement threshold (≈ 10,700 back-edges); its compiled code is then too big to inline
 * ("already compiled into a big method" in -XX:+PrintInlining), so every vector crossing the call is boxed. That
 * put the ViT's GELU 10–100× behind PyTorch's (bench/RESULTS.md, issue 13). So each loop below holds all its
 * math, and calls only the Vector API and {@link Exp#exp} (small: it inlines even when compiled on its own), with
 * the loads first: C2 inlines in parse order up to a node budget, and a load parsed after the polynomials was left
 * as a boxing call. No unit test can see this (it depends on the call pattern); GeluBench can.
 *
 * <p>Twins: {@link #forwardScalar}, {@link #derivativeScalar} run the same float operations in the same order as
 * a lane (both branches are computed on every lane and blended; the twin computes the one it needs), so lane and
 * twin agree bit for bit. Against double (GeluCpuTest): GELU within 2 ulps for x ≥ 0, 14 on [−3, 0) (½ + ½·erf
 * cancels down to Φ(−√2) ≈ 0.08), 5e-5 relative below; GELU′ within 2 ulps for x ≥ 0, 1.5e-7 absolute everywhere.
 */
final class GeluCpu {
    private GeluCpu() {}

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final float SQRT1_2 = (float) Math.sqrt(0.5);
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    // ---- scalar twins ---------------------------------------------------------------------------------------

    /** Φ(x) in float; e = e^(−x²/2) as the lanes compute it ({@link #gaussian}). */
    private static float cdf(float x, float e) {
        float z = x * SQRT1_2;
        float a = Math.abs(z);
        if (a < Erf.SPLIT) {
            float s = a * a;
            float p = Math.fma(s, Erf.P6, Erf.P5);
            p = Math.fma(p, s, Erf.P4);
            p = Math.fma(p, s, Erf.P3);
            p = Math.fma(p, s, Erf.P2);
            p = Math.fma(p, s, Erf.P1);
            p = Math.fma(p, s, Erf.P0);
            return Math.fma(z * p, 0.5f, 0.5f);
        }
        float t = 1f / a;
        float q = Math.fma(t, Erf.Q7, Erf.Q6);
        q = Math.fma(q, t, Erf.Q5);
        q = Math.fma(q, t, Erf.Q4);
        q = Math.fma(q, t, Erf.Q3);
        q = Math.fma(q, t, Erf.Q2);
        q = Math.fma(q, t, Erf.Q1);
        q = Math.fma(q, t, Erf.Q0);
        float h = e * q * 0.5f;
        return x < 0 ? h : 1f - h;
    }

    /** e^(−x²/2) as (x/√2)², the s of the class comment. */
    private static float gaussian(float x) {
        float a = Math.abs(x * SQRT1_2);
        return Exp.expScalar(-(a * a));
    }

    /** GELU(x) = x·Φ(x). */
    static float forwardScalar(float x) { return x * cdf(x, gaussian(x)); }

    /** GELU′(x) = Φ(x) + x·φ(x). */
    static float derivativeScalar(float x) {
        float e = gaussian(x);
        return Math.fma(x, e * INV_SQRT_2PI, cdf(x, e));
    }

    // ---- vector loops: the twin's operations on every lane, both branches blended -------------------------

    /** out[i] = GELU(in[i]) for i in [from, to). */
    static void forward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p4 = one.broadcast(Erf.P4), p3 = one.broadcast(Erf.P3), p2 = one.broadcast(Erf.P2),
                p1 = one.broadcast(Erf.P1), p0 = one.broadcast(Erf.P0);
        FloatVector q5 = one.broadcast(Erf.Q5), q4 = one.broadcast(Erf.Q4), q3 = one.broadcast(Erf.Q3),
                q2 = one.broadcast(Erf.Q2), q1 = one.broadcast(Erf.Q1), q0 = one.broadcast(Erf.Q0);
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector x = FloatVector.fromMemorySegment(S, in, off, NATIVE);
            FloatVector z = x.mul(SQRT1_2);
            FloatVector a = z.abs();
            FloatVector s = a.mul(a);
            FloatVector p = s.fma(Erf.P6, Erf.P5);
            p = p.fma(s, p4);
            p = p.fma(s, p3);
            p = p.fma(s, p2);
            p = p.fma(s, p1);
            p = p.fma(s, p0);
            FloatVector small = z.mul(p).fma(0.5f, 0.5f);
            FloatVector t = one.div(a.max(Erf.SPLIT));          // max: no 1/0 on the small lanes
            FloatVector q = t.fma(Erf.Q7, Erf.Q6);
            q = q.fma(t, q5);
            q = q.fma(t, q4);
            q = q.fma(t, q3);
            q = q.fma(t, q2);
            q = q.fma(t, q1);
            q = q.fma(t, q0);
            FloatVector h = Exp.exp(s.neg()).mul(q).mul(0.5f);
            VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
            FloatVector cdf = one.sub(h).blend(h, negative).blend(small, a.compare(VectorOperators.LT, Erf.SPLIT));
            x.mul(cdf).intoMemorySegment(out, off, NATIVE);
        }
        for (; i < to; i++) out.setAtIndex(F, i, forwardScalar(in.getAtIndex(F, i)));
    }

    /**
     * out[i] = GELU(in[i]) and d[i] = GELU′(in[i]) for i in [from, to), out may be in: the forward of a layer that
     * keeps GELU′ for its backward ({@link #backwardKept}) instead of recomputing Φ and φ there. The lanes of
     * {@link #forward} and {@link #backward} (one e^(−s) for both), so the bits of the twins.
     */
    static void forwardKeep(MemorySegment out, MemorySegment d, MemorySegment in, long from, long to) {
        long i = from;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p4 = one.broadcast(Erf.P4), p3 = one.broadcast(Erf.P3), p2 = one.broadcast(Erf.P2),
                p1 = one.broadcast(Erf.P1), p0 = one.broadcast(Erf.P0);
        FloatVector q5 = one.broadcast(Erf.Q5), q4 = one.broadcast(Erf.Q4), q3 = one.broadcast(Erf.Q3),
                q2 = one.broadcast(Erf.Q2), q1 = one.broadcast(Erf.Q1), q0 = one.broadcast(Erf.Q0);
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector x = FloatVector.fromMemorySegment(S, in, off, NATIVE);
            FloatVector z = x.mul(SQRT1_2);
            FloatVector a = z.abs();
            FloatVector s = a.mul(a);
            FloatVector p = s.fma(Erf.P6, Erf.P5);
            p = p.fma(s, p4);
            p = p.fma(s, p3);
            p = p.fma(s, p2);
            p = p.fma(s, p1);
            p = p.fma(s, p0);
            FloatVector small = z.mul(p).fma(0.5f, 0.5f);
            FloatVector t = one.div(a.max(Erf.SPLIT));
            FloatVector q = t.fma(Erf.Q7, Erf.Q6);
            q = q.fma(t, q5);
            q = q.fma(t, q4);
            q = q.fma(t, q3);
            q = q.fma(t, q2);
            q = q.fma(t, q1);
            q = q.fma(t, q0);
            FloatVector e = Exp.exp(s.neg());
            FloatVector h = e.mul(q).mul(0.5f);
            VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
            FloatVector cdf = one.sub(h).blend(h, negative).blend(small, a.compare(VectorOperators.LT, Erf.SPLIT));
            x.fma(e.mul(INV_SQRT_2PI), cdf).intoMemorySegment(d, off, NATIVE);
            x.mul(cdf).intoMemorySegment(out, off, NATIVE);
        }
        for (; i < to; i++) {
            float x = in.getAtIndex(F, i);
            d.setAtIndex(F, i, derivativeScalar(x));
            out.setAtIndex(F, i, forwardScalar(x));
        }
    }

    /**
     * dIn[i] = fma(dOut[i], d[i], dIn[i] or 0 when not {@code accumulate}) for i in [from, to), d = GELU′ kept by
     * {@link #forwardKeep}: the last operation of {@link #backward}, so the same bits.
     */
    static void backwardKept(MemorySegment dIn, MemorySegment dOut, MemorySegment d, boolean accumulate, long from,
                             long to) {
        long i = from, end = from + S.loopBound(to - from);
        // One loop per case, not a vector chosen per element (accumulate ? load : zero): C2 boxed that merge on
        // some compiles, a vector per element in a ViT step (async-profiler, session 10).
        if (accumulate) {
            for (; i < end; i += S.length()) {
                long off = i * Float.BYTES;
                FloatVector g = FloatVector.fromMemorySegment(S, d, off, NATIVE);
                FloatVector acc = FloatVector.fromMemorySegment(S, dIn, off, NATIVE);
                FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(g, acc).intoMemorySegment(dIn, off, NATIVE);
            }
        } else {
            FloatVector zero = FloatVector.zero(S);
            for (; i < end; i += S.length()) {
                long off = i * Float.BYTES;
                FloatVector g = FloatVector.fromMemorySegment(S, d, off, NATIVE);
                FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(g, zero).intoMemorySegment(dIn, off, NATIVE);
            }
        }
        for (; i < to; i++) {
            dIn.setAtIndex(F, i, Math.fma(dOut.getAtIndex(F, i), d.getAtIndex(F, i), accumulate ? dIn.getAtIndex(F, i) : 0f));
        }
    }

    /** dIn[i] = fma(dOut[i], GELU′(in[i]), dIn[i] or 0 when not {@code accumulate}) for i in [from, to). */
    static void backward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, boolean accumulate, long from,
                         long to) {
        long i = from;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p4 = one.broadcast(Erf.P4), p3 = one.broadcast(Erf.P3), p2 = one.broadcast(Erf.P2),
                p1 = one.broadcast(Erf.P1), p0 = one.broadcast(Erf.P0);
        FloatVector q5 = one.broadcast(Erf.Q5), q4 = one.broadcast(Erf.Q4), q3 = one.broadcast(Erf.Q3),
                q2 = one.broadcast(Erf.Q2), q1 = one.broadcast(Erf.Q1), q0 = one.broadcast(Erf.Q0);
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            // loads first (NodeCountInliningCutoff: see the class comment)
            FloatVector x = FloatVector.fromMemorySegment(S, in, off, NATIVE);
            FloatVector dy = FloatVector.fromMemorySegment(S, dOut, off, NATIVE);
            FloatVector acc = accumulate ? FloatVector.fromMemorySegment(S, dIn, off, NATIVE) : FloatVector.zero(S);
            FloatVector z = x.mul(SQRT1_2);
            FloatVector a = z.abs();
            FloatVector s = a.mul(a);
            FloatVector p = s.fma(Erf.P6, Erf.P5);
            p = p.fma(s, p4);
            p = p.fma(s, p3);
            p = p.fma(s, p2);
            p = p.fma(s, p1);
            p = p.fma(s, p0);
            FloatVector small = z.mul(p).fma(0.5f, 0.5f);
            FloatVector t = one.div(a.max(Erf.SPLIT));
            FloatVector q = t.fma(Erf.Q7, Erf.Q6);
            q = q.fma(t, q5);
            q = q.fma(t, q4);
            q = q.fma(t, q3);
            q = q.fma(t, q2);
            q = q.fma(t, q1);
            q = q.fma(t, q0);
            FloatVector e = Exp.exp(s.neg());
            FloatVector h = e.mul(q).mul(0.5f);
            VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
            FloatVector cdf = one.sub(h).blend(h, negative).blend(small, a.compare(VectorOperators.LT, Erf.SPLIT));
            FloatVector d = x.fma(e.mul(INV_SQRT_2PI), cdf);
            dy.fma(d, acc).intoMemorySegment(dIn, off, NATIVE);
        }
        for (; i < to; i++) {
            float d = derivativeScalar(in.getAtIndex(F, i));
            dIn.setAtIndex(F, i, Math.fma(dOut.getAtIndex(F, i), d, accumulate ? dIn.getAtIndex(F, i) : 0f));
        }
    }
}
