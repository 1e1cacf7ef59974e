// toeplitz.cu: products with Toeplitz matrices, per head h < heads (Luo et al. 2021 §3.2; spec papers.md §5.2).
//   T_h[i][j] = w[h, i − j + n − 1];  w (heads, 2n−1), x and out (heads, n, c).
//   toeplitz_multiply_direct:  out[h,i,cc] = Σ_j w[h, i−j+n−1]·x[h,j,cc]   (overwrites out)
//   toeplitz_weight_grad_direct: dw[h,k] += Σ_{i−j=k−(n−1)} Σ_cc dOut[h,i,cc]·x[h,j,cc]
// The direct kernels are the O(n²) routes, exact and simple: used for n ≤ 32 (where they are cheaper) and the
// reference for the FFT route below (circulant embedding as ToeplitzCpu, transforms from fft.cu).
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

// ---- the FFT route (ToeplitzCuda#multiply / #weightGradAccumulate; the algorithm of ToeplitzCpu's header)
// Columns: B = heads·c sequences, column col = hd·c + cc; real sequences of length L = 2h packed as
// z[t] = row 2t + i·row 2t+1 in fft.cu's interleaved layout ([t·B + col]); rows ≥ n are zero padding.
// All kernels are grid-stride loops over their outputs, blocks of 256.

// zr/zi (h, B) from x (heads, n, c).
extern "C" __global__ void toeplitz_pack(float* __restrict__ zr, float* __restrict__ zi, const float* __restrict__ x,
                                         int heads, int n, int c, int h) {
    long long cols = (long long) heads * c, total = (long long) h * cols;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int t = (int) (e / cols);
        long long col = e % cols;
        int hd = (int) (col / c), cc = (int) (col % c);
        const float* xh = x + (long long) hd * n * c + cc;
        zr[e] = 2 * t < n ? xh[(long long) (2 * t) * c] : 0.f;
        zi[e] = 2 * t + 1 < n ? xh[(long long) (2 * t + 1) * c] : 0.f;
    }
}

// The circulant's first column per head, packed: col[d] = w[d + n − 1] (d < n), col[2h − d] = w[n − 1 − d] (0 < d < n).
__device__ __forceinline__ float toeplitz_column(const float* wh, int n, int h, int d) {
    if (d < n) return wh[d + n - 1];
    if (d > 2 * h - n) return wh[n - 1 - (2 * h - d)];
    return 0.f;
}

extern "C" __global__ void toeplitz_pack_column(float* __restrict__ zr, float* __restrict__ zi,
                                                const float* __restrict__ w, int heads, int n, int h) {
    long long total = (long long) h * heads;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int t = (int) (e / heads), hd = (int) (e % heads);
        const float* wh = w + (long long) hd * (2LL * n - 1);
        zr[e] = toeplitz_column(wh, n, h, 2 * t);
        zi[e] = toeplitz_column(wh, n, h, 2 * t + 1);
    }
}

// X[k, col] ·= S[k, hd] for k ≤ h: the half spectrum of the columns times the head's circulant spectrum.
extern "C" __global__ void toeplitz_mul_spectrum(float* __restrict__ xr, float* __restrict__ xi,
                                                 const float* __restrict__ sr, const float* __restrict__ si,
                                                 int h, int heads, int c) {
    long long cols = (long long) heads * c, total = (long long) (h + 1) * cols;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        long long k = e / cols;
        int hd = (int) (e % cols / c);
        float ar = xr[e], ai = xi[e], br = sr[k * heads + hd], bi = si[k * heads + hd];
        xr[e] = ar * br - ai * bi;
        xi[e] = ar * bi + ai * br;
    }
}

// out (heads, n, c) from z[t] = row 2t + i·row 2t+1.
extern "C" __global__ void toeplitz_unpack(float* __restrict__ out, const float* __restrict__ zr,
                                           const float* __restrict__ zi, int heads, int n, int c) {
    long long cols = (long long) heads * c, total = (long long) heads * n * c;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int cc = (int) (e % c);
        long long hi = e / c;
        int i = (int) (hi % n), hd = (int) (hi / n);
        long long at = (long long) (i / 2) * cols + (long long) hd * c + cc;
        out[e] = (i % 2 == 0) ? zr[at] : zi[at];
    }
}

// G[k, hd] = Σ_cc D[k, col]·conj X[k, col] for k ≤ h: one thread per (k, head), cc ascending (deterministic).
extern "C" __global__ void toeplitz_cross(float* __restrict__ gr, float* __restrict__ gi, const float* __restrict__ dr,
                                          const float* __restrict__ di, const float* __restrict__ xr,
                                          const float* __restrict__ xi, int h, int heads, int c) {
    long long total = (long long) (h + 1) * heads, cols = (long long) heads * c;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        long long k = e / heads;
        int hd = (int) (e % heads);
        long long base = k * cols + (long long) hd * c;
        float sr = 0.f, si = 0.f;
        for (int cc = 0; cc < c; cc++) {
            float ar = dr[base + cc], ai = di[base + cc], br = xr[base + cc], bi = xi[base + cc];
            sr += ar * br + ai * bi;
            si += ai * br - ar * bi;
        }
        gr[e] = sr;
        gi[e] = si;
    }
}

// dw[hd, k] += r[(k − (n − 1)) mod 2h], r[2t] = zr[t·heads + hd], r[2t+1] = zi[t·heads + hd].
extern "C" __global__ void toeplitz_grad_scatter(float* __restrict__ dw, const float* __restrict__ zr,
                                                 const float* __restrict__ zi, int heads, int n, int h) {
    long long per = 2LL * n - 1, total = (long long) heads * per;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int hd = (int) (e / per), k = (int) (e % per);
        int d = k - (n - 1), m = d >= 0 ? d : d + 2 * h;
        long long at = (long long) (m / 2) * heads + hd;
        dw[e] += (m % 2 == 0) ? zr[at] : zi[at];
    }
}
