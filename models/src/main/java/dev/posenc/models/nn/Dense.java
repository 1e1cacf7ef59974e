package dev.posenc.models.nn;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.LinearRelu;
import dev.posenc.core.Shape;

/**
 * A fully connected layer y = x·Wᵀ + b over the autograd {@link Linear} op, with its weights declared in a
 * {@link ParameterStore} as {@code <name>.weight} (Out, In) and {@code <name>.bias} (Out): torch.nn.Linear's
 * names and layout, so a saved model maps onto a PyTorch module one to one.
 */
public final class Dense {
    /** How the weights start. */
    public enum InitScheme {
        /** jax stax.Dense: truncated-normal Glorot weight, N(0, 0.01²) bias (Tancik's notebook). */
        STAX,
        /** torch.nn.Linear: U(±1/√In) for weight and bias (the public LFF implementations). */
        TORCH
    }

    private final int in, out;
    private final ParameterStore.Parameter weight, bias;

    public Dense(ParameterStore store, String name, int in, int out, InitScheme init) {
        if (in <= 0) throw new IllegalArgumentException("dense '%s': in: expected > 0, got %d".formatted(name, in));
        if (out <= 0) throw new IllegalArgumentException("dense '%s': out: expected > 0, got %d".formatted(name, out));
        this.in = in;
        this.out = out;
        boolean stax = init == InitScheme.STAX;
        weight = store.declare(name + ".weight", Shape.of(out, in),
                stax ? Inits.glorotTruncatedNormal(in, out) : Inits.torchLinear(in));
        bias = store.declare(name + ".bias", Shape.of(out), stax ? Inits.staxBias() : Inits.torchLinear(in));
    }

    /** y (N, Out) from x (N, In). */
    public Var apply(Tape tape, Var x) {
        return Linear.apply(tape, x, weight.var(tape), bias.var(tape));
    }

    /** max(x·Wᵀ + b, 0) (N, Out) from x (N, In): the layer and a ReLU as one op ({@link LinearRelu}). */
    public Var applyRelu(Tape tape, Var x) {
        return LinearRelu.apply(tape, x, weight.var(tape), bias.var(tape));
    }

    public int in() { return in; }

    public int out() { return out; }

    public ParameterStore.Parameter weight() { return weight; }

    public ParameterStore.Parameter bias() { return bias; }
}
