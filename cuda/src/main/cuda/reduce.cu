// reduce.cu: reductions over a (R, C) row-major matrix. No atomics: every reduction is two passes with a fixed
// order of addition, so a result is the same bits run to run (issue 14: a GPU training run is reproducible).
//   sum_rows: out[c] = scale·Σ_r in[r, c] (+ out[c] when accumulate): column sums, e.g. a bias gradient.
//     Pass 1, reduce_sum_rows_partial: grid (ceil(C / 32), chunks), block (32, 8), chunks = ceil(R / rows_per_block)
//     ≤ 1024. Block (x, y) sums row chunk y for 32 columns (coalesced), reduces its 8 warps in shared memory
//     (8·33 floats, y in order) and writes part[y·C + c]. Pass 2, reduce_finish: one thread per column adds the
//     chunk partials in chunk order: out = (acc ? out : 0) + scale·Σ_y part[y·C + c].
//   sum_cols: out[r] = scale·Σ_c in[r, c] (+ out[r]): one warp per row, grid ceil(R / 8), block (32, 8).
//   sum_all: part[b] = Σ of block b's grid-stride elements, in double (block 256, grid ≤ 1024);
//     reduce_partials then writes *out = Σ_b part[b] with one block of 256 (a fixed tree).
//   all_finite: *flag (int, set to 1) = 0 if any element is NaN/Inf; block 256, grid-stride. Threads that find one
//     all store the same 0 (a benign race: no atomic needed, the result does not depend on the order).
// Twin: dev.posenc.kernels.ReduceCpu (sumRows, sumCols, sum, allFinite).
#include "posenc.cuh"

extern "C" __global__ void reduce_sum_rows_partial(float* part, const float* in, int r, int c, int rows_per_block) {
    __shared__ float tile[8][33];
    int col = blockIdx.x * 32 + threadIdx.x;
    int first = blockIdx.y * rows_per_block, last = min(r, first + rows_per_block);
    float acc = 0.f;
    if (col < c) {
        for (int row = first + threadIdx.y; row < last; row += 8) acc += in[(long long) row * c + col];
    }
    tile[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < c) {
        float v = 0.f;
        for (int y = 0; y < 8; y++) v += tile[y][threadIdx.x];
        part[(long long) blockIdx.y * c + col] = v;
    }
}

extern "C" __global__ void reduce_finish(float* out, const float* part, int chunks, float scale, int accumulate, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = (accumulate ? out[i] : 0.f) + scale * sum_chunks(part, chunks, n, i);
}

extern "C" __global__ void reduce_sum_cols(float* out, const float* in, int r, int c, float scale, int accumulate) {
    int row = blockIdx.x * blockDim.y + threadIdx.y;
    if (row >= r) return;
    float acc = 0.f;
    for (int j = threadIdx.x; j < c; j += 32) acc += in[(long long) row * c + j];
    acc = warp_sum(acc);
    if (threadIdx.x == 0) out[row] = (accumulate ? out[row] : 0.f) + scale * acc;
}

extern "C" __global__ void reduce_sum_all(double* part, const float* in, long long n) {
    __shared__ double scratch[32];
    double v = 0.0;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        v += in[i];
    v = block_sum(v, scratch);
    if (threadIdx.x == 0) part[blockIdx.x] = v;
}

extern "C" __global__ void reduce_partials(double* out, const double* part, int count) {
    __shared__ double scratch[32];
    double v = sum_partials(part, count, scratch);
    if (threadIdx.x == 0) out[0] = v;
}

extern "C" __global__ void reduce_all_finite(int* flag, const float* in, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        if (!isfinite(in[i])) { *flag = 0; return; }
}
