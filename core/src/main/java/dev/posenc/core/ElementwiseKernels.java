package dev.posenc.core;

/** Element-wise maps. Outputs first. An output may alias an input of the same shape unless stated. */
public interface ElementwiseKernels {
    /** out = a + b (same shape). */
    void add(Tensor out, Tensor a, Tensor b);

    /** out = a − b (same shape). */
    void sub(Tensor out, Tensor a, Tensor b);

    /** out = a ⊙ b (same shape). */
    void mul(Tensor out, Tensor a, Tensor b);

    /** out[r, c] = a[r, c] + row[c]: a bias added to every row. a is (R, C), row has C elements. */
    void addRowBroadcast(Tensor out, Tensor a, Tensor row);

    /** out = s·a. */
    void scale(Tensor out, Tensor a, float s);

    /** y += alpha·x (same size): gradient accumulation. Modifies y. */
    void axpy(Tensor y, float alpha, Tensor x);

    /** Every element of out set to value. */
    void fill(Tensor out, float value);

    /** out = f(in). */
    void unary(UnaryOp f, Tensor out, Tensor in);

    /**
     * dIn += dOut ⊙ f′(in). {@code out} must hold f(in): tanh, sigmoid and exp take their derivative from
     * it, the others from {@code in}. Modifies dIn only.
     */
    void unaryBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out);

    /**
     * dIn = dOut ⊙ f′(in) when not {@code accumulate} (dIn's old contents are ignored: a fresh gradient needs no
     * zero pass), else {@link #unaryBackward(UnaryOp, Tensor, Tensor, Tensor, Tensor) dIn += dOut ⊙ f′(in)}.
     * The default fills dIn with zeros first; a backend overrides it to skip that pass. Modifies dIn only.
     */
    default void unaryBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out, boolean accumulate) {
        if (!accumulate) fill(dIn, 0f);
        unaryBackward(f, dIn, dOut, in, out);
    }
}
