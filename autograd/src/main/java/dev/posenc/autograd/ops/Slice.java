package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Tokens [from, to) of every sequence, as x[:, from:to]: x (B, T, D) → (B, to − from, D); {@link #token} drops
 * the token axis, as x[:, t] (B, D), e.g. the class token for the classifier head. Backward: dx[b, from:to] += dOut[b]
 * (the other tokens get nothing): the transpose of a slice is a zero-padded scatter.
 */
public final class Slice {
    private Slice() {}

    public static Var tokens(Tape tape, Var x, int from, int to) {
        Shapes.require(x.value().rank() == 3, "slice", "x", "a 3-D tensor (B, T, D)", x.shape());
        int b = x.shape().dim(0), t = x.shape().dim(1), d = x.shape().dim(2), n = to - from;
        Shapes.require(0 <= from && from <= to && to <= t, "slice", "[from, to)", "within [0, %d]".formatted(t),
                "[%d, %d)".formatted(from, to));
        Tensor y = tape.alloc(Shape.of(b, n, d));
        RunLayout l = Runs.layout(1, 1, b, n * d, 0, new long[] {0, 0, (long) n * d}, (long) from * d,
                new long[] {0, 0, (long) t * d});
        Backend be = tape.backend();
        Runs.copy(be, y, x.value(), l);
        return tape.record("slice", y, List.of(x), dy -> Runs.addBack(be, x.grad(), dy, l));
    }

    /** x[:, t]: (B, T, D) → (B, D). */
    public static Var token(Tape tape, Var x, int t) {
        Var y = tokens(tape, x, t, t + 1);
        return Reshape.apply(tape, y, Shape.of(y.shape().dim(0), y.shape().dim(2)));
    }
}
