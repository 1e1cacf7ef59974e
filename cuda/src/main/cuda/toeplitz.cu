// toeplitz.cu: products with Toeplitz matrices, per head h < heads (Luo et al. 2021 §3.2; spec papers.md §5.2).
//   T_h[i][j] = w[h, i − j + n − 1];  w (heads, 2n−1), x and out (heads, n, c).
//   toeplitz_multiply_direct:  out[h,i,cc] = Σ_j w[h, i−j+n−1]·x[h,j,cc]   (overwrites out)
//   toeplitz_weight_grad_direct: dw[h,k] += Σ_{i−j=k−(n−1)} Σ_cc dOut[h,i,cc]·x[h,j,cc]
// These are the O(n²) routes, exact and simple: the reference for the FFT route of fft.cu.
// Launch: multiply   grid-stride over heads·n·c elements, blocks of 256, cc fastest (coalesced x reads).
//         weight_grad grid (2n−1, heads), block 256: one block per (h, k), threads stride the
//           (i, cc) pairs of that diagonal; block_sum, then one thread adds to dw (no atomics: deterministic).
// Twin: dev.posenc.kernels.ToeplitzCpu#multiplyScalar / #weightGradScalar (launch maths: ToeplitzCuda).
#include "posenc.cuh"

extern "C" __global__ void toeplitz_multiply_direct(float* __restrict__ out, const float* __restrict__ w,
                                                    const float* __restrict__ x, int heads, int n, int c) {
    long long total = (long long) heads * n * c;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int cc = (int) (e % c);
        long long hi = e / c;
        int i = (int) (hi % n), h = (int) (hi / n);
        const float* wh = w + (long long) h * (2LL * n - 1);
        const float* xh = x + (long long) h * n * c;
        float acc = 0.f;
        for (int j = 0; j < n; j++) acc = fmaf(wh[i - j + n - 1], xh[(long long) j * c + cc], acc);
        out[e] = acc;
    }
}

extern "C" __global__ void toeplitz_weight_grad_direct(float* __restrict__ dw, const float* __restrict__ dOut,
                                                       const float* __restrict__ x, int heads, int n, int c) {
    __shared__ float scratch[32];
    int k = blockIdx.x, h = blockIdx.y;
    int offset = k - (n - 1);                       // i − j on this diagonal
    int i0 = max(0, offset), i1 = min(n, n + offset);
    long long pairs = (long long) (i1 - i0) * c;
    const float* dh = dOut + (long long) h * n * c;
    const float* xh = x + (long long) h * n * c;
    float acc = 0.f;
    for (long long p = threadIdx.x; p < pairs; p += blockDim.x) {
        int i = i0 + (int) (p / c), cc = (int) (p % c);
        acc = fmaf(dh[(long long) i * c + cc], xh[(long long) (i - offset) * c + cc], acc);
    }
    acc = block_sum(acc, scratch);
    if (threadIdx.x == 0) dw[(long long) h * (2LL * n - 1) + k] += acc;
}
