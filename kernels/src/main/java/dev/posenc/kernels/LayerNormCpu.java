package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class LayerNormCpu {
    private LayerNormCpu() {}

    public static void forward(Parallel p, Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma, Tensor beta, float eps) {
        throw new UnsupportedOperationException("LayerNormCpu: not implemented yet");
    }

    public static void backward(Parallel p, Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in, Tensor mean, Tensor rstd, Tensor gamma) {
        throw new UnsupportedOperationException("LayerNormCpu: not implemented yet");
    }
}
