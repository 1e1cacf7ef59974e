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

    // The loss stays where the backend computes: a device backend writes it into device memory and its backward
    // reads dLoss there, so a training step crosses to the host only when the caller reads the loss. The defaults
    // are the host route (the CPU backend's): the value as mse()/crossEntropy() give it, rounded to float.

    /** loss[0] = (float) mse(pred, target); loss has one element. Modifies loss. */
    default void mseTo(Tensor loss, Tensor pred, Tensor target) { loss.set(0, (float) mse(pred, target)); }

    /** {@link #mseBackward(Tensor, Tensor, Tensor, float)} with dLoss = dLoss[0], read where it lives. */
    default void mseBackward(Tensor dPred, Tensor pred, Tensor target, Tensor dLoss) {
        mseBackward(dPred, pred, target, dLoss.get(0));
    }

    /** loss[0] = (float) crossEntropy(logits, labels); loss has one element. Modifies loss. */
    default void crossEntropyTo(Tensor loss, Tensor logits, int[] labels) {
        loss.set(0, (float) crossEntropy(logits, labels));
    }

    /** {@link #crossEntropyBackward(Tensor, Tensor, int[], float)} with dLoss = dLoss[0], read where it lives. */
    default void crossEntropyBackward(Tensor dLogits, Tensor logits, int[] labels, Tensor dLoss) {
        crossEntropyBackward(dLogits, logits, labels, dLoss.get(0));
    }

    // Labels in backend memory: a tensor of R class indices held as floats (exact below 2²⁴, see EmbeddingKernels),
    // uploaded once with the data set, so a training step on a device sends no labels across. The defaults read them
    // on the host (the CPU backend's route, with the same bits as the int[] forms); a device backend overrides them.

    /** {@link #crossEntropyTo(Tensor, Tensor, int[])} with labels (R) as float class indices. Modifies loss. */
    default void crossEntropyTo(Tensor loss, Tensor logits, Tensor labels) {
        crossEntropyTo(loss, logits, labelArray("crossEntropyTo", labels));
    }

    /** {@link #crossEntropyBackward(Tensor, Tensor, int[], Tensor)} with labels (R) as float class indices. */
    default void crossEntropyBackward(Tensor dLogits, Tensor logits, Tensor labels, Tensor dLoss) {
        crossEntropyBackward(dLogits, logits, labelArray("crossEntropyBackward", labels), dLoss);
    }

    /** A host label tensor's class indices, each checked to be a whole number (the range is checked by the loss). */
    static int[] labelArray(String op, Tensor labels) {
        Shapes.require(labels.rank() == 1, op, "labels", "a 1-D tensor (R)", labels.shape());
        int[] out = new int[Math.toIntExact(labels.size())];
        for (int i = 0; i < out.length; i++) {
            float f = labels.get(i);
            if (!(f == Math.rint(f) && Math.abs(f) < (1 << 24)))   // no message built for the labels that pass
                Shapes.require(false, op, "labels[" + i + "]", "a whole class index", f);
            out[i] = (int) f;
        }
        return out;
    }
}
