package dev.posenc.kernels;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax over the last axis, forward and backward. A tensor of any rank is read as R rows
 * of C = its last dimension. Each row is shifted by its maximum before exp, so every exp argument is ≤ 0:
 * nothing overflows (logits of ±1e4 are fine) and the largest term is exactly 1, so the sum is ≥ 1 and its
 * log never sees 0.
 *
 * <pre>
 *   softmax:     out = exp(x − m) / Σ exp(x − m),        m = max_c x
 *   backward:    dIn += out ⊙ (dOut − Σ_c dOut ⊙ out)
 *   logSoftmax:  out = (x − m) − log Σ exp(x − m)
 *   backward:    dIn += dOut − exp(out) · Σ_c dOut
 * </pre>
 *
 * Each kernel has a public scalar twin ({@code softmaxScalar}, ...). The vector row loops run along C and
 * hand their tail to the scalar row functions, so the math has one source. Sums of a row start in float
 * vector lanes (C / lanes terms each) and finish in double. Rows are independent, so the split over threads
 * never changes a row's arithmetic. {@link LossCpu} reuses the row functions for cross entropy.
 */
public final class SoftmaxCpu {
    private SoftmaxCpu() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final ByteOrder BO = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** A task gets at least this many elements: below it, handing rows to another thread costs more than the work. */
    static final long MIN_TASK_ELEMENTS = 1 << 14;

    /** Rows per task so that small inputs stay on the calling thread. */
    static long minRows(int cols) { return Math.max(1, MIN_TASK_ELEMENTS / Math.max(1, cols)); }

    // ---------------------------------------------------------------- softmax

    /** out = softmax(in) over the last axis. Modifies out (which may be in itself). */
    public static void softmax(Parallel p, Tensor out, Tensor in) {
        Shapes.same("softmax", "out", in, out);
        MemorySegment o = out.data(), x = in.data();
        int c = in.cols();
        p.forRange(in.rows(), minRows(c), (from, to) -> {
            float[] lanes = Lanes.scratch();
            for (long r = from; r < to; r++) softmaxRow(o, x, r * c * Float.BYTES, c, lanes);
        });
    }

    /** Scalar twin of {@link #softmax}. */
    public static void softmaxScalar(Tensor out, Tensor in) {
        Shapes.same("softmax", "out", in, out);
        int c = in.cols();
        for (long r = 0; r < in.rows(); r++) softmaxRowScalar(out.data(), in.data(), r * c * Float.BYTES, c);
    }

    /** One row; {@code lanes}: {@link Lanes#scratch}, fetched once per task by the caller. */
    static void softmaxRow(MemorySegment out, MemorySegment x, long base, int c, float[] lanes) {
        float m = max(x, base, c);
        double sum = expShift(out, x, base, c, m, lanes);
        scale(out, base, c, (float) (1 / sum));
    }

    static void softmaxRowScalar(MemorySegment out, MemorySegment x, long base, int c) {
        float m = maxScalar(x, base, 0, c, Float.NEGATIVE_INFINITY);
        double sum = expShiftScalar(out, x, base, 0, c, m, 0);
        scaleScalar(out, base, 0, c, (float) (1 / sum));
    }

    /** dIn += out ⊙ (dOut − Σ_c dOut ⊙ out) per row, out = softmax(in). Modifies dIn only. */
    public static void softmaxBackward(Parallel p, Tensor dIn, Tensor dOut, Tensor out) {
        checkBackward("softmaxBackward", dIn, dOut, out);
        MemorySegment dx = dIn.data(), dy = dOut.data(), y = out.data();
        int c = out.cols();
        p.forRange(out.rows(), minRows(c), (from, to) -> {
            for (long r = from; r < to; r++) {
                long base = r * c * Float.BYTES;
                softmaxBackwardRow(dx, dy, y, base, c, (float) dot(dy, y, base, c));
            }
        });
    }

    /** Scalar twin of {@link #softmaxBackward}. */
    public static void softmaxBackwardScalar(Tensor dIn, Tensor dOut, Tensor out) {
        checkBackward("softmaxBackward", dIn, dOut, out);
        int c = out.cols();
        for (long r = 0; r < out.rows(); r++) {
            long base = r * c * Float.BYTES;
            float d = (float) dotScalar(dOut.data(), out.data(), base, 0, c, 0);
            softmaxBackwardRowScalar(dIn.data(), dOut.data(), out.data(), base, 0, c, d);
        }
    }

    /** dx[i] += y[i]·(dy[i] − d) for the row at {@code base}. */
    static void softmaxBackwardRow(MemorySegment dx, MemorySegment dy, MemorySegment y, long base, int c, float d) {
        int bound = S.loopBound(c);
        FloatVector vd = FloatVector.broadcast(S, d);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector g = FloatVector.fromMemorySegment(S, dy, at, BO).sub(vd);
            g.fma(FloatVector.fromMemorySegment(S, y, at, BO), FloatVector.fromMemorySegment(S, dx, at, BO))
                    .intoMemorySegment(dx, at, BO);
        }
        softmaxBackwardRowScalar(dx, dy, y, base, bound, c, d);
    }

    static void softmaxBackwardRowScalar(MemorySegment dx, MemorySegment dy, MemorySegment y, long base, int from,
                                         int to, float d) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            dx.set(F, at, Math.fma(dy.get(F, at) - d, y.get(F, at), dx.get(F, at)));
        }
    }

    // ---------------------------------------------------------------- log-softmax

    /** out = in − logsumexp(in) over the last axis. Modifies out (which may be in itself). */
    public static void logSoftmax(Parallel p, Tensor out, Tensor in) {
        Shapes.same("logSoftmax", "out", in, out);
        MemorySegment o = out.data(), x = in.data();
        int c = in.cols();
        p.forRange(in.rows(), minRows(c), (from, to) -> {
            float[] lanes = Lanes.scratch();
            for (long r = from; r < to; r++) logSoftmaxRow(o, x, r * c * Float.BYTES, c, lanes);
        });
    }

    /** Scalar twin of {@link #logSoftmax}. */
    public static void logSoftmaxScalar(Tensor out, Tensor in) {
        Shapes.same("logSoftmax", "out", in, out);
        int c = in.cols();
        for (long r = 0; r < in.rows(); r++) logSoftmaxRowScalar(out.data(), in.data(), r * c * Float.BYTES, c);
    }

    static void logSoftmaxRow(MemorySegment out, MemorySegment x, long base, int c, float[] lanes) {
        float m = max(x, base, c);
        float logSum = (float) Math.log(sumExp(x, base, c, m, lanes));
        shiftTwice(out, x, base, c, m, logSum);
    }

    static void logSoftmaxRowScalar(MemorySegment out, MemorySegment x, long base, int c) {
        float m = maxScalar(x, base, 0, c, Float.NEGATIVE_INFINITY);
        float logSum = (float) Math.log(sumExpScalar(x, base, 0, c, m, 0));
        shiftTwiceScalar(out, x, base, 0, c, m, logSum);
    }

    /** dIn += dOut − exp(out) · Σ_c dOut per row, out = logSoftmax(in). Modifies dIn only. */
    public static void logSoftmaxBackward(Parallel p, Tensor dIn, Tensor dOut, Tensor out) {
        checkBackward("logSoftmaxBackward", dIn, dOut, out);
        MemorySegment dx = dIn.data(), dy = dOut.data(), y = out.data();
        int c = out.cols();
        p.forRange(out.rows(), minRows(c), (from, to) -> {
            for (long r = from; r < to; r++) {
                long base = r * c * Float.BYTES;
                logSoftmaxBackwardRow(dx, dy, y, base, c, (float) sum(dy, base, c));
            }
        });
    }

    /** Scalar twin of {@link #logSoftmaxBackward}. */
    public static void logSoftmaxBackwardScalar(Tensor dIn, Tensor dOut, Tensor out) {
        checkBackward("logSoftmaxBackward", dIn, dOut, out);
        int c = out.cols();
        for (long r = 0; r < out.rows(); r++) {
            long base = r * c * Float.BYTES;
            float s = (float) sumScalar(dOut.data(), base, 0, c, 0);
            logSoftmaxBackwardRowScalar(dIn.data(), dOut.data(), out.data(), base, 0, c, s);
        }
    }

    /** dx[i] += dy[i] − exp(y[i])·s for the row at {@code base}. */
    static void logSoftmaxBackwardRow(MemorySegment dx, MemorySegment dy, MemorySegment y, long base, int c,
                                      float s) {
        int bound = S.loopBound(c);
        FloatVector minusS = FloatVector.broadcast(S, -s);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector e = Exp.exp(FloatVector.fromMemorySegment(S, y, at, BO));
            e.fma(minusS, FloatVector.fromMemorySegment(S, dy, at, BO))
                    .add(FloatVector.fromMemorySegment(S, dx, at, BO)).intoMemorySegment(dx, at, BO);
        }
        logSoftmaxBackwardRowScalar(dx, dy, y, base, bound, c, s);
    }

    static void logSoftmaxBackwardRowScalar(MemorySegment dx, MemorySegment dy, MemorySegment y, long base,
                                            int from, int to, float s) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            float e = Exp.expScalar(y.get(F, at));
            dx.set(F, at, Math.fma(e, -s, dy.get(F, at)) + dx.get(F, at));
        }
    }

    // ---------------------------------------------------------------- row pieces: vector body, scalar tail

    /** max_c x over the row at {@code base}. */
    static float max(MemorySegment x, long base, int c) {
        int bound = S.loopBound(c);
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += L) {
            m = m.max(FloatVector.fromMemorySegment(S, x, base + (long) i * Float.BYTES, BO));
        }
        return maxScalar(x, base, bound, c, m.reduceLanes(VectorOperators.MAX));
    }

    static float maxScalar(MemorySegment x, long base, int from, int to, float m) {
        for (int i = from; i < to; i++) m = Math.max(m, x.get(F, base + (long) i * Float.BYTES));
        return m;
    }

    /**
     * out = exp(x − m) over the row; returns the row's Σ out. The lane sums live in {@code lanes} (L floats, from
     * {@link Lanes#scratch}: a store and a load per pass, the same adds in the same order), not in a vector carried
     * around the loop: with one, C2-only compilation left this loop boxing every vector in some processes
     * (bench/RESULTS.md, session 9).
     */
    static double expShift(MemorySegment out, MemorySegment x, long base, int c, float m, float[] lanes) {
        int bound = S.loopBound(c);
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector.zero(S).intoArray(lanes, 0);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector e = Exp.exp(FloatVector.fromMemorySegment(S, x, at, BO).sub(vm));
            e.intoMemorySegment(out, at, BO);
            FloatVector.fromArray(S, lanes, 0).add(e).intoArray(lanes, 0);
        }
        return expShiftScalar(out, x, base, bound, c, m, Lanes.sum(lanes, 0));
    }

    static double expShiftScalar(MemorySegment out, MemorySegment x, long base, int from, int to, float m,
                                 double sum) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            float e = Exp.expScalar(x.get(F, at) - m);
            out.set(F, at, e);
            sum += e;
        }
        return sum;
    }

    /** Σ exp(x − m) over the row, nothing stored; the lane sums in {@code lanes} (L floats): see expShift. */
    static double sumExp(MemorySegment x, long base, int c, float m, float[] lanes) {
        int bound = S.loopBound(c);
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector.zero(S).intoArray(lanes, 0);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, lanes, 0)
                    .add(Exp.exp(FloatVector.fromMemorySegment(S, x, base + (long) i * Float.BYTES, BO).sub(vm)))
                    .intoArray(lanes, 0);
        }
        return sumExpScalar(x, base, bound, c, m, Lanes.sum(lanes, 0));
    }

    static double sumExpScalar(MemorySegment x, long base, int from, int to, float m, double sum) {
        for (int i = from; i < to; i++) sum += Exp.expScalar(x.get(F, base + (long) i * Float.BYTES) - m);
        return sum;
    }

    /** out = (x − m) − logSum: subtracting m first keeps x − m exact for close values, even at |x| ~ 1e4. */
    static void shiftTwice(MemorySegment out, MemorySegment x, long base, int c, float m, float logSum) {
        int bound = S.loopBound(c);
        FloatVector vm = FloatVector.broadcast(S, m), vl = FloatVector.broadcast(S, logSum);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector.fromMemorySegment(S, x, at, BO).sub(vm).sub(vl).intoMemorySegment(out, at, BO);
        }
        shiftTwiceScalar(out, x, base, bound, c, m, logSum);
    }

    static void shiftTwiceScalar(MemorySegment out, MemorySegment x, long base, int from, int to, float m,
                                 float logSum) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            out.set(F, at, x.get(F, at) - m - logSum);
        }
    }

    /** out *= s over the row. */
    static void scale(MemorySegment out, long base, int c, float s) {
        int bound = S.loopBound(c);
        FloatVector vs = FloatVector.broadcast(S, s);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector.fromMemorySegment(S, out, at, BO).mul(vs).intoMemorySegment(out, at, BO);
        }
        scaleScalar(out, base, bound, c, s);
    }

    static void scaleScalar(MemorySegment out, long base, int from, int to, float s) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            out.set(F, at, out.get(F, at) * s);
        }
    }

    /** Σ a ⊙ b over the row. */
    static double dot(MemorySegment a, MemorySegment b, long base, int c) {
        int bound = S.loopBound(c);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            acc = FloatVector.fromMemorySegment(S, a, at, BO).fma(FloatVector.fromMemorySegment(S, b, at, BO), acc);
        }
        return dotScalar(a, b, base, bound, c, Lanes.sum(acc));
    }

    static double dotScalar(MemorySegment a, MemorySegment b, long base, int from, int to, double sum) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            sum += a.get(F, at) * b.get(F, at);
        }
        return sum;
    }

    /** Σ a over the row. */
    static double sum(MemorySegment a, long base, int c) {
        int bound = S.loopBound(c);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            acc = acc.add(FloatVector.fromMemorySegment(S, a, base + (long) i * Float.BYTES, BO));
        }
        return sumScalar(a, base, bound, c, Lanes.sum(acc));
    }

    static double sumScalar(MemorySegment a, long base, int from, int to, double sum) {
        for (int i = from; i < to; i++) sum += a.get(F, base + (long) i * Float.BYTES);
        return sum;
    }

    private static void checkBackward(String op, Tensor dIn, Tensor dOut, Tensor out) {
        Shapes.same(op, "dOut", out, dOut);
        Shapes.same(op, "dIn", out, dIn);
    }
}
