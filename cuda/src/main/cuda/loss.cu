// loss.cu: scalar losses and their gradients. No atomics: each loss is two passes with a fixed order of addition
// (per-block or per-row partials in double, then one block sums them), the same bits run to run (issue 14).
//   mse_sum: part[b] = Σ (pred − target)² over block b's grid-stride elements, in double; block 256, grid ≤ 1024.
//   mse_backward: dPred += coef·(pred − target) with coef = 2·dLoss/n; grid-stride, block 256.
//   cross_entropy_rows: part[r] = logsumexp(logits[r]) − logits[r, label[r]] (double); one block per row, grid R,
//     block 256.
//   cross_entropy_backward: dLogits[r] += coef·(softmax(logits[r]) − onehot(label[r])), coef = dLoss/R;
//     one block per row, grid R, block 256.
//   loss_finish: loss[0] = (float) (Σ_{i < count} part[i] / n), one block of 256 (sum_partials): the mean stays on
//     the device (LossKernels#mseTo, crossEntropyTo). The host's mse()/crossEntropy() use reduce_partials instead.
//   mse_backward_dloss / cross_entropy_backward_dloss: as above with dLoss read from device memory.
// Labels are class indices stored as float (exact below 2²⁴), the form LossKernels' label tensors have in backend
// memory; an int[] is converted on upload. They are checked in [0, C) on the host before they reach the device.
// Twin: dev.posenc.kernels.LossCpu.
#include "posenc.cuh"

extern "C" __global__ void mse_sum(double* part, const float* pred, const float* target, long long n) {
    __shared__ double scratch[32];
    double v = 0.0;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        double d = (double) pred[i] - (double) target[i];
        v += d * d;
    }
    v = block_sum(v, scratch);
    if (threadIdx.x == 0) part[blockIdx.x] = v;
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

extern "C" __global__ void cross_entropy_rows(double* part, const float* logits, const float* labels, int c) {
    __shared__ float scratch[32];
    const float* x = logits + (long long) blockIdx.x * c;
    float mx, s;
    row_max_sum(x, c, scratch, &mx, &s);
    if (threadIdx.x == 0) part[blockIdx.x] = (double) mx + log((double) s) - (double) x[(int) labels[blockIdx.x]];
}

__device__ __forceinline__ void ce_backward_row(float* dlogits, const float* logits, const float* labels, int c,
                                                float coef) {
    __shared__ float scratch[32];
    const float* x = logits + (long long) blockIdx.x * c;
    float* d = dlogits + (long long) blockIdx.x * c;
    float mx, s;
    row_max_sum(x, c, scratch, &mx, &s);
    float inv = 1.f / s;
    int label = (int) labels[blockIdx.x];
    for (int j = threadIdx.x; j < c; j += blockDim.x)
        d[j] += coef * (expf(x[j] - mx) * inv - (j == label ? 1.f : 0.f));
}

extern "C" __global__ void cross_entropy_backward(float* dlogits, const float* logits, const float* labels, int c,
                                                  float coef) {
    ce_backward_row(dlogits, logits, labels, c, coef);
}

extern "C" __global__ void cross_entropy_backward_dloss(float* dlogits, const float* logits, const float* labels, int c,
                                                        const float* dloss, int rows) {
    ce_backward_row(dlogits, logits, labels, c, dloss[0] / (float) rows);   // the host's float dLoss / R
}

extern "C" __global__ void loss_finish(float* loss, const double* part, int count, double n) {
    __shared__ double scratch[32];
    double v = sum_partials(part, count, scratch);
    if (threadIdx.x == 0) loss[0] = (float) (v / n);
}

extern "C" __global__ void mse_backward_dloss(float* dpred, const float* pred, const float* target, const float* dloss,
                                              long long n) {
    float coef = (float) (2.0 * (double) dloss[0] / (double) n);   // the host's (float) (2.0 * dLoss / n)
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        dpred[i] = fmaf(coef, pred[i] - target[i], dpred[i]);
}
