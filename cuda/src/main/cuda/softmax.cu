// softmax.cu: softmax and log-softmax over the last axis of a (R, C) matrix, and their backwards.
//   softmax: out = exp(in − max)/Σ exp(in − max); softmax_backward: dIn += out ⊙ (dOut − Σ_c dOut ⊙ out)
//   log_softmax: out = in − max − log Σ exp(in − max); backward: dIn += dOut − exp(out)·Σ_c dOut
// Launch (all four): one block per row, grid R, block 256 (a multiple of 32), 32 floats of static shared
//   memory for block_sum/block_max; the row is read 2–3 times (from L1/L2 for C ≤ a few thousand).
// Twin: dev.posenc.kernels.SoftmaxCpu.
#include "posenc.cuh"

extern "C" __global__ void softmax_forward(float* out, const float* in, int c) {
    __shared__ float scratch[32];
    const float* x = in + (long long) blockIdx.x * c;
    float* y = out + (long long) blockIdx.x * c;
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < c; j += blockDim.x) mx = fmaxf(mx, x[j]);
    mx = block_max(mx, scratch);
    float s = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) s += expf(x[j] - mx);
    s = block_sum(s, scratch);
    float inv = 1.f / s;
    for (int j = threadIdx.x; j < c; j += blockDim.x) y[j] = expf(x[j] - mx) * inv;
}

extern "C" __global__ void softmax_backward(float* din, const float* dout, const float* out, int c) {
    __shared__ float scratch[32];
    long long base = (long long) blockIdx.x * c;
    float dot = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) dot += dout[base + j] * out[base + j];
    dot = block_sum(dot, scratch);
    for (int j = threadIdx.x; j < c; j += blockDim.x) din[base + j] += out[base + j] * (dout[base + j] - dot);
}

extern "C" __global__ void log_softmax_forward(float* out, const float* in, int c) {
    __shared__ float scratch[32];
    const float* x = in + (long long) blockIdx.x * c;
    float* y = out + (long long) blockIdx.x * c;
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < c; j += blockDim.x) mx = fmaxf(mx, x[j]);
    mx = block_max(mx, scratch);
    float s = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) s += expf(x[j] - mx);
    s = block_sum(s, scratch);
    float lse = mx + logf(s);
    for (int j = threadIdx.x; j < c; j += blockDim.x) y[j] = x[j] - lse;
}

extern "C" __global__ void log_softmax_backward(float* din, const float* dout, const float* out, int c) {
    __shared__ float scratch[32];
    long long base = (long long) blockIdx.x * c;
    float s = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) s += dout[base + j];
    s = block_sum(s, scratch);
    for (int j = threadIdx.x; j < c; j += blockDim.x) din[base + j] += dout[base + j] - expf(out[base + j]) * s;
}
