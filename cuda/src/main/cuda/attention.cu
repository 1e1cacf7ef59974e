// attention.cu: flash-style scaled dot-product attention (Dao et al. 2022, FlashAttention-2 loop order), fp32.
//   q, k, v, out (BH, T, D) row-major, BH = batch·heads; lse (BH, T) = log Σ_j exp(s_ij) kept for backward;
//   s_ij = scale·q_i·k_j (scale = 1/√D usually), masked to −∞ for j > i when causal.
//   forward: out_i = Σ_j softmax_j(s_ij)·v_j, by an online softmax over key tiles (no T×T matrix).
//   backward (dO given; Dv_i = dO_i·out_i from attn_bwd_rowdot): p_ij = exp(s_ij − lse_i),
//     dV_j = Σ_i p_ij dO_i;  dS_ij = p_ij (dO_i·v_j − Dv_i);  dK_j = scale Σ_i dS_ij q_i;  dQ_i = scale Σ_j dS_ij k_j.
//     dK/dV by one kernel (a quad of threads per key, looping over query tiles), dQ by another (a quad per
//     query, looping over key tiles): p is computed twice, but there are no atomics and the result is
//     deterministic. All three gradients are overwritten, not accumulated.
// Thread mapping: 4 threads ("a quad") own one row; thread p of the quad owns elements p, p+4, p+8, …
//   (D/4 of them), so a warp's 8 rows × 4 parts read 4 consecutive shared words per key: no bank conflict.
//   Dot products are the quad's partials summed by two __shfl_xor_sync.
// Launch (all three tiled kernels): grid (ceil(T / 32), BH), block 128 (32 rows), static shared memory
//   2·32·D floats (K and V tiles, or Q and dO tiles): 8/16/32 KiB for D = 32/64/128.
//   attn_bwd_rowdot: one warp per row, grid ceil(BH·T / 8), block (32, 8).
// Instantiated for D ∈ {32, 64, 128}: attn_fwd_d64 etc. No tensor cores: a CUDA-core baseline.
// Twin: dev.posenc.cuda.AttentionReference (plain loops over float[], double accumulation).
#include "posenc.cuh"

#define BR 32
#define BC 32

__device__ __forceinline__ float quad_sum(float v) {
    v += __shfl_xor_sync(0xffffffffu, v, 1);
    v += __shfl_xor_sync(0xffffffffu, v, 2);
    return v;
}

template <int D>
__device__ void attn_fwd(float* out, float* lse, const float* q, const float* k, const float* v, int t,
                         float scale, int causal) {
    constexpr int E = D / 4;
    __shared__ float ks[BC][D], vs[BC][D];
    long long base = (long long) blockIdx.y * t * D;
    int part = threadIdx.x & 3, qi = blockIdx.x * BR + (threadIdx.x >> 2);
    float qr[E], o[E];
    for (int e = 0; e < E; e++) {
        qr[e] = qi < t ? q[base + (long long) qi * D + e * 4 + part] * scale : 0.f;
        o[e] = 0.f;
    }
    float mx = -INFINITY, l = 0.f;
    int last_key = causal ? min(t, (blockIdx.x + 1) * BR) : t;   // causal: later tiles are fully masked
    for (int j0 = 0; j0 < last_key; j0 += BC) {
        __syncthreads();
        for (int i = threadIdx.x; i < BC * D; i += blockDim.x) {
            int j = j0 + i / D;
            ks[i / D][i % D] = j < t ? k[base + (long long) j * D + i % D] : 0.f;
            vs[i / D][i % D] = j < t ? v[base + (long long) j * D + i % D] : 0.f;
        }
        __syncthreads();
        float s[BC], tile_max = -INFINITY;
#pragma unroll
        for (int j = 0; j < BC; j++) {
            float dot = 0.f;
#pragma unroll
            for (int e = 0; e < E; e++) dot = fmaf(qr[e], ks[j][e * 4 + part], dot);
            dot = quad_sum(dot);
            bool masked = j0 + j >= t || (causal && j0 + j > qi);
            s[j] = masked ? -INFINITY : dot;
            tile_max = fmaxf(tile_max, s[j]);
        }
        float m_new = fmaxf(mx, tile_max);
        // a row whose keys so far are all masked keeps m = −∞; exp(−∞ − −∞) would be NaN, so guard
        float corr = m_new == -INFINITY ? 1.f : expf(mx - m_new);
        l *= corr;
#pragma unroll
        for (int e = 0; e < E; e++) o[e] *= corr;
#pragma unroll
        for (int j = 0; j < BC; j++) {
            float p = s[j] == -INFINITY ? 0.f : expf(s[j] - m_new);
            l += p;
#pragma unroll
            for (int e = 0; e < E; e++) o[e] = fmaf(p, vs[j][e * 4 + part], o[e]);
        }
        mx = m_new;
    }
    if (qi < t) {
        float inv = 1.f / l;
        for (int e = 0; e < E; e++) out[base + (long long) qi * D + e * 4 + part] = o[e] * inv;
        if (part == 0) lse[(long long) blockIdx.y * t + qi] = mx + logf(l);
    }
}

extern "C" __global__ void attn_bwd_rowdot(float* dv_row, const float* dout, const float* out, long long rows, int d) {
    long long row = (long long) blockIdx.x * blockDim.y + threadIdx.y;
    if (row >= rows) return;
    float acc = 0.f;
    for (int j = threadIdx.x; j < d; j += 32) acc += dout[row * d + j] * out[row * d + j];
    acc = warp_sum(acc);
    if (threadIdx.x == 0) dv_row[row] = acc;
}

template <int D>
__device__ void attn_bwd_dkdv(float* dk, float* dv, const float* q, const float* k, const float* v, const float* dout,
                              const float* lse, const float* rowdot, int t, float scale, int causal) {
    constexpr int E = D / 4;
    __shared__ float qs[BR][D], dos[BR][D];
    __shared__ float ls[BR], ds_[BR];
    long long base = (long long) blockIdx.y * t * D, rbase = (long long) blockIdx.y * t;
    int part = threadIdx.x & 3, kj = blockIdx.x * BC + (threadIdx.x >> 2);
    float kr[E], vr[E], dkr[E], dvr[E];
    for (int e = 0; e < E; e++) {
        kr[e] = kj < t ? k[base + (long long) kj * D + e * 4 + part] : 0.f;
        vr[e] = kj < t ? v[base + (long long) kj * D + e * 4 + part] : 0.f;
        dkr[e] = 0.f;
        dvr[e] = 0.f;
    }
    int first_query = causal ? blockIdx.x * BC : 0;   // causal: queries before the key tile see none of it
    for (int i0 = first_query; i0 < t; i0 += BR) {
        __syncthreads();
        for (int i = threadIdx.x; i < BR * D; i += blockDim.x) {
            int r = i0 + i / D;
            qs[i / D][i % D] = r < t ? q[base + (long long) r * D + i % D] : 0.f;
            dos[i / D][i % D] = r < t ? dout[base + (long long) r * D + i % D] : 0.f;
        }
        for (int i = threadIdx.x; i < BR; i += blockDim.x) {
            ls[i] = i0 + i < t ? lse[rbase + i0 + i] : 0.f;
            ds_[i] = i0 + i < t ? rowdot[rbase + i0 + i] : 0.f;
        }
        __syncthreads();
        for (int i = 0; i < BR; i++) {
            float s = 0.f, dp = 0.f;
#pragma unroll
            for (int e = 0; e < E; e++) {
                s = fmaf(qs[i][e * 4 + part], kr[e], s);
                dp = fmaf(dos[i][e * 4 + part], vr[e], dp);
            }
            s = quad_sum(s) * scale;
            dp = quad_sum(dp);
            bool masked = i0 + i >= t || kj >= t || (causal && kj > i0 + i);
            float p = masked ? 0.f : expf(s - ls[i]);
            float dsij = p * (dp - ds_[i]);
#pragma unroll
            for (int e = 0; e < E; e++) {
                dvr[e] = fmaf(p, dos[i][e * 4 + part], dvr[e]);
                dkr[e] = fmaf(dsij * scale, qs[i][e * 4 + part], dkr[e]);
            }
        }
    }
    if (kj < t) {
        for (int e = 0; e < E; e++) {
            dk[base + (long long) kj * D + e * 4 + part] = dkr[e];
            dv[base + (long long) kj * D + e * 4 + part] = dvr[e];
        }
    }
}

template <int D>
__device__ void attn_bwd_dq(float* dq, const float* q, const float* k, const float* v, const float* dout,
                            const float* lse, const float* rowdot, int t, float scale, int causal) {
    constexpr int E = D / 4;
    __shared__ float ks[BC][D], vs[BC][D];
    long long base = (long long) blockIdx.y * t * D, rbase = (long long) blockIdx.y * t;
    int part = threadIdx.x & 3, qi = blockIdx.x * BR + (threadIdx.x >> 2);
    float qr[E], dor[E], dqr[E];
    for (int e = 0; e < E; e++) {
        qr[e] = qi < t ? q[base + (long long) qi * D + e * 4 + part] : 0.f;
        dor[e] = qi < t ? dout[base + (long long) qi * D + e * 4 + part] : 0.f;
        dqr[e] = 0.f;
    }
    float li = qi < t ? lse[rbase + qi] : 0.f, di = qi < t ? rowdot[rbase + qi] : 0.f;
    int last_key = causal ? min(t, (blockIdx.x + 1) * BR) : t;
    for (int j0 = 0; j0 < last_key; j0 += BC) {
        __syncthreads();
        for (int i = threadIdx.x; i < BC * D; i += blockDim.x) {
            int j = j0 + i / D;
            ks[i / D][i % D] = j < t ? k[base + (long long) j * D + i % D] : 0.f;
            vs[i / D][i % D] = j < t ? v[base + (long long) j * D + i % D] : 0.f;
        }
        __syncthreads();
        for (int j = 0; j < BC; j++) {
            float s = 0.f, dp = 0.f;
#pragma unroll
            for (int e = 0; e < E; e++) {
                s = fmaf(qr[e], ks[j][e * 4 + part], s);
                dp = fmaf(dor[e], vs[j][e * 4 + part], dp);
            }
            s = quad_sum(s) * scale;
            dp = quad_sum(dp);
            bool masked = qi >= t || j0 + j >= t || (causal && j0 + j > qi);
            float p = masked ? 0.f : expf(s - li);
            float dsij = p * (dp - di) * scale;
#pragma unroll
            for (int e = 0; e < E; e++) dqr[e] = fmaf(dsij, ks[j][e * 4 + part], dqr[e]);
        }
    }
    if (qi < t) for (int e = 0; e < E; e++) dq[base + (long long) qi * D + e * 4 + part] = dqr[e];
}

#define ATTN_ENTRIES(D) \
    extern "C" __global__ void __launch_bounds__(128) attn_fwd_d##D(float* out, float* lse, const float* q, \
            const float* k, const float* v, int t, float scale, int causal) { \
        attn_fwd<D>(out, lse, q, k, v, t, scale, causal); \
    } \
    extern "C" __global__ void __launch_bounds__(128) attn_bwd_dkdv_d##D(float* dk, float* dv, const float* q, \
            const float* k, const float* v, const float* dout, const float* lse, const float* rowdot, int t, \
            float scale, int causal) { \
        attn_bwd_dkdv<D>(dk, dv, q, k, v, dout, lse, rowdot, t, scale, causal); \
    } \
    extern "C" __global__ void __launch_bounds__(128) attn_bwd_dq_d##D(float* dq, const float* q, const float* k, \
            const float* v, const float* dout, const float* lse, const float* rowdot, int t, float scale, \
            int causal) { \
        attn_bwd_dq<D>(dq, q, k, v, dout, lse, rowdot, t, scale, causal); \
    }

ATTN_ENTRIES(32)
ATTN_ENTRIES(64)
ATTN_ENTRIES(128)
