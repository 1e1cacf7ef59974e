package dev.posenc.core;

/**
 * Which operands of a matrix product are read transposed. These three forms are all that a forward
 * pass and its backward need: y = x·W (NN), dW = xᵀ·dy (TN), dx = dy·Wᵀ (NT).
 */
public enum MatmulForm {
    /** out (M×N) = a (M×K) · b (K×N). */
    NN,
    /** out (M×N) = aᵀ · b with a stored (K×M), b (K×N). */
    TN,
    /** out (M×N) = a · bᵀ with a (M×K), b stored (N×K). */
    NT;

    /** Rows of the product, read from the stored shape of a. */
    public int m(Tensor a) { return this == TN ? a.cols() : a.rows(); }

    /** Inner dimension, read from the stored shape of a. */
    public int k(Tensor a) { return this == TN ? a.rows() : a.cols(); }

    /** Columns of the product, read from the stored shape of b. */
    public int n(Tensor b) { return this == NT ? b.rows() : b.cols(); }

    /** Inner dimension, read from the stored shape of b. */
    public int kOfB(Tensor b) { return this == NT ? b.cols() : b.rows(); }
}
