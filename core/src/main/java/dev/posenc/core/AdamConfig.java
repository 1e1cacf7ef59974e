package dev.posenc.core;

/**
 * Hyperparameters of Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019).
 *
 * @param decoupledWeightDecay true for AdamW (p −= lr·wd·p, outside the moments);
 *                             false for Adam's L2 form (g += wd·p, inside the moments), as in PyTorch
 */
public record AdamConfig(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupledWeightDecay) {
    public AdamConfig {
        if (!(lr >= 0)) throw new IllegalArgumentException("lr: expected >= 0, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1: expected in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2: expected in [0, 1), got " + beta2);
        if (!(eps > 0)) throw new IllegalArgumentException("eps: expected > 0, got " + eps);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weightDecay: expected >= 0, got " + weightDecay);
    }

    /** PyTorch's torch.optim.Adam defaults with the given learning rate. */
    public static AdamConfig adam(float lr) { return new AdamConfig(lr, 0.9f, 0.999f, 1e-8f, 0f, false); }

    /** PyTorch's torch.optim.AdamW defaults (weight decay 0.01) with the given learning rate. */
    public static AdamConfig adamW(float lr, float weightDecay) { return new AdamConfig(lr, 0.9f, 0.999f, 1e-8f, weightDecay, true); }
}
