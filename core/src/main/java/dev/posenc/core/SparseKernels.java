package dev.posenc.core;

import dev.posenc.core.graph.Csr;

/**
 * Sparse-dense products, the one kernel behind message passing on graphs: out (R, D) = A·x with A a {@link Csr}
 * (R × C) and x (C, D) dense, row-major.
 *
 * <pre>
 *   out[r, :] = Σ_{k ∈ row r} val[k] · x[col[k], :]          (in increasing k: a fixed order)
 * </pre>
 *
 * A gather x[index[e]] ({@link Csr#gather}), a segment sum over edges ({@link Csr#segments}) and GCN's
 * D^-½(A+I)D^-½ ({@code Graph#gcnNormalized}) are all this product; each backward is the product with Aᵀ. An
 * implementation computes every output row on one thread, in the order above, so results are the same bit for bit
 * at any thread count (no atomic adds whose order depends on scheduling).
 *
 * <p>A separate family offered through {@link Backend#sparse()}, so that a backend without it still compiles and
 * says so when asked.
 */
public interface SparseKernels {
    /** out = A·x. Modifies out, which must not overlap x. */
    void spmm(Tensor out, Csr a, Tensor x);

    /** out += A·x (for backward rules). Modifies out, which must not overlap x. */
    void spmmAccumulate(Tensor out, Csr a, Tensor x);

    /** The shape checks every implementation applies: x (C, D), out (R, D). */
    static void check(String op, Tensor out, Csr a, Tensor x) {
        Shapes.rank2(op, "x", x);
        Shapes.require(x.rows() == a.cols(), op, "x", "%d rows (the matrix's columns, %s)".formatted(a.cols(), a), x.shape());
        Shapes.shape(op, "out", out, a.rows(), x.cols());
    }
}
