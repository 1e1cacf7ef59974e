package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Average and max pooling over NCHW windows (the backend's {@link ConvKernels}):
 * <pre>
 *   avg:  out = Σ_inside x / n_inside         dx += dOut / n_inside to every inside tap   (count_include_pad=False)
 *   max:  out = max_inside x                  dx[argmax] += dOut   (argmax kept from the forward; first on ties)
 * </pre>
 * The max forward saves each window's argmax tap (a tensor of out's shape), as PyTorch saves its indices: finding
 * it again in the backward cost three quarters of that backward.
 */
public final class Pool2d {
    private Pool2d() {}

    public static Var avg(Tape tape, Var x, ConvGeometry g) {
        ConvKernels k = tape.backend().conv();
        Tensor out = tape.alloc(g.outShape(x.value(), x.shape().dim(1)));
        k.avgPool2d(out, x.value(), g);
        return tape.record("avg_pool2d", out, List.of(x), dOut -> k.avgPool2dBackward(x.grad(), dOut, g));
    }

    public static Var max(Tape tape, Var x, ConvGeometry g) {
        ConvKernels k = tape.backend().conv();
        Tensor out = tape.alloc(g.outShape(x.value(), x.shape().dim(1)));
        Tensor arg = tape.allocUninitialized(out.shape());   // kept: each window's argmax tap, so the backward need not find it again
        k.maxPool2dWithArgmax(out, arg, x.value(), g);
        return tape.record("max_pool2d", out, List.of(x), dOut -> k.maxPool2dBackwardArgmax(x.grad(), dOut, arg, g));
    }

    /** The mean over each plane: (B, C, H, W) → (B, C), as an H × W average pool. */
    public static Var globalAvg(Tape tape, Var x) {
        int h = x.shape().dim(2), w = x.shape().dim(3);
        if (h != w) throw new IllegalArgumentException("globalAvg: x: expected square planes, got " + x.shape());
        return Reshape.apply(tape, avg(tape, x, ConvGeometry.of(h, 1, 0)),
                dev.posenc.core.Shape.of(x.shape().dim(0), x.shape().dim(1)));
    }
}
