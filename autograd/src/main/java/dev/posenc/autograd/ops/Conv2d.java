package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * 2-D convolutions over NCHW (no bias: every DARTS convolution is followed by a batch norm), the backend's
 * {@link ConvKernels}. With taps (iy, ix) = (y·s − p + ky·d, x·s − p + kx·d):
 * <pre>
 *   full       out[b,o,y,x] = Σ_{c,ky,kx} w[o,c,ky,kx]·x[b,c,iy,ix]       w (O, C, k, k)
 *              dx[b,c,iy,ix] += Σ w[o,c,ky,kx]·dOut[b,o,y,x];  dw[o,c,ky,kx] += Σ_{b,y,x} dOut[b,o,y,x]·x[b,c,iy,ix]
 *   depthwise  out[b,c,y,x] = Σ_{ky,kx} w[c,ky,kx]·x[b,c,iy,ix]             w (C, k, k)   (groups = C)
 *              the same rules with o = c
 * </pre>
 * A pointwise convolution is the full one with k = 1; a separable one is depthwise then pointwise.
 * Nothing extra is saved: both backwards read x and w, which the tape keeps alive.
 */
public final class Conv2d {
    private Conv2d() {}

    /** The full convolution (groups = 1). */
    public static Var apply(Tape tape, Var x, Var w, ConvGeometry g) {
        ConvKernels k = tape.backend().conv();
        Tensor out = tape.alloc(g.outShape(x.value(), w.shape().dim(0)));
        k.conv2d(out, x.value(), w.value(), g);
        return tape.record("conv2d", out, List.of(x, w), dOut ->
                k.conv2dBackward(x.requiresGrad() ? x.grad() : null, w.requiresGrad() ? w.grad() : null, dOut,
                        x.value(), w.value(), g));
    }

    /** The depthwise convolution: one k × k filter per channel. */
    public static Var depthwise(Tape tape, Var x, Var w, ConvGeometry g) {
        ConvKernels k = tape.backend().conv();
        Tensor out = tape.alloc(g.outShape(x.value(), x.shape().dim(1)));
        k.depthwiseConv2d(out, x.value(), w.value(), g);
        return tape.record("depthwise_conv2d", out, List.of(x, w), dOut ->
                k.depthwiseConv2dBackward(x.requiresGrad() ? x.grad() : null, w.requiresGrad() ? w.grad() : null, dOut,
                        x.value(), w.value(), g));
    }
}
