// lff.cu: the LFF encoder (Li et al. 2021) for inference, fused into one launch (tiny-cuda-nn style):
//   f = [cos(x·wrᵀ) ‖ sin(x·wrᵀ)]·scale (N, F);  h = gelu(f·w1ᵀ + b1) (N, H);  out = h·w2ᵀ + b2 (N, D)
//   x (N, M), wr (F/2, M), w1 (H, F), b1 (H), w2 (D, H), b2 (D): torch.nn.Linear's (out, in) layout, so a
//   PyTorch state dict loads as is. scale = 1/√F. GELU is the exact erf form (PyTorch's default).
// Neither f nor h touches global memory: one thread per row keeps h[H] in registers, the weights live in
//   shared memory (every thread of a warp reads the same weight: a broadcast, no bank conflict), and the
//   block's output rows are staged in shared memory so that the final store is coalesced.
// Launch: lff_encode_h{32,64}: grid ceil(N / 128), block 128, dynamic shared memory (floats)
//   F/2·M + F·H + H + D·H + D + 128·(D + 1)  (LaunchConfig#lffSharedBytes; 114 KiB at M=2 F=256 H=64 D=64, so the
//   host raises CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES; H200 allows 227 KiB per block).
// Twin: the composition FourierCpu#forward → MatmulCpu (NT) + bias → GELU_ERF → MatmulCpu (NT) + bias.
#include "posenc.cuh"

template <int H>
__device__ void lff_encode(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ wr,
                           const float* __restrict__ w1, const float* __restrict__ b1, const float* __restrict__ w2,
                           const float* __restrict__ b2, int n, int m, int f2, int d, float scale) {
    extern __shared__ float smem[];
    float* s_wr = smem;                    // (F/2, M)
    float* s_w1t = s_wr + f2 * m;          // (F, H): w1 transposed, so a feature's H weights are contiguous
    float* s_b1 = s_w1t + 2 * f2 * H;      // (H)
    float* s_w2 = s_b1 + H;                // (D, H)
    float* s_b2 = s_w2 + d * H;            // (D)
    float* s_out = s_b2 + d;               // (128, D + 1): +1 breaks the row stride's bank alignment
    for (int i = threadIdx.x; i < f2 * m; i += blockDim.x) s_wr[i] = wr[i];
    for (int i = threadIdx.x; i < 2 * f2 * H; i += blockDim.x) {
        int hh = i / (2 * f2), f = i % (2 * f2);   // coalesced read of w1 (H, F), transposed store
        s_w1t[f * H + hh] = w1[i];
    }
    for (int i = threadIdx.x; i < H; i += blockDim.x) s_b1[i] = b1[i];
    for (int i = threadIdx.x; i < d * H; i += blockDim.x) s_w2[i] = w2[i];
    for (int i = threadIdx.x; i < d; i += blockDim.x) s_b2[i] = b2[i];
    __syncthreads();

    int row = blockIdx.x * blockDim.x + threadIdx.x;
    if (row < n) {
        float xr[8];                        // M ≤ 8, checked on the host
        for (int c = 0; c < m && c < 8; c++) xr[c] = x[(long long) row * m + c];
        float h[H];
#pragma unroll
        for (int j = 0; j < H; j++) h[j] = s_b1[j];
        for (int f = 0; f < f2; f++) {
            float z = 0.f;
            for (int c = 0; c < m; c++) z = fmaf(s_wr[f * m + c], xr[c], z);
            float s, co;
            sincosf(z, &s, &co);
            co *= scale;
            s *= scale;
            const float* wc = s_w1t + f * H;
            const float* ws = s_w1t + (f2 + f) * H;
#pragma unroll
            for (int j = 0; j < H; j++) h[j] = fmaf(co, wc[j], fmaf(s, ws[j], h[j]));
        }
#pragma unroll
        for (int j = 0; j < H; j++) h[j] = gelu_erf(h[j]);
        for (int o = 0; o < d; o++) {
            float acc = s_b2[o];
            const float* w = s_w2 + o * H;
#pragma unroll
            for (int j = 0; j < H; j++) acc = fmaf(w[j], h[j], acc);
            s_out[threadIdx.x * (d + 1) + o] = acc;
        }
    }
    __syncthreads();
    int first = blockIdx.x * blockDim.x, rows = min(n - first, (int) blockDim.x);
    for (int i = threadIdx.x; i < rows * d; i += blockDim.x)
        out[(long long) first * d + i] = s_out[(i / d) * (d + 1) + i % d];
}

#define LFF_ENTRY(H) \
    extern "C" __global__ void __launch_bounds__(128) lff_encode_h##H(float* out, const float* x, const float* wr, \
            const float* w1, const float* b1, const float* w2, const float* b2, int n, int m, int f2, int d, \
            float scale) { \
        lff_encode<H>(out, x, wr, w1, b1, w2, b2, n, m, f2, d, scale); \
    }

LFF_ENTRY(32)
LFF_ENTRY(64)
