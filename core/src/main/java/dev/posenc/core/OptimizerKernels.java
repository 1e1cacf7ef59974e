package dev.posenc.core;

/** Fused optimiser updates: one pass over parameter, gradient and moments. */
public interface OptimizerKernels {
    /**
     * One Adam/AdamW step, {@code step} counting from 1, as torch.optim.Adam/AdamW:
     * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε),
     * with weight decay applied as {@link AdamConfig} says. Modifies param, m and v.
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step);
}
