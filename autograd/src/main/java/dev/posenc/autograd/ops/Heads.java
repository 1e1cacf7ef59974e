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
        Tensor y = tape.allocUninitialized(Shape.of(b, heads, t, dh));   // every element is copied in
        RunLayout l = Runs.layout(b, heads, t, dh, 0, headStrides(heads, t, dh), 0, tokenStrides(heads, t, dh));
        Backend be = tape.backend();
        Runs.copy(be, y, x.value(), l);
        return tape.record("heads_split", y, List.of(x), dy -> Runs.moveBack(be, x, dy, l));
    }

    /** (B, H, T, dh) → (B, T, H·dh). */
    public static Var merge(Tape tape, Var y) {
        Shapes.require(y.value().rank() == 4, "heads_merge", "y", "a 4-D tensor (B, H, T, dh)", y.shape());
        int b = y.shape().dim(0), heads = y.shape().dim(1), t = y.shape().dim(2), dh = y.shape().dim(3);
        Tensor x = tape.allocUninitialized(Shape.of(b, t, heads * dh));   // every element is copied in
        RunLayout l = Runs.layout(b, heads, t, dh, 0, tokenStrides(heads, t, dh), 0, headStrides(heads, t, dh));
        Backend be = tape.backend();
        Runs.copy(be, x, y.value(), l);
        return tape.record("heads_merge", x, List.of(y), dx -> Runs.moveBack(be, y, dx, l));
    }

    // Run r = (bb·H + h)·T + tt enumerates (batch, head, token): counts (B, H, T), runs of dh floats.

    /** Strides of (bb, h, tt) in (B, H, T, dh): runs are consecutive there. */
    private static long[] headStrides(int heads, int t, int dh) { return new long[] {(long) heads * t * dh, (long) t * dh, dh}; }

    /** Strides of (bb, h, tt) in (B, T, H·dh): token tt of batch bb, head h's slice. */
    private static long[] tokenStrides(int heads, int t, int dh) {
        return new long[] {(long) t * heads * dh, dh, (long) heads * dh};
    }
}
