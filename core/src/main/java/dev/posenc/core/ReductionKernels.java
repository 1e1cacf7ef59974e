package dev.posenc.core;

/** Reductions over one axis of a tensor seen as (rows, cols), and the last-axis softmaxes. */
public interface ReductionKernels {
    /**
     * out[c] (+)= scale · Σ_r in[r, c]: the column sums (scale 1) or means (scale 1/R), e.g. a bias
     * gradient. out has C elements.
     */
    void sumRows(Tensor out, Tensor in, float scale, boolean accumulate);

    /** out[r] (+)= scale · Σ_c in[r, c]: the row sums (scale 1) or means (scale 1/C). out has R elements. */
    void sumCols(Tensor out, Tensor in, float scale, boolean accumulate);

    /** Σ of every element, accumulated in double. */
    double sum(Tensor in);

    /** True when no element is NaN or infinite. */
    boolean allFinite(Tensor in);

    /** out = softmax(in) over the last axis, shifted by the row maximum for stability. */
    void softmax(Tensor out, Tensor in);

    /** dIn += out ⊙ (dOut − Σ_c dOut ⊙ out) per row, with out = softmax(in). Modifies dIn. */
    void softmaxBackward(Tensor dIn, Tensor dOut, Tensor out);

    /** out = in − logsumexp(in) over the last axis, stable. */
    void logSoftmax(Tensor out, Tensor in);

    /** dIn += dOut − exp(out) · Σ_c dOut per row, with out = logSoftmax(in). Modifies dIn. */
    void logSoftmaxBackward(Tensor dIn, Tensor dOut, Tensor out);
}
