package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * The reshapes of multi-head attention (Vaswani et al. 2017): split x (B, T, H·dh) into heads y (B, H, T, dh),
 * y[b, h, t, :] = x[b, t, h·dh : (h+1)·dh], and merge them back. Each moves runs of dh floats, so each one's
 * backward is the other one, accumulating: split's dx += merge(dy), merge's dy += split(dx).
 */
public final class Heads {
    private Heads() {}

    /** (B, T, H·dh) → (B, H, T, dh). */
    public static Var split(Tape tape, Var x, int heads) {
        Shapes.require(x.value().rank() == 3, "heads_split", "x", "a 3-D tensor (B, T, H·dh)", x.shape());
        int b = x.shape().dim(0), t = x.shape().dim(1), c = x.shape().dim(2);
        Shapes.require(heads > 0 && c % heads == 0, "heads_split", "heads", "a positive divisor of " + c, heads);
        int dh = c / heads;
        Tensor y = tape.alloc(Shape.of(b, heads, t, dh));
        Runs.copy(y, x.value(), b * heads * t, dh, r -> headAt(r, dh), r -> tokenAt(r, heads, t, dh));
        return tape.record("heads_split", y, List.of(x), dy ->
                Runs.add(x.grad(), dy, b * heads * t, dh, r -> tokenAt(r, heads, t, dh), r -> headAt(r, dh)));
    }

    /** (B, H, T, dh) → (B, T, H·dh). */
    public static Var merge(Tape tape, Var y) {
        Shapes.require(y.value().rank() == 4, "heads_merge", "y", "a 4-D tensor (B, H, T, dh)", y.shape());
        int b = y.shape().dim(0), heads = y.shape().dim(1), t = y.shape().dim(2), dh = y.shape().dim(3);
        Tensor x = tape.alloc(Shape.of(b, t, heads * dh));
        Runs.copy(x, y.value(), b * heads * t, dh, r -> tokenAt(r, heads, t, dh), r -> headAt(r, dh));
        return tape.record("heads_merge", x, List.of(y), dx ->
                Runs.add(y.grad(), dx, b * heads * t, dh, r -> headAt(r, dh), r -> tokenAt(r, heads, t, dh)));
    }

    // Run r = (bb·H + h)·T + tt enumerates (batch, head, token) in the split layout.

    /** Element offset of run r in (B, H, T, dh): runs are consecutive there. */
    private static long headAt(int r, int dh) { return (long) r * dh; }

    /** Element offset of run r in (B, T, H·dh): token tt of batch bb, head h's slice. */
    private static long tokenAt(int r, int heads, int t, int dh) {
        int tt = r % t, h = (r / t) % heads, bb = r / (t * heads);
        return (((long) bb * t + tt) * heads + h) * dh;
    }
}
