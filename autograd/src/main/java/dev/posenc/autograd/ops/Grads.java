package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Tensor;

/**
 * Backward rules that write a whole gradient in one pass: the first writer of a step-local gradient writes it
 * (no zero fill, no read of zeros; {@link Var#gradAccumulates}), later writers add to it. Zero-filling the
 * gradients of reshapes, sums, scales, head moves and batched products took 8 % of a ViT step (async-profiler,
 * session 10). The values are those of adding into zeros (only a −0 may come out as −0 instead of +0).
 */
final class Grads {
    private Grads() {}

    /** grad(x) += s·d, or grad(x) = s·d when x has no gradient yet. */
    static void addScaled(Backend be, Var x, float s, Tensor d) {
        if (x.gradAccumulates()) be.axpy(x.grad(), s, d);
        else be.scale(x.grad(), d, s);
    }

    /**
     * grad(x) += d ⊙ other, or = when x has no gradient yet; the kernels have no fused a += b ⊙ c, so adding goes
     * through a scratch tensor of the tape.
     */
    static void addProduct(Tape tape, Backend be, Var x, Tensor d, Tensor other) {
        if (!x.gradAccumulates()) {
            be.mul(x.grad(), d, other);
            return;
        }
        Tensor tmp = tape.allocUninitialized(x.shape());
        be.mul(tmp, d, other);
        be.axpy(x.grad(), 1f, tmp);
    }

    /** grad(x) += Σ_r d[r, ·] (d seen as rows of grad(x)'s size), or = when x has no gradient yet. */
    static void addRowSums(Backend be, Var x, Tensor d, int rows) {
        int row = Math.toIntExact(x.value().size());
        boolean accumulate = x.gradAccumulates();
        be.sumRows(x.grad().reshape(row), d.reshape(rows, row), 1f, accumulate);
    }
}
