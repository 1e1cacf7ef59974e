package dev.posenc.core;

/**
 * 2-D convolution, pooling and batch normalisation over NCHW tensors (PyTorch's layout), the operations of a
 * DARTS cell (Liu et al. 2019). x (B, C, H, W); out (B, O, Ho, Wo) with Ho, Wo from {@link ConvGeometry#outSize}.
 * Backwards ACCUMULATE (+=) into their gradients; a gradient argument may be null when it is not wanted.
 * Arguments: outputs first, then inputs, then sizes (llm.c's order).
 *
 * <p>A separate family, reached through {@link Backend#conv()}, so that a backend without these kernels still
 * compiles and says so when asked.
 */
public interface ConvKernels {
    /**
     * out[b,o,y,x] = Σ_{c,ky,kx} w[o,c,ky,kx] · x[b, c, y·s − p + ky·d, x·s − p + kx·d] (zero outside the input).
     * w (O, C, k, k). Overwrites out.
     */
    void conv2d(Tensor out, Tensor x, Tensor w, ConvGeometry g);

    /**
     * With the same index map: dx[b,c,iy,ix] += Σ w[o,c,ky,kx]·dOut[b,o,y,x] over the taps that read (iy, ix);
     * dw[o,c,ky,kx] += Σ_{b,y,x} dOut[b,o,y,x]·x[b,c,iy,ix].
     */
    void conv2dBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, ConvGeometry g);

    /** Depthwise (groups = C): out[b,c,y,x] = Σ_{ky,kx} w[c,ky,kx]·x[b,c,iy,ix]. w (C, k, k). Overwrites out. */
    void depthwiseConv2d(Tensor out, Tensor x, Tensor w, ConvGeometry g);

    /** dx[b,c,iy,ix] += Σ w[c,ky,kx]·dOut[b,c,y,x];  dw[c,ky,kx] += Σ_{b,y,x} dOut[b,c,y,x]·x[b,c,iy,ix]. */
    void depthwiseConv2dBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, ConvGeometry g);

    /**
     * Average over the window's taps that fall inside the input (PyTorch's {@code count_include_pad=False}, as
     * DARTS uses): out = Σ_inside x / n_inside. Overwrites out.
     */
    void avgPool2d(Tensor out, Tensor x, ConvGeometry g);

    /** dx[b,c,iy,ix] += Σ over windows containing (iy, ix) of dOut / n_inside(window). */
    void avgPool2dBackward(Tensor dx, Tensor dOut, ConvGeometry g);

    /** Maximum over the window's taps inside the input (padding acts as −∞). Overwrites out. */
    void maxPool2d(Tensor out, Tensor x, ConvGeometry g);

    /**
     * Each window's gradient goes to its maximum, found again from x: the first tap in row-major window order
     * that holds the maximum (PyTorch's CPU kernel keeps the first on ties). dx += .
     */
    void maxPool2dBackward(Tensor dx, Tensor dOut, Tensor x, ConvGeometry g);

    /**
     * {@link #maxPool2d} that also keeps each window's argmax for the backward, as PyTorch keeps its indices:
     * arg (out's shape) = the first maximal inside tap t = ky·k + kx, as a float. Overwrites out and arg.
     */
    void maxPool2dWithArgmax(Tensor out, Tensor arg, Tensor x, ConvGeometry g);

    /** dx[tap arg(y,x) of window (y,x)] += dOut[y,x], with arg from {@link #maxPool2dWithArgmax}. */
    void maxPool2dBackwardArgmax(Tensor dx, Tensor dOut, Tensor arg, ConvGeometry g);

    /**
     * Batch normalisation without affine parameters, with this batch's statistics (training mode, as DARTS's
     * search and DARTS-PT's evaluation use): per channel c over (b, y, x),
     * μ_c = mean x, σ²_c = biased variance, out = (x − μ_c)·rstd_c with rstd_c = 1/√(σ²_c + eps).
     * Writes out, mean (C) and rstd (C).
     */
    void batchNorm2d(Tensor out, Tensor mean, Tensor rstd, Tensor x, float eps);

    /**
     * With x̂ = out of the forward and n = B·H·W per channel: dx += rstd·(dOut − mean(dOut) − x̂·mean(dOut ⊙ x̂)).
     */
    void batchNorm2dBackward(Tensor dx, Tensor dOut, Tensor out, Tensor rstd);
}
