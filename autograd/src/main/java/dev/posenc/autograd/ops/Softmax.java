package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Softmax and log-softmax over the last axis, stabilised by the row maximum inside the kernels.
 * Both backwards need only the output y (kept), not the input:
 * <pre>
 *   y = softmax(x):      dx += y ⊙ (dy − Σ_c dy ⊙ y)      (the Jacobian diag(y) − y·yᵀ applied to dy)
 *   y = log_softmax(x):  dx += dy − exp(y) · Σ_c dy         (∂y_i/∂x_j = δ_ij − softmax_j)
 * </pre>
 */
public final class Softmax {
    private Softmax() {}

    public static Var softmax(Tape tape, Var x) {
        Backend be = tape.backend();
        Tensor y = tape.allocUninitialized(x.shape());
        be.softmax(y, x.value());
        // dx += y ⊙ (dy − Σ_c dy ⊙ y), per row: the Jacobian diag(y) − y·yᵀ is never built
        return tape.record("softmax", y, List.of(x), dy -> be.softmaxBackward(x.grad(), dy, y));
    }

    public static Var logSoftmax(Tape tape, Var x) {
        Backend be = tape.backend();
        Tensor y = tape.allocUninitialized(x.shape());
        be.logSoftmax(y, x.value());
        // dx += dy − exp(y) · Σ_c dy, per row
        return tape.record("log_softmax", y, List.of(x), dy -> be.logSoftmaxBackward(x.grad(), dy, y));
    }
}
