// posenc.cuh: helpers shared by every posenc kernel (warp and block reductions, GELU, ceil_div).
// Header only; each .cu includes it and is compiled on its own (one PTX and one fatbin per .cu).
#pragma once

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

__device__ __forceinline__ double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// Sum over a 1-D block of up to 1024 threads (a multiple of 32); every thread gets the total. T is float or double
// (the losses and totals reduce in double). scratch holds 32 T; the trailing __syncthreads lets the caller reuse it at
// once. The warp and block trees are fixed by thread index, so for a fixed launch the result is the same bits every run.
template <typename T>
__device__ __forceinline__ T block_sum(T v, T* scratch) {
    int lane = threadIdx.x & 31, wid = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
    v = warp_sum(v);
    if (lane == 0) scratch[wid] = v;
    __syncthreads();
    v = lane < nw ? scratch[lane] : T(0);
    v = warp_sum(v);
    __syncthreads();
    return v;
}

// Σ_{i < count} part[i] by one 1-D block: thread t adds part[t], part[t + blockDim], ... in order, then block_sum.
// The second pass of every two-pass reduction here (no atomics: the order of addition is fixed, run to run).
__device__ __forceinline__ double sum_partials(const double* part, int count, double* scratch) {
    double v = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) v += part[i];
    return block_sum(v, scratch);
}

// Σ_{y < chunks} part[y·stride + i], y in order: the second pass of the column reductions (sum_rows, layer-norm
// γ/β, Fourier dw), which write one partial row per row chunk instead of adding them with atomics.
__device__ __forceinline__ float sum_chunks(const float* part, int chunks, long long stride, long long i) {
    float v = 0.f;
    for (int y = 0; y < chunks; y++) v += part[(long long) y * stride + i];
    return v;
}

__device__ __forceinline__ float block_max(float v, float* scratch) {
    int lane = threadIdx.x & 31, wid = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
    v = warp_max(v);
    if (lane == 0) scratch[wid] = v;
    __syncthreads();
    v = lane < nw ? scratch[lane] : -INFINITY;
    v = warp_max(v);
    __syncthreads();
    return v;
}

// PyTorch's gelu (exact erf form) and its derivative: Φ(x) + x·φ(x).
__device__ __forceinline__ float gelu_erf(float x) { return 0.5f * x * (1.f + erff(x * 0.70710678118654752f)); }

__device__ __forceinline__ float gelu_erf_grad(float x) {
    float cdf = 0.5f * (1.f + erff(x * 0.70710678118654752f));
    float pdf = 0.39894228040143268f * expf(-0.5f * x * x);
    return cdf + x * pdf;
}

// Activation codes shared with dev.posenc.cuda.ElementwiseCuda#activationCode (Java): explicit numbers, never enum ordinals.
#define ACT_NONE 0
#define ACT_EXP 1
#define ACT_LOG 2
#define ACT_TANH 3
#define ACT_SIGMOID 4
#define ACT_RELU 5
#define ACT_GELU_ERF 6
#define ACT_GELU_TANH 7
#define ACT_SIN 8
#define ACT_COS 9

__device__ __forceinline__ float gelu_tanh(float x) {
    float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
    return 0.5f * x * (1.f + tanhf(u));
}

__device__ __forceinline__ float gelu_tanh_grad(float x) {
    float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
    float t = tanhf(u);
    return 0.5f * (1.f + t) + 0.5f * x * (1.f - t * t) * 0.79788456080286536f * (1.f + 3.f * 0.044715f * x * x);
}

__device__ __forceinline__ float activate(int act, float x) {
    switch (act) {
        case ACT_EXP: return expf(x);
        case ACT_LOG: return logf(x);
        case ACT_TANH: return tanhf(x);
        case ACT_SIGMOID: return 1.f / (1.f + expf(-x));
        case ACT_RELU: return x > 0.f ? x : 0.f;
        case ACT_GELU_ERF: return gelu_erf(x);
        case ACT_GELU_TANH: return gelu_tanh(x);
        case ACT_SIN: return sinf(x);
        case ACT_COS: return cosf(x);
        default: return x;
    }
}

// f'(x), with y = f(x) given: tanh, sigmoid and exp take their derivative from y (as the CPU twin does).
__device__ __forceinline__ float activate_grad(int act, float x, float y) {
    switch (act) {
        case ACT_EXP: return y;
        case ACT_LOG: return 1.f / x;
        case ACT_TANH: return 1.f - y * y;
        case ACT_SIGMOID: return y * (1.f - y);
        case ACT_RELU: return x > 0.f ? 1.f : 0.f;
        case ACT_GELU_ERF: return gelu_erf_grad(x);
        case ACT_GELU_TANH: return gelu_tanh_grad(x);
        case ACT_SIN: return cosf(x);
        case ACT_COS: return -sinf(x);
        default: return 1.f;
    }
}
