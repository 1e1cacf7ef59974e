package dev.posenc.core;

/**
 * The bias and ReLU of an MLP's hidden layer, one pass over the activations each way (z = x·Wᵀ, b the bias):
 * <pre>
 *   biasRelu           y = max(z + b, 0)                          row-broadcast b
 *   biasReluBackward   dz = dy ⊙ [y &gt; 0] (overwritten);  db (+)= Σ_rows dz
 *   linearGelu         y = GELU(x·Wᵀ + b), keeping what linearGeluBackward needs
 * </pre>
 * The defaults compose the element-wise and reduction kernels (two passes each way); a backend may override
 * either with one pass: the forward with the same numbers, the backward with dz's and db's sum in another fixed
 * order (the CPU sums db by blocks of rows: BiasReluCpu). {@link #linear} puts the bias (and ReLU) of a layer into
 * its product.
 */
public interface BiasReluKernels extends ElementwiseKernels, ReductionKernels, MatmulKernels {
    /**
     * A linear layer's forward: y = x·Wᵀ + b, then max(·, 0) when {@code relu}; x (N, In), w (Out, In), b (Out),
     * y (N, Out). The default is the product, then {@link #addRowBroadcast} or {@link #biasRelu}; a backend may
     * apply the bias and ReLU as the product stores its tiles, with the same numbers. Modifies y; y must not
     * alias x or w.
     */
    default void linear(Tensor y, Tensor x, Tensor w, Tensor b, boolean relu) {
        matmul(y, x, w, MatmulForm.NT, false);
        if (relu) biasRelu(y, y, b);
        else addRowBroadcast(y, y, b);
    }

    /**
     * A linear layer then the exact GELU: y = GELU(x·Wᵀ + b), x (N, In), w (Out, In), b (Out), y (N, Out); and
     * {@code kept} (N, Out), what {@link #linearGeluBackward} reads, in the backend's own form: the default keeps the
     * pre-activation h = x·Wᵀ + b, the CPU keeps GELU′(h) (its backward is then one multiply). The numbers of
     * {@link #linear}, then {@code unary(GELU_ERF)}. Modifies y and kept; neither may alias x, w or each other.
     */
    default void linearGelu(Tensor y, Tensor kept, Tensor x, Tensor w, Tensor b) {
        linear(kept, x, w, b, false);
        unary(UnaryOp.GELU_ERF, y, kept);
    }

    /**
     * dh = dy ⊙ GELU′(h), or dh += that when {@code accumulate}, from what {@link #linearGelu} kept (and y, its
     * output): the numbers of {@code unaryBackward(GELU_ERF, dh, dy, h, y, accumulate)}. Modifies dh only.
     */
    default void linearGeluBackward(Tensor dh, Tensor dy, Tensor kept, Tensor y, boolean accumulate) {
        unaryBackward(UnaryOp.GELU_ERF, dh, dy, kept, y, accumulate);
    }

    /** y[r, c] = max(z[r, c] + b[c], 0): z (R, C), b (C) elements. Modifies y; y may be z. */
    default void biasRelu(Tensor y, Tensor z, Tensor b) {
        addRowBroadcast(y, z, b);
        unary(UnaryOp.RELU, y, y);
    }

    /**
     * dz = dy ⊙ [y &gt; 0], every element written (y is biasRelu's output: y &gt; 0 exactly where z + b &gt; 0), and
     * db += Σ_rows dz, or db = Σ_rows dz when not {@code accumulate}. The order of db's sum is the backend's (fixed
     * by the shapes, never by the thread count). Modifies dz and db.
     */
    default void biasReluBackward(Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        unaryBackward(UnaryOp.RELU, dz, dy, y, y, false);
        sumRows(db, dz, 1f, accumulate);
    }
}
