package dev.posenc.core;

/**
 * The window of a 2-D convolution or pooling over NCHW tensors: a square {@code kernel} × {@code kernel}
 * window moved by {@code stride}, on an input zero-padded by {@code padding} on every side, whose taps are
 * {@code dilation} pixels apart (PyTorch's {@code nn.Conv2d} arguments). Output size per axis:
 * <pre>
 *   out = ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
 * </pre>
 * and output pixel (oy, ox) reads input (oy·stride − padding + ky·dilation, ox·stride − padding + kx·dilation).
 */
public record ConvGeometry(int kernel, int stride, int padding, int dilation) {
    public ConvGeometry {
        if (kernel < 1) throw new IllegalArgumentException("kernel: expected >= 1, got " + kernel);
        if (stride < 1) throw new IllegalArgumentException("stride: expected >= 1, got " + stride);
        if (padding < 0) throw new IllegalArgumentException("padding: expected >= 0, got " + padding);
        if (dilation < 1) throw new IllegalArgumentException("dilation: expected >= 1, got " + dilation);
    }

    /** A k × k window, stride s, padding p, no dilation. */
    public static ConvGeometry of(int kernel, int stride, int padding) { return new ConvGeometry(kernel, stride, padding, 1); }

    /** The distance from the first tap to the last plus one: dilation·(kernel − 1) + 1. */
    public int extent() { return dilation * (kernel - 1) + 1; }

    /**
     * The output size along an axis of {@code in} pixels.
     *
     * @throws IllegalArgumentException when the (dilated) kernel is larger than the padded input
     */
    public int outSize(int in) {
        if (in + 2 * padding < extent()) throw new IllegalArgumentException(
                "kernel: expected a window (extent %d = dilation %d·(kernel %d − 1) + 1) no larger than the padded input %d + 2·%d = %d, got a larger one"
                        .formatted(extent(), dilation, kernel, in, padding, in + 2 * padding));
        return (in + 2 * padding - extent()) / stride + 1;
    }

    /** The expected output shape (B, channels, outSize(H), outSize(W)) for an input x (B, ·, H, W). */
    public Shape outShape(Tensor x, int channels) {
        Shapes.require(x.rank() == 4, "conv2d", "x", "a 4-D tensor (B, C, H, W)", x.shape());
        return Shape.of(x.shape().dim(0), channels, outSize(x.shape().dim(2)), outSize(x.shape().dim(3)));
    }

    @Override public String toString() {
        return "%d×%d/s%d/p%d%s".formatted(kernel, kernel, stride, padding, dilation == 1 ? "" : "/d" + dilation);
    }
}
