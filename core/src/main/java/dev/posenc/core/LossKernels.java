package dev.posenc.core;

/** Scalar losses and their gradients. */
public interface LossKernels {
    /** mean((pred − target)²) over every element, accumulated in double. */
    double mse(Tensor pred, Tensor target);

    /** dPred += dLoss · 2(pred − target)/n. Modifies dPred. */
    void mseBackward(Tensor dPred, Tensor pred, Tensor target, float dLoss);

    /**
     * mean over rows r of −log softmax(logits[r])[labels[r]]: PyTorch's cross_entropy with logits.
     * logits is (R, C); labels has R entries in [0, C).
     */
    double crossEntropy(Tensor logits, int[] labels);

    /** dLogits += dLoss · (softmax(logits) − onehot(labels)) / R. Modifies dLogits. */
    void crossEntropyBackward(Tensor dLogits, Tensor logits, int[] labels, float dLoss);
}
