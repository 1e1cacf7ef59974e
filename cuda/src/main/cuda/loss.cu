// loss.cu: scalar losses and their gradients.
//   mse_sum: *acc (double, zeroed) += Σ (pred − target)²; the host divides by n. block 256, grid ≤ 1024.
//   mse_backward: dPred += coef·(pred − target) with coef = 2·dLoss/n; grid-stride, block 256.
//   cross_entropy_rows: *acc (double, zeroed) += Σ_r (logsumexp(logits[r]) − logits[r, label[r]]);
//     one block per row, grid R, block 256; the host divides by R.
//   cross_entropy_backward: dLogits[r] += coef·(softmax(logits[r]) − onehot(label[r])), coef = dLoss/R;
//     one block per row, grid R, block 256.
//   loss_finish: loss[0] = (float) (acc[0] / n): the mean stays on the device (LossKernels#mseTo, crossEntropyTo);
//     one thread. mse_backward_dloss / cross_entropy_backward_dloss: as above with dLoss read from device memory.
// Labels are int32 on the device, checked in [0, C) by the host before upload.
// Twin: dev.posenc.kernels.LossCpu.
#include "posenc.cuh"

extern "C" __global__ void mse_sum(double* acc, const float* pred, const float* target, long long n) {
    __shared__ double part[32];
    double v = 0.0;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        double d = (double) pred[i] - (double) target[i];
        v += d * d;
    }
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

extern "C" __global__ void mse_backward(float* dpred, const float* pred, const float* target, float coef, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        dpred[i] = fmaf(coef, pred[i] - target[i], dpred[i]);
}

// The row's max and Σ exp(x − max), for both kernels below.
__device__ __forceinline__ void row_max_sum(const float* x, int c, float* scratch, float* mx_out, float* s_out) {
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < c; j += blockDim.x) mx = fmaxf(mx, x[j]);
    mx = block_max(mx, scratch);
    float s = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) s += expf(x[j] - mx);
    *s_out = block_sum(s, scratch);
    *mx_out = mx;
}

extern "C" __global__ void cross_entropy_rows(double* acc, const float* logits, const int* labels, int c) {
    __shared__ float scratch[32];
    const float* x = logits + (long long) blockIdx.x * c;
    float mx, s;
    row_max_sum(x, c, scratch, &mx, &s);
    if (threadIdx.x == 0) atomicAdd(acc, (double) mx + log((double) s) - (double) x[labels[blockIdx.x]]);
}

__device__ __forceinline__ void ce_backward_row(float* dlogits, const float* logits, const int* labels, int c,
                                                float coef) {
    __shared__ float scratch[32];
    const float* x = logits + (long long) blockIdx.x * c;
    float* d = dlogits + (long long) blockIdx.x * c;
    float mx, s;
    row_max_sum(x, c, scratch, &mx, &s);
    float inv = 1.f / s;
    int label = labels[blockIdx.x];
    for (int j = threadIdx.x; j < c; j += blockDim.x)
        d[j] += coef * (expf(x[j] - mx) * inv - (j == label ? 1.f : 0.f));
}

extern "C" __global__ void cross_entropy_backward(float* dlogits, const float* logits, const int* labels, int c,
                                                  float coef) {
    ce_backward_row(dlogits, logits, labels, c, coef);
}

extern "C" __global__ void cross_entropy_backward_dloss(float* dlogits, const float* logits, const int* labels, int c,
                                                        const float* dloss, int rows) {
    ce_backward_row(dlogits, logits, labels, c, dloss[0] / (float) rows);   // the host's float dLoss / R
}

extern "C" __global__ void loss_finish(float* loss, const double* acc, double n) {
    if (blockIdx.x == 0 && threadIdx.x == 0) loss[0] = (float) (acc[0] / n);
}

extern "C" __global__ void mse_backward_dloss(float* dpred, const float* pred, const float* target, const float* dloss,
                                              long long n) {
    float coef = (float) (2.0 * (double) dloss[0] / (double) n);   // the host's (float) (2.0 * dLoss / n)
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        dpred[i] = fmaf(coef, pred[i] - target[i], dpred[i]);
}
