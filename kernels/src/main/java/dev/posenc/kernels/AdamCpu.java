package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class AdamCpu {
    private AdamCpu() {}

    public static void step(Parallel p, Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        throw new UnsupportedOperationException("AdamCpu: not implemented yet");
    }

    public static void stepScalar(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        throw new UnsupportedOperationException("AdamCpu: not implemented yet");
    }
}
