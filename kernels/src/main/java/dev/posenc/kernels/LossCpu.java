package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class LossCpu {
    private LossCpu() {}

    public static double mse(Parallel p, Tensor pred, Tensor target) {
        throw new UnsupportedOperationException("LossCpu: not implemented yet");
    }

    public static void mseBackward(Parallel p, Tensor dPred, Tensor pred, Tensor target, float dLoss) {
        throw new UnsupportedOperationException("LossCpu: not implemented yet");
    }

    public static double crossEntropy(Parallel p, Tensor logits, int[] labels) {
        throw new UnsupportedOperationException("LossCpu: not implemented yet");
    }

    public static void crossEntropyBackward(Parallel p, Tensor dLogits, Tensor logits, int[] labels, float dLoss) {
        throw new UnsupportedOperationException("LossCpu: not implemented yet");
    }
}
