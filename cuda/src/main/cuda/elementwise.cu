// elementwise.cu: element-wise maps and activations over flat float32 arrays of n elements.
//   add/sub/mul: out = a ∘ b; add_row_broadcast: out[r, c] = a[r, c] + row[c] (a is R×C, n = R·C);
//   scale: out = s·a; axpy: y += alpha·x; fill: out = v;
//   unary: out = f(in); unary_backward: dIn += dOut ⊙ f'(in) (f' from out for tanh, sigmoid, exp).
// Launch (all): grid-stride loop, block 256, grid min(ceil(n / 256), 1024) (LaunchConfig#gridStride);
//   no shared memory. Activation codes: ACT_* in posenc.cuh = ElementwiseCuda#activationCode.
// Twins: dev.posenc.kernels.ElementwiseCpu and ActivationCpu (#forwardScalar, #derivativeScalar).
#include "posenc.cuh"

#define GRID_STRIDE(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long) gridDim.x * blockDim.x)

extern "C" __global__ void ew_add(float* out, const float* a, const float* b, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] + b[i];
}

extern "C" __global__ void ew_sub(float* out, const float* a, const float* b, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] - b[i];
}

extern "C" __global__ void ew_mul(float* out, const float* a, const float* b, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

extern "C" __global__ void ew_add_row_broadcast(float* out, const float* a, const float* row, long long n, int c) {
    GRID_STRIDE(i, n) out[i] = a[i] + row[i % c];
}

extern "C" __global__ void ew_scale(float* out, const float* a, float s, long long n) {
    GRID_STRIDE(i, n) out[i] = s * a[i];
}

extern "C" __global__ void ew_axpy(float* y, float alpha, const float* x, long long n) {
    GRID_STRIDE(i, n) y[i] = fmaf(alpha, x[i], y[i]);
}

extern "C" __global__ void ew_fill(float* out, float v, long long n) {
    GRID_STRIDE(i, n) out[i] = v;
}

extern "C" __global__ void ew_unary(float* out, const float* in, int act, long long n) {
    GRID_STRIDE(i, n) out[i] = activate(act, in[i]);
}

extern "C" __global__ void ew_unary_backward(float* din, const float* dout, const float* in, const float* out,
                                             int act, long long n) {
    GRID_STRIDE(i, n) din[i] = fmaf(dout[i], activate_grad(act, in[i], out[i]), din[i]);
}
