// reduce.cu: reductions over a (R, C) row-major matrix.
//   sum_rows: out[c] = scale·Σ_r in[r, c] (+ out[c] when accumulate): column sums, e.g. a bias gradient.
//     Launch: grid (ceil(C / 32), min(ceil(R / 256), 1024)), block (32, 8). Each block sums a row chunk for
//     32 columns (coalesced), reduces its 8 warps in shared memory (8·33 floats) and adds its partial to a
//     zeroed float scratch with atomicAdd; reduce_finish then writes out = (acc ? out : 0) + scale·scratch.
//   sum_cols: out[r] = scale·Σ_c in[r, c] (+ out[r]): one warp per row, grid ceil(R / 8), block (32, 8).
//   sum_all: *acc (double, zeroed) += Σ in, block 256, grid ≤ 1024, block partials in double then atomicAdd.
//   all_finite: *flag (int, set to 1) = 0 if any element is NaN/Inf; block 256, grid-stride.
// Twin: dev.posenc.kernels.ReduceCpu (sumRows, sumCols, sum, allFinite).
#include "posenc.cuh"

extern "C" __global__ void reduce_sum_rows_partial(float* scratch, const float* in, int r, int c, int rows_per_block) {
    __shared__ float part[8][33];
    int col = blockIdx.x * 32 + threadIdx.x;
    int first = blockIdx.y * rows_per_block, last = min(r, first + rows_per_block);
    float acc = 0.f;
    if (col < c) {
        for (int row = first + threadIdx.y; row < last; row += 8) acc += in[(long long) row * c + col];
    }
    part[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < c) {
        float v = 0.f;
        for (int y = 0; y < 8; y++) v += part[y][threadIdx.x];
        atomicAdd(&scratch[col], v);
    }
}

extern "C" __global__ void reduce_finish(float* out, const float* scratch, float scale, int accumulate, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = (accumulate ? out[i] : 0.f) + scale * scratch[i];
}

extern "C" __global__ void reduce_sum_cols(float* out, const float* in, int r, int c, float scale, int accumulate) {
    int row = blockIdx.x * blockDim.y + threadIdx.y;
    if (row >= r) return;
    float acc = 0.f;
    for (int j = threadIdx.x; j < c; j += 32) acc += in[(long long) row * c + j];
    acc = warp_sum(acc);
    if (threadIdx.x == 0) out[row] = (accumulate ? out[row] : 0.f) + scale * acc;
}

extern "C" __global__ void reduce_sum_all(double* acc, const float* in, long long n) {
    __shared__ double part[32];
    double v = 0.0;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        v += in[i];
    v = warp_sum_d(v);
    int lane = threadIdx.x & 31, wid = threadIdx.x >> 5;
    if (lane == 0) part[wid] = v;
    __syncthreads();
    if (wid == 0) {
        v = lane < (int) (blockDim.x >> 5) ? part[lane] : 0.0;
        v = warp_sum_d(v);
        if (lane == 0) atomicAdd(acc, v);
    }
}

extern "C" __global__ void reduce_all_finite(int* flag, const float* in, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        if (!isfinite(in[i])) { *flag = 0; return; }
}
