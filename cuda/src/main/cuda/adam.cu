// adam.cu: one fused Adam/AdamW step over n parameters (torch.optim.Adam / AdamW semantics).
//   Adam (L2):  g' = g + wd·p;  AdamW: p −= lr·wd·p before the update (decoupled).
//   m = β1·m + (1−β1)·g';  v = β2·v + (1−β2)·g'²;  p −= lr·(m / bc1) / (√(v / bc2) + eps)
//   with bc1 = 1 − β1ᵗ and bc2 = 1 − β2ᵗ computed on the host in double (t counts from 1).
// Launch: grid-stride, block 256, no shared memory. Modifies param, m, v. Twin: dev.posenc.kernels.AdamCpu.
#include "posenc.cuh"

extern "C" __global__ void adam_step(float* param, const float* grad, float* m, float* v, float lr, float beta1,
                                     float beta2, float eps, float wd, int decoupled, float bc1, float bc2,
                                     long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float p = param[i], g = grad[i];
        if (decoupled) p -= lr * wd * p; else g = fmaf(wd, p, g);
        float mi = fmaf(beta1, m[i], (1.f - beta1) * g);
        float vi = fmaf(beta2, v[i], (1.f - beta2) * g * g);
        m[i] = mi;
        v[i] = vi;
        param[i] = p - lr * (mi / bc1) / (sqrtf(vi / bc2) + eps);
    }
}
