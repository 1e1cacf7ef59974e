package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class FourierCpu {
    private FourierCpu() {}

    public static void forward(Parallel p, Tensor out, Tensor x, Tensor w, float scale) {
        throw new UnsupportedOperationException("FourierCpu: not implemented yet");
    }

    public static void forwardScalar(Tensor out, Tensor x, Tensor w, float scale) {
        throw new UnsupportedOperationException("FourierCpu: not implemented yet");
    }

    public static void backward(Parallel p, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        throw new UnsupportedOperationException("FourierCpu: not implemented yet");
    }

    public static void backwardScalar(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        throw new UnsupportedOperationException("FourierCpu: not implemented yet");
    }
}
