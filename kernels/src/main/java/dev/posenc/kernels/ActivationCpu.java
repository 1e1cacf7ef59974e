package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class ActivationCpu {
    private ActivationCpu() {}

    public static void unary(Parallel p, UnaryOp f, Tensor out, Tensor in) {
        throw new UnsupportedOperationException("ActivationCpu: not implemented yet");
    }

    public static void unaryBackward(Parallel p, UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out) {
        throw new UnsupportedOperationException("ActivationCpu: not implemented yet");
    }
}
