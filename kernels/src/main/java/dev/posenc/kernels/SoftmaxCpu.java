package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class SoftmaxCpu {
    private SoftmaxCpu() {}

    public static void softmax(Parallel p, Tensor out, Tensor in) {
        throw new UnsupportedOperationException("SoftmaxCpu: not implemented yet");
    }

    public static void softmaxBackward(Parallel p, Tensor dIn, Tensor dOut, Tensor out) {
        throw new UnsupportedOperationException("SoftmaxCpu: not implemented yet");
    }

    public static void logSoftmax(Parallel p, Tensor out, Tensor in) {
        throw new UnsupportedOperationException("SoftmaxCpu: not implemented yet");
    }

    public static void logSoftmaxBackward(Parallel p, Tensor dIn, Tensor dOut, Tensor out) {
        throw new UnsupportedOperationException("SoftmaxCpu: not implemented yet");
    }
}
