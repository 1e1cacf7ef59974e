package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;

import java.util.List;

/**
 * Element-wise functions y = f(x) for every {@link UnaryOp}. Backward: dx += dy ⊙ f′(x), computed by the
 * backend's {@code unaryBackward}, which reads f′ from y where that is cheaper (tanh′ = 1 − y², σ′ = y(1 − y),
 * exp′ = y) and from x otherwise; so both x and y are kept.
 */
public final class Activations {
    private Activations() {}

    public static Var apply(Tape tape, UnaryOp f, Var x) {
        Backend be = tape.backend();
        Tensor y = tape.allocUninitialized(x.shape()); // every element written
        be.unary(f, y, x.value());
        return tape.record(f.name().toLowerCase(), y, List.of(x), dy -> {
            boolean accumulate = x.gradAccumulates();     // a fresh dx is written, not zeroed then added to
            be.unaryBackward(f, x.grad(), dy, x.value(), y, accumulate);  // dx += dy ⊙ f′(x)  (twin: ActivationCpu.derivativeScalar)
        });
    }

    public static Var relu(Tape tape, Var x) { return apply(tape, UnaryOp.RELU, x); }

    /** The exact GELU, x·Φ(x): PyTorch's default. */
    public static Var gelu(Tape tape, Var x) { return apply(tape, UnaryOp.GELU_ERF, x); }

    /** The tanh approximation of GELU: PyTorch's {@code approximate='tanh'}. */
    public static Var geluTanh(Tape tape, Var x) { return apply(tape, UnaryOp.GELU_TANH, x); }

    public static Var tanh(Tape tape, Var x) { return apply(tape, UnaryOp.TANH, x); }

    public static Var sigmoid(Tape tape, Var x) { return apply(tape, UnaryOp.SIGMOID, x); }

    public static Var exp(Tape tape, Var x) { return apply(tape, UnaryOp.EXP, x); }

    public static Var log(Tape tape, Var x) { return apply(tape, UnaryOp.LOG, x); }

    public static Var sin(Tape tape, Var x) { return apply(tape, UnaryOp.SIN, x); }

    public static Var cos(Tape tape, Var x) { return apply(tape, UnaryOp.COS, x); }
}
