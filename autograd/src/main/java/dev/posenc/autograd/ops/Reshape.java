package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * y = x under another shape of the same size: a view of x's memory, no copy. Backward: dx += dy, read
 * under x's shape (the gradient is reshaped back; it is the same numbers in the same order). A reshape to
 * x's own shape returns x itself.
 */
public final class Reshape {
    private Reshape() {}

    public static Var apply(Tape tape, Var x, Shape shape) {
        if (shape.equals(x.shape())) return x;  // the identity (LFF with one group): no node, no gradient copy
        Tensor y = x.value().reshape(shape);
        return tape.record("reshape", y, List.of(x),
                dy -> Grads.addScaled(tape.backend(), x, 1f, dy.reshape(x.shape())));
    }
}
