// layernorm.cu: layer normalisation over the last axis of (R, C), as torch.nn.LayerNorm (biased variance).
//   forward: mean[r], rstd[r] = 1/√(var + eps); out = (in − mean)·rstd·gamma + beta.
//     Launch: one block per row, grid R, block 256; two passes (mean, then Σ(x − mean)² : no cancellation).
//   backward_dx: x̂ = (in − mean)·rstd, g = dOut ⊙ gamma;  dIn += rstd·(g − mean_c(g) − x̂·mean_c(g ⊙ x̂)).
//     Launch: one block per row, grid R, block 256. dIn may be null (the host then skips it).
//   backward_params: dGamma[c] += Σ_r dOut ⊙ x̂, dBeta[c] += Σ_r dOut, in two passes with no atomics (the same
//     bits run to run). Pass 1, layernorm_backward_params: grid (ceil(C / 32), chunks), block (32, 8), shared
//     2·8·33 floats; block (x, y) writes its row chunk's sums to part[y·C + c] (γ) and part[(chunks + y)·C + c] (β).
//     Pass 2, layernorm_params_finish: one thread per column adds the chunks in order; grid ceil(C / 256), block 256.
// Twin: dev.posenc.kernels.LayerNormCpu#forward / #backward.
#include "posenc.cuh"

extern "C" __global__ void layernorm_forward(float* out, float* mean, float* rstd, const float* in,
                                             const float* gamma, const float* beta, int c, float eps) {
    __shared__ float scratch[32];
    long long base = (long long) blockIdx.x * c;
    float s = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) s += in[base + j];
    float mu = block_sum(s, scratch) / c;
    float q = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) { float d = in[base + j] - mu; q += d * d; }
    float rs = rsqrtf(block_sum(q, scratch) / c + eps);
    for (int j = threadIdx.x; j < c; j += blockDim.x)
        out[base + j] = (in[base + j] - mu) * rs * gamma[j] + beta[j];
    if (threadIdx.x == 0) { mean[blockIdx.x] = mu; rstd[blockIdx.x] = rs; }
}

extern "C" __global__ void layernorm_backward_dx(float* din, const float* dout, const float* in, const float* mean,
                                                 const float* rstd, const float* gamma, int c) {
    __shared__ float scratch[32];
    long long base = (long long) blockIdx.x * c;
    float mu = mean[blockIdx.x], rs = rstd[blockIdx.x];
    float sg = 0.f, sgx = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) {
        float g = dout[base + j] * gamma[j], xh = (in[base + j] - mu) * rs;
        sg += g;
        sgx += g * xh;
    }
    float mg = block_sum(sg, scratch) / c, mgx = block_sum(sgx, scratch) / c;
    for (int j = threadIdx.x; j < c; j += blockDim.x) {
        float g = dout[base + j] * gamma[j], xh = (in[base + j] - mu) * rs;
        din[base + j] += rs * (g - mg - xh * mgx);
    }
}

extern "C" __global__ void layernorm_backward_params(float* part, const float* dout, const float* in,
                                                     const float* mean, const float* rstd, int r, int c,
                                                     int rows_per_block) {
    __shared__ float pg[8][33], pb[8][33];
    int col = blockIdx.x * 32 + threadIdx.x;
    int first = blockIdx.y * rows_per_block, last = min(r, first + rows_per_block);
    float ag = 0.f, ab = 0.f;
    if (col < c) {
        for (int row = first + threadIdx.y; row < last; row += 8) {
            float d = dout[(long long) row * c + col];
            ag += d * (in[(long long) row * c + col] - mean[row]) * rstd[row];
            ab += d;
        }
    }
    pg[threadIdx.y][threadIdx.x] = ag;
    pb[threadIdx.y][threadIdx.x] = ab;
    __syncthreads();
    if (threadIdx.y == 0 && col < c) {
        float g = 0.f, b = 0.f;
        for (int y = 0; y < 8; y++) { g += pg[y][threadIdx.x]; b += pb[y][threadIdx.x]; }
        part[(long long) blockIdx.y * c + col] = g;
        part[(long long) (gridDim.y + blockIdx.y) * c + col] = b;
    }
}

extern "C" __global__ void layernorm_params_finish(float* dgamma, float* dbeta, const float* part, int chunks, int c) {
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= c) return;
    if (dgamma) dgamma[col] += sum_chunks(part, chunks, c, col);
    if (dbeta) dbeta[col] += sum_chunks(part + (long long) chunks * c, chunks, c, col);
}
