// fourier.cu: the fused Fourier feature projection (Tancik et al. 2020; Li et al. 2021, LFF).
//   x (N, M) positions, w (K, M) frequencies, out (N, 2K) = [cos z ‖ sin z]·scale with z = x·wᵀ (N, K).
//   backward, dOut = [dC ‖ dS]:  g = (dS⊙cos z − dC⊙sin z)·scale;  dx += g·w (N, M);  dw += gᵀ·x (K, M).
// z is recomputed, never stored: with M ≤ 8 it costs M FMAs per element, less than an N×K round trip.
// Built WITHOUT --use_fast_math: __sinf is wrong for large |z|; sincosf is accurate to ~2 ulp.
// Launch: fourier_forward  grid (ceil(N·K / 256)), block 256, no shared memory; one thread per (n, k),
//           k fastest, so each warp writes 2 coalesced 128-byte runs.
//         fourier_backward_dx  grid (ceil(N / 8)), block (32, 8): one warp per row n, lanes stride k;
//           warp-shuffle reduction over k for the M outputs. dx may be null (launch skipped by the host).
//         fourier_backward_dw  grid (ceil(K / 32), chunks = ceil(N / rowsPerBlock)), block (32, 8): lanes own k,
//           the 8 warps stride rows; partial sums reduced in shared memory (tile, 8·32·M floats ≤ 8 KiB for M ≤ 8)
//           in warp order, written to part[y·K·M + k·M + c] for row chunk y (no atomics);
//         fourier_backward_dw_finish  grid ceil(K·M / 256), block 256: dw[i] += Σ_y part[y·K·M + i], chunks in
//           order. Two passes with a fixed order of addition: the same bits run to run (issue 14).
// Twin: dev.posenc.kernels.FourierCpu#forwardScalar / #backwardScalar (launch maths: LaunchConfig, FourierCuda).
#include "posenc.cuh"

#define FOURIER_MAX_M 8

extern "C" __global__ void fourier_forward(float* __restrict__ out, const float* __restrict__ x,
                                           const float* __restrict__ w, int n, int m, int k, float scale) {
    long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long) n * k) return;
    int row = (int) (i / k), j = (int) (i % k);
    float z = 0.f;
    for (int c = 0; c < m; c++) z = fmaf(w[(long long) j * m + c], x[(long long) row * m + c], z);
    float s, co;
    sincosf(z, &s, &co);
    float* o = out + (long long) row * 2 * k;
    o[j] = co * scale;
    o[k + j] = s * scale;
}

// g for one (row, j): the gradient of the loss with respect to z[row, j].
__device__ __forceinline__ float fourier_g(const float* __restrict__ dout, const float* __restrict__ x,
                                           const float* __restrict__ w, int row, int j, int m, int k,
                                           float scale) {
    float z = 0.f;
    for (int c = 0; c < m; c++) z = fmaf(w[(long long) j * m + c], x[(long long) row * m + c], z);
    float s, co;
    sincosf(z, &s, &co);
    const float* d = dout + (long long) row * 2 * k;
    return (d[k + j] * co - d[j] * s) * scale;
}

extern "C" __global__ void fourier_backward_dx(float* __restrict__ dx, const float* __restrict__ dout,
                                               const float* __restrict__ x, const float* __restrict__ w,
                                               int n, int m, int k, float scale) {
    int row = blockIdx.x * blockDim.y + threadIdx.y;
    if (row >= n) return;
    float acc[FOURIER_MAX_M];
    for (int c = 0; c < FOURIER_MAX_M; c++) acc[c] = 0.f;
    for (int j = threadIdx.x; j < k; j += 32) {
        float g = fourier_g(dout, x, w, row, j, m, k, scale);
        for (int c = 0; c < m; c++) acc[c] = fmaf(g, w[(long long) j * m + c], acc[c]);
    }
    for (int c = 0; c < m; c++) {
        float v = warp_sum(acc[c]);
        if (threadIdx.x == 0) dx[(long long) row * m + c] += v;   // one warp owns the row: no race
    }
}

extern "C" __global__ void fourier_backward_dw(float* __restrict__ part, const float* __restrict__ dout,
                                               const float* __restrict__ x, const float* __restrict__ w,
                                               int n, int m, int k, float scale, int rows_per_block) {
    __shared__ float tile[8][32][FOURIER_MAX_M];
    int j = blockIdx.x * 32 + threadIdx.x;
    int first = blockIdx.y * rows_per_block;
    int last = min(n, first + rows_per_block);
    float acc[FOURIER_MAX_M];
    for (int c = 0; c < FOURIER_MAX_M; c++) acc[c] = 0.f;
    if (j < k) {
        for (int row = first + threadIdx.y; row < last; row += blockDim.y) {
            float g = fourier_g(dout, x, w, row, j, m, k, scale);
            for (int c = 0; c < m; c++) acc[c] = fmaf(g, x[(long long) row * m + c], acc[c]);
        }
    }
    for (int c = 0; c < m; c++) tile[threadIdx.y][threadIdx.x][c] = acc[c];
    __syncthreads();
    if (threadIdx.y == 0 && j < k) {
        for (int c = 0; c < m; c++) {
            float v = 0.f;
            for (int y = 0; y < blockDim.y; y++) v += tile[y][threadIdx.x][c];
            part[((long long) blockIdx.y * k + j) * m + c] = v;
        }
    }
}

extern "C" __global__ void fourier_backward_dw_finish(float* __restrict__ dw, const float* __restrict__ part,
                                                      int chunks, int km) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < km) dw[i] += sum_chunks(part, chunks, km, i);
}
