package dev.posenc.core;
/** Products with Toeplitz matrices through the FFT (Luo et al. 2021 §5). Shapes per head h < heads. */
public interface ToeplitzKernels {
    /** out[h,i,:] = Σ_j w[h, i − j + n − 1] · x[h,j,:].  w (heads, 2n−1), x (heads, n, c), out (heads, n, c), overwritten.
     *  w[h, k] is the weight of relative offset i − j = k − (n − 1). */
    void toeplitzMultiply(Tensor out, Tensor w, Tensor x);
    /** dw[h,k] += Σ_{i − j = k − (n − 1)} Σ_c dOut[h,i,c] · x[h,j,c].  dw (heads, 2n−1), accumulated. */
    void toeplitzWeightGradAccumulate(Tensor dw, Tensor dOut, Tensor x);
}
