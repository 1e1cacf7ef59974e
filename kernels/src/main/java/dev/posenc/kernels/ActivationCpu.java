package dev.posenc.kernels;

import static dev.posenc.kernels.ElementwiseCpu.S;
import static dev.posenc.kernels.ElementwiseCpu.NATIVE;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise activations y = f(x) and their backward dIn += dOut ⊙ f′(x), for every {@link UnaryOp}.
 *
 * <p>Why one loop per function: {@code lanewise(op)} runs at scalar speed unless {@code op} is a compile-time
 * constant at the call, and one shared loop calling the per-function math through a lambda degrades when
 * several functions go through it (toolchain notes §1.5). So {@link #unary} switches once, outside the loop,
 * to a static method per function, each with its own loop. The loops' tails, and the public scalar twins,
 * go through {@link #forwardScalar} and {@link #derivativeScalar}, where each formula is written once.
 *
 * <p>Formulas, forward | derivative (tanh, sigmoid, exp read it from y = f(x); the others from x):
 * <pre>
 *   EXP        eˣ                                  | y
 *   LOG        ln x (NaN for x &lt; 0, −∞ at 0)      | 1/x
 *   TANH       tanh x                              | 1 − y²
 *   SIGMOID    1/(1+e^−|x|), or e^−|x|/(1+e^−|x|)   | y·(1 − y)
 *              for x &lt; 0: never exp of a large positive number, so no ∞/∞ and no loss for x ≪ 0
 *   RELU       max(x, 0)                           | 1 if x &gt; 0 else 0 (0 at x = 0, as PyTorch)
 *   GELU_ERF   ½x·(1 + erf(x/√2)) = x·Φ(x)          | Φ(x) + x·φ(x),  φ(x) = e^(−x²/2)/√(2π)   (in {@link GeluCpu})
 *   GELU_TANH  ½x·(1 + tanh u), u = β(x + κx³)      | ½(1 + tanh u) + ½x·(1 − tanh² u)·β(1 + 3κx²)
 *              β = √(2/π), κ = 0.044715 (PyTorch approximate='tanh')
 *   SIN, COS   sin x, cos x                        | cos x, −sin x
 * </pre>
 * The backward accumulates with one fma per element, dIn = fma(dOut, f′, dIn), in both twins; overwriting
 * (accumulate = false) is fma(dOut, f′, 0).
 */
public final class ActivationCpu {
    private ActivationCpu() {}

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /**
     * Elements per thread below which a call stays on the caller's thread. Smaller than the plain maps'
     * because a transcendental costs 5 to 20 times an add per element.
     */
    static final long MIN_CHUNK = 1 << 13;

    private static final float GELU_BETA = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_KAPPA = 0.044715f;

    // ---- dispatch -------------------------------------------------------------------------------------

    /** out = f(in), same shape. Modifies out; out may be in. */
    public static void unary(Parallel p, UnaryOp f, Tensor out, Tensor in) {
        Shapes.same("unary " + f, "out", in, out);
        MemorySegment y = out.data(), x = in.data();
        long n = in.size();
        switch (f) {
            case EXP -> p.forRange(n, MIN_CHUNK, (a, b) -> expForward(y, x, a, b));
            case LOG -> p.forRange(n, MIN_CHUNK, (a, b) -> logForward(y, x, a, b));
            case TANH -> p.forRange(n, MIN_CHUNK, (a, b) -> tanhForward(y, x, a, b));
            case SIGMOID -> p.forRange(n, MIN_CHUNK, (a, b) -> sigmoidForward(y, x, a, b));
            case RELU -> p.forRange(n, MIN_CHUNK, (a, b) -> reluForward(y, x, a, b));
            case GELU_ERF -> p.forRange(n, MIN_CHUNK, (a, b) -> GeluCpu.forward(y, x, a, b));
            case GELU_TANH -> p.forRange(n, MIN_CHUNK, (a, b) -> geluTanhForward(y, x, a, b));
            case SIN -> p.forRange(n, MIN_CHUNK, (a, b) -> sinForward(y, x, a, b));
            case COS -> p.forRange(n, MIN_CHUNK, (a, b) -> cosForward(y, x, a, b));
        }
    }

    /**
     * dIn += dOut ⊙ f′(in), all four the same shape. {@code out} must hold f(in). Modifies dIn only; dIn may
     * alias dOut.
     */
    public static void unaryBackward(Parallel p, UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out) {
        unaryBackward(p, f, dIn, dOut, in, out, true);
    }

    /**
     * dIn = dOut ⊙ f′(in), or dIn += dOut ⊙ f′(in) when {@code accumulate}. Overwriting computes
     * fma(dOut, f′, 0): the bits of accumulating into a zero-filled dIn, without the zero pass nor the read of
     * dIn (a fresh gradient's first writer, see {@code Var.gradAccumulates}). Modifies dIn only.
     */
    public static void unaryBackward(Parallel p, UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out,
                                     boolean accumulate) {
        checkBackward(f, dIn, dOut, in, out);
        MemorySegment gi = dIn.data(), go = dOut.data(), x = in.data(), y = out.data();
        long n = in.size();
        boolean acc = accumulate;
        switch (f) {
            case EXP -> p.forRange(n, MIN_CHUNK, (a, b) -> expBackward(gi, go, x, y, acc, a, b));
            case LOG -> p.forRange(n, MIN_CHUNK, (a, b) -> logBackward(gi, go, x, y, acc, a, b));
            case TANH -> p.forRange(n, MIN_CHUNK, (a, b) -> tanhBackward(gi, go, x, y, acc, a, b));
            case SIGMOID -> p.forRange(n, MIN_CHUNK, (a, b) -> sigmoidBackward(gi, go, x, y, acc, a, b));
            case RELU -> p.forRange(n, MIN_CHUNK, (a, b) -> reluBackward(gi, go, x, y, acc, a, b));
            case GELU_ERF -> p.forRange(n, MIN_CHUNK, (a, b) -> GeluCpu.backward(gi, go, x, acc, a, b));
            case GELU_TANH -> p.forRange(n, MIN_CHUNK, (a, b) -> geluTanhBackward(gi, go, x, y, acc, a, b));
            case SIN -> p.forRange(n, MIN_CHUNK, (a, b) -> sinBackward(gi, go, x, y, acc, a, b));
            case COS -> p.forRange(n, MIN_CHUNK, (a, b) -> cosBackward(gi, go, x, y, acc, a, b));
        }
    }

    // ---- scalar twins: each formula written once --------------------------------------------------------

    /** Scalar twin of {@link #unary}. */
    public static void unaryScalar(UnaryOp f, Tensor out, Tensor in) {
        Shapes.same("unary " + f, "out", in, out);
        unaryScalar(f, out.data(), in.data(), 0, in.size());
    }

    /** Scalar twin of {@link #unaryBackward}. */
    public static void unaryBackwardScalar(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out) {
        unaryBackwardScalar(f, dIn, dOut, in, out, true);
    }

    /** Scalar twin of {@link #unaryBackward(Parallel, UnaryOp, Tensor, Tensor, Tensor, Tensor, boolean)}. */
    public static void unaryBackwardScalar(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out,
                                           boolean accumulate) {
        checkBackward(f, dIn, dOut, in, out);
        unaryBackwardScalar(f, dIn.data(), dOut.data(), in.data(), out.data(), accumulate, 0, in.size());
    }

    static void unaryScalar(UnaryOp f, MemorySegment out, MemorySegment in, long from, long to) {
        for (long i = from; i < to; i++) out.setAtIndex(F, i, forwardScalar(f, in.getAtIndex(F, i)));
    }

    static void unaryBackwardScalar(UnaryOp f, MemorySegment dIn, MemorySegment dOut, MemorySegment in,
                                    MemorySegment out, boolean accumulate, long from, long to) {
        for (long i = from; i < to; i++) {
            float d = derivativeScalar(f, in.getAtIndex(F, i), out.getAtIndex(F, i));
            dIn.setAtIndex(F, i, Math.fma(dOut.getAtIndex(F, i), d, accumulate ? dIn.getAtIndex(F, i) : 0f));
        }
    }

    /** f(x) in float. */
    public static float forwardScalar(UnaryOp f, float x) {
        return switch (f) {
            case EXP -> Exp.expScalar(x);
            case LOG -> (float) Math.log(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> {
                float e = Exp.expScalar(-Math.abs(x));
                float s = 1f / (1f + e);
                yield x < 0 ? e * s : s;
            }
            case RELU -> Math.max(x, 0f);
            case GELU_ERF -> GeluCpu.forwardScalar(x);
            case GELU_TANH -> {
                float u = GELU_BETA * (x + GELU_KAPPA * (x * x * x));
                yield 0.5f * x * (1f + (float) Math.tanh(u));
            }
            case SIN -> SinCos.sinScalar(x);
            case COS -> SinCos.cosScalar(x);
        };
    }

    /** f′(x) in float, given x and y = f(x). */
    public static float derivativeScalar(UnaryOp f, float x, float y) {
        return switch (f) {
            case EXP -> y;
            case LOG -> 1f / x;
            case TANH -> Math.fma(-y, y, 1f);
            case SIGMOID -> y * (1f - y);
            case RELU -> x > 0 ? 1f : 0f;
            case GELU_ERF -> GeluCpu.derivativeScalar(x);
            case GELU_TANH -> {
                float x2 = x * x;
                float t = (float) Math.tanh(GELU_BETA * (x + GELU_KAPPA * (x2 * x)));
                float du = GELU_BETA * Math.fma(3 * GELU_KAPPA, x2, 1f);
                yield Math.fma(0.5f * x * Math.fma(-t, t, 1f), du, 0.5f * (1f + t));
            }
            case SIN -> SinCos.cosScalar(x);
            case COS -> -SinCos.sinScalar(x);
        };
    }

    // ---- vector math, one method per function; the loops below inline them ------------------------------

    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = Exp.exp(x.abs().neg());
        FloatVector s = e.broadcast(1f).div(e.add(1f));
        return s.blend(e.mul(s), x.compare(VectorOperators.LT, 0f));
    }

    private static FloatVector geluTanh(FloatVector x) {
        FloatVector u = x.mul(x).mul(x).mul(GELU_KAPPA).add(x).mul(GELU_BETA);
        return x.mul(0.5f).mul(u.lanewise(VectorOperators.TANH).add(1f));
    }

    private static FloatVector geluTanhDerivative(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector t = x2.mul(x).mul(GELU_KAPPA).add(x).mul(GELU_BETA).lanewise(VectorOperators.TANH);
        FloatVector du = x2.fma(3 * GELU_KAPPA, 1f).mul(GELU_BETA);
        FloatVector oneMinusT2 = t.neg().fma(t, x.broadcast(1f));
        return x.mul(0.5f).mul(oneMinusT2).fma(du, t.add(1f).mul(0.5f));
    }

    // ---- forward loops ----------------------------------------------------------------------------------

    private static void expForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            Exp.exp(FloatVector.fromMemorySegment(S, in, off, NATIVE)).intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.EXP, out, in, i, to);
    }

    private static void logForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, in, off, NATIVE).lanewise(VectorOperators.LOG)
                    .intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.LOG, out, in, i, to);
    }

    private static void tanhForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, in, off, NATIVE).lanewise(VectorOperators.TANH)
                    .intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.TANH, out, in, i, to);
    }

    private static void sigmoidForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            sigmoid(FloatVector.fromMemorySegment(S, in, off, NATIVE)).intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.SIGMOID, out, in, i, to);
    }

    private static void reluForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, in, off, NATIVE).max(0f).intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.RELU, out, in, i, to);
    }

    private static void geluTanhForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            geluTanh(FloatVector.fromMemorySegment(S, in, off, NATIVE)).intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.GELU_TANH, out, in, i, to);
    }

    private static void sinForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            SinCos.sin(FloatVector.fromMemorySegment(S, in, off, NATIVE)).intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.SIN, out, in, i, to);
    }

    private static void cosForward(MemorySegment out, MemorySegment in, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            SinCos.cos(FloatVector.fromMemorySegment(S, in, off, NATIVE)).intoMemorySegment(out, off, NATIVE);
        }
        unaryScalar(UnaryOp.COS, out, in, i, to);
    }

    // ---- backward loops: dIn = fma(dOut, f′, dIn), or fma(dOut, f′, 0) when overwriting ------------------

    /** The backward's addend: dIn's values, or zero when the call overwrites dIn (loop-invariant: C2 unswitches). */
    private static FloatVector addend(MemorySegment dIn, long off, boolean accumulate) {
        return accumulate ? FloatVector.fromMemorySegment(S, dIn, off, NATIVE) : FloatVector.zero(S);
    }

    private static void expBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                    boolean accumulate, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector d = FloatVector.fromMemorySegment(S, out, off, NATIVE);
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.EXP, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void logBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                    boolean accumulate, long from, long to) {
        long i = from;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector d = one.div(FloatVector.fromMemorySegment(S, in, off, NATIVE));
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.LOG, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void tanhBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                     boolean accumulate, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector y = FloatVector.fromMemorySegment(S, out, off, NATIVE);
            FloatVector d = y.neg().fma(y, y.broadcast(1f));
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.TANH, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void sigmoidBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                        boolean accumulate, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector y = FloatVector.fromMemorySegment(S, out, off, NATIVE);
            FloatVector d = y.mul(y.neg().add(1f));
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.SIGMOID, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void reluBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                     boolean accumulate, long from, long to) {
        long i = from;
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector d = zero.blend(one, FloatVector.fromMemorySegment(S, in, off, NATIVE)
                    .compare(VectorOperators.GT, 0f));
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.RELU, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void geluTanhBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                         boolean accumulate, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector d = geluTanhDerivative(FloatVector.fromMemorySegment(S, in, off, NATIVE));
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.GELU_TANH, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void sinBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                    boolean accumulate, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector d = SinCos.cos(FloatVector.fromMemorySegment(S, in, off, NATIVE));
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.SIN, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void cosBackward(MemorySegment dIn, MemorySegment dOut, MemorySegment in, MemorySegment out,
                                    boolean accumulate, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector d = SinCos.sin(FloatVector.fromMemorySegment(S, in, off, NATIVE)).neg();
            FloatVector.fromMemorySegment(S, dOut, off, NATIVE).fma(d, addend(dIn, off, accumulate))
                    .intoMemorySegment(dIn, off, NATIVE);
        }
        unaryBackwardScalar(UnaryOp.COS, dIn, dOut, in, out, accumulate, i, to);
    }

    private static void checkBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out) {
        String op = "unaryBackward " + f;
        Shapes.same(op, "out", in, out);
        Shapes.same(op, "dOut", in, dOut);
        Shapes.same(op, "dIn", in, dIn);
    }
}
