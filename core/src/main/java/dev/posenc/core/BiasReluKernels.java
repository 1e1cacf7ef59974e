package dev.posenc.core;

/**
 * The bias and ReLU of an MLP's hidden layer, one pass over the activations each way (z = x·Wᵀ, b the bias):
 * <pre>
 *   biasRelu           y = max(z + b, 0)                          row-broadcast b
 *   biasReluBackward   dz = dy ⊙ [y &gt; 0] (overwritten);  db (+)= Σ_rows dz
 * </pre>
 * The defaults compose the element-wise and reduction kernels (two passes each way); a backend may override
 * either with one pass and the same numbers. The CPU fuses the forward only (BiasReluCpu says why).
 */
public interface BiasReluKernels extends ElementwiseKernels, ReductionKernels {
    /** y[r, c] = max(z[r, c] + b[c], 0): z (R, C), b (C) elements. Modifies y; y may be z. */
    default void biasRelu(Tensor y, Tensor z, Tensor b) {
        addRowBroadcast(y, z, b);
        unary(UnaryOp.RELU, y, y);
    }

    /**
     * dz = dy ⊙ [y &gt; 0], every element written (y is biasRelu's output: y &gt; 0 exactly where z + b &gt; 0), and
     * db += Σ_rows dz, or db = Σ_rows dz when not {@code accumulate}. Modifies dz and db.
     */
    default void biasReluBackward(Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        unaryBackward(UnaryOp.RELU, dz, dy, y, y, false);
        sumRows(db, dz, 1f, accumulate);
    }
}
