package dev.posenc.core;

/**
 * Products with Toeplitz matrices through the FFT (Luo et al. 2021, §3.2; spec papers.md §5.2). Shapes are
 * per head h &lt; heads; the sequence length n is x's second dimension.
 *
 * <p>The matrix is T_h[i][j] = w[h, i − j + n − 1]: column k of w holds the weight of relative offset
 * i − j = k − (n − 1), from −(n − 1) (k = 0) to n − 1 (k = 2n − 2). The transpose product Tᵀ·y is
 * {@link #toeplitzMultiply} with each row of w reversed (w'[k] = w[2n − 2 − k]).
 *
 * <p>Both backends embed T in a circulant of a smooth length L ≥ 2n − 1 (L = 2·(2^a·3^b·5^c)) and multiply in
 * the frequency domain: O(heads · c · L log L) time, never O(n²). Scratch: on the CPU about 3·L floats per column
 * of a chunk of 16 or 32 columns, per worker thread (kept per thread for reuse); on the GPU up to 4·L·heads·c floats
 * per call (all columns in one batch).
 */
public interface ToeplitzKernels {
    /**
     * out[h,i,:] = Σ_j w[h, i − j + n − 1] · x[h,j,:].  w (heads, 2n−1), x (heads, n, c), out (heads, n, c),
     * overwritten. Modifies out only; out must not overlap x.
     */
    void toeplitzMultiply(Tensor out, Tensor w, Tensor x);

    /**
     * dw[h,k] += Σ_{i − j = k − (n − 1)} Σ_c dOut[h,i,c] · x[h,j,c].  dw (heads, 2n−1), accumulated;
     * dOut and x (heads, n, c). This is the gradient of Σ dOut ⊙ toeplitzMultiply(w, x) with respect to w.
     * Modifies dw only.
     */
    void toeplitzWeightGradAccumulate(Tensor dw, Tensor dOut, Tensor x);

    /**
     * The products of one backward step of out = T·x in one call, so that a backend can share the transforms of x
     * and dOut between them: y = T·x recomputed (a caller that does not keep out, e.g. chunked attention),
     * dx = Tᵀ·dOut with wRev the reversed weights (wRev[h, k] = w[h, 2n − 2 − k]), dw += the weight gradient as
     * {@link #toeplitzWeightGradAccumulate}. Any of y, dx, dw may be null (not computed). The default is the three
     * separate calls; a backend that overrides it must give the same values.
     */
    default void toeplitzBackward(Tensor y, Tensor dx, Tensor dw, Tensor w, Tensor wRev, Tensor x, Tensor dOut) {
        if (y != null) toeplitzMultiply(y, w, x);
        if (dw != null) toeplitzWeightGradAccumulate(dw, dOut, x);
        if (dx != null) toeplitzMultiply(dx, wRev, dOut);
    }

    /**
     * The checked sizes {heads, n, c} of a Toeplitz call, with one message per bad argument:
     * x must be (heads, n, c) with n ≥ 1, w (heads, 2n − 1), other (heads, n, c).
     */
    static int[] checkShapes(String op, String wName, Tensor w, String xName, Tensor x, String otherName, Tensor other) {
        Shapes.require(x.rank() == 3 && x.shape().dim(1) >= 1, op, xName, "a 3-D tensor (heads, n, c) with n >= 1",
                x.shape());
        int heads = x.shape().dim(0), n = x.shape().dim(1), c = x.shape().dim(2);
        Shapes.shape(op, wName, w, heads, 2 * n - 1);
        Shapes.shape(op, otherName, other, heads, n, c);
        return new int[] {heads, n, c};
    }
}
