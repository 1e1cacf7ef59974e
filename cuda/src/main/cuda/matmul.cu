// matmul.cu: out (M×N) = epilogue(form(a, b)), batched over blockIdx.z, row-major, fp32.
//   Forms (dev.posenc.core.MatmulForm): NN a (M×K), b (K×N);  TN a stored (K×M);  NT b stored (N×K).
//   Epilogue, in order: acc (+ out if accumulate) (+ bias[j] if bias != null), then activation act
//   (ACT_* of posenc.cuh; ACT_NONE = identity). Batch strides are in elements (0 = shared operand).
//   ldk: the row length of the operands whose rows run along K (a for NN and NT, b for NT): k for a whole product,
//   the full K for one K slice of a split NT product (MatmulCuda#split), whose slices start at column s·kc.
// sgemm_{nn,tn,nt}: SIMT, 64×64 output tile per block of 16×16 threads, 4×4 outputs per thread in registers,
//   K in steps of 16 through shared memory As[16][64+4] and Bs[16][64+4] (static, 8.5 KiB): the +4 pad keeps
//   the transposed stores of the TN/NT loads off one bank. Launch: grid (ceil(N/64), ceil(M/64), batch),
//   block (16, 16). Bounds are checked on load (zeros) and store, so any M, N, K works.
// sgemm_tf32_{nn,tn,nt}: tensor cores through wmma m16n16k8 TF32 (needs sm_80+; built for sm_90 here).
//   64×64 tile per block of 4 warps (2×2), each warp 32×32 = 2×2 fragments; K in steps of 16 via the same
//   shared tiles; accumulators go through shared memory (64×68 floats, 17 KiB, reusing nothing) for the
//   bounds-checked epilogue. Inputs are rounded to TF32 (10-bit mantissa): relative error ~1e-3 per product.
//   Launch: grid (ceil(N/64), ceil(M/64), batch), block 128.
// matmul_splitk_reduce: out[i] = (accumulate ? out[i] : 0) + Σ_{s < splits} part[s·mn + i], s in order, so the
//   result does not depend on scheduling (deterministic). A split-K product runs its kernel as a batch over K
//   slices, then this (MatmulCuda#split): TN, slice s of a (K×M) and b (K×N) starts at row s·kc (batch strides
//   kc·M, kc·N); NT, slice s of a (M×K) and b (N×K) starts at column s·kc (batch strides kc, rows still ldk = K
//   long). Partial s sits at s·M·N. No atomics: the same bits every run.
//   Launch: grid-stride over mn, block 256.
// Twin: dev.posenc.kernels.MatmulCpu (matmul, batchedMatmul). Launch maths: LaunchConfig#matmul, #splitK.
#include "posenc.cuh"
#include <mma.h>

#define TILE 64
#define TK 16
#define PAD 4

// Loads the (TK × TILE) slices of logical A (M×K, as As[k][i]) and logical B (K×N, as Bs[k][j]) for step k0.
template <bool TA, bool TB>
__device__ __forceinline__ void load_tiles(float (*As)[TILE + PAD], float (*Bs)[TILE + PAD], const float* a,
                                           const float* b, int m, int n, int k, int ldk, int row0, int col0,
                                           int k0, int tid, int nthreads) {
    for (int e = tid; e < TK * TILE; e += nthreads) {
        int kk, ii;
        // pick the index order that makes consecutive threads read consecutive addresses
        if (TA) { ii = e % TILE; kk = e / TILE; } else { kk = e % TK; ii = e / TK; }
        int gi = row0 + ii, gk = k0 + kk;
        float v = 0.f;
        if (gi < m && gk < k) v = TA ? a[(long long) gk * m + gi] : a[(long long) gi * ldk + gk];
        As[kk][ii] = v;
    }
    for (int e = tid; e < TK * TILE; e += nthreads) {
        int kk, jj;
        if (TB) { kk = e % TK; jj = e / TK; } else { jj = e % TILE; kk = e / TILE; }
        int gj = col0 + jj, gk = k0 + kk;
        float v = 0.f;
        if (gj < n && gk < k) v = TB ? b[(long long) gj * ldk + gk] : b[(long long) gk * n + gj];
        Bs[kk][jj] = v;
    }
}

// not inlined: activate() holds every activation (sin, erf, tanh...), and 16 inlined copies per kernel made the
// PTX over 1 MB; one call per stored element is small next to the K loop
__device__ __noinline__ void store_out(float* out, int m, int n, int i, int j, float acc, int accumulate,
                                          const float* bias, int act) {
    if (i >= m || j >= n) return;
    long long o = (long long) i * n + j;
    float v = acc;
    if (accumulate) v += out[o];
    if (bias) v += bias[j];
    out[o] = activate(act, v);
}

template <bool TA, bool TB>
__device__ void sgemm(float* out, const float* a, const float* b, const float* bias, int m, int n, int k,
                      long long stride_out, long long stride_a, long long stride_b, int accumulate, int act, int ldk) {
    __shared__ float As[TK][TILE + PAD], Bs[TK][TILE + PAD];
    out += blockIdx.z * stride_out; a += blockIdx.z * stride_a; b += blockIdx.z * stride_b;
    int tx = threadIdx.x, ty = threadIdx.y, tid = ty * 16 + tx;
    int row0 = blockIdx.y * TILE, col0 = blockIdx.x * TILE;
    float acc[4][4] = {};
    for (int k0 = 0; k0 < k; k0 += TK) {
        load_tiles<TA, TB>(As, Bs, a, b, m, n, k, ldk, row0, col0, k0, tid, 256);
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < TK; kk++) {
            float ra[4], rb[4];
            // thread (tx, ty) owns rows ty + 16·u and columns tx + 16·v: conflict-free shared reads
#pragma unroll
            for (int u = 0; u < 4; u++) ra[u] = As[kk][ty + 16 * u];
#pragma unroll
            for (int v = 0; v < 4; v++) rb[v] = Bs[kk][tx + 16 * v];
#pragma unroll
            for (int u = 0; u < 4; u++)
#pragma unroll
                for (int v = 0; v < 4; v++) acc[u][v] = fmaf(ra[u], rb[v], acc[u][v]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int u = 0; u < 4; u++)
#pragma unroll
        for (int v = 0; v < 4; v++)
            store_out(out, m, n, row0 + ty + 16 * u, col0 + tx + 16 * v, acc[u][v], accumulate, bias, act);
}

#define SGEMM_ENTRY(name, TA, TB) \
    extern "C" __global__ void __launch_bounds__(256) name(float* out, const float* a, const float* b, \
            const float* bias, int m, int n, int k, long long so, long long sa, long long sb, int accumulate, int act, \
            int ldk) { \
        sgemm<TA, TB>(out, a, b, bias, m, n, k, so, sa, sb, accumulate, act, ldk); \
    }

SGEMM_ENTRY(sgemm_nn, false, false)
SGEMM_ENTRY(sgemm_tn, true, false)
SGEMM_ENTRY(sgemm_nt, false, true)

using namespace nvcuda;

template <bool TA, bool TB>
__device__ void sgemm_tf32(float* out, const float* a, const float* b, const float* bias, int m, int n, int k,
                           long long stride_out, long long stride_a, long long stride_b, int accumulate, int act,
                           int ldk) {
    // As holds A^T slices (k-major) so the A fragment is read col_major from it; Bs is row_major.
    // wmma loads and stores need 256-bit aligned pointers: every fragment origin below is a multiple of 32 bytes
    __shared__ __align__(128) float As[TK][TILE + PAD];
    __shared__ __align__(128) float Bs[TK][TILE + PAD];
    __shared__ __align__(128) float Cs[TILE][TILE + PAD];
    out += blockIdx.z * stride_out; a += blockIdx.z * stride_a; b += blockIdx.z * stride_b;
    int tid = threadIdx.x, warp = tid >> 5, wr = warp >> 1, wc = warp & 1;
    int row0 = blockIdx.y * TILE, col0 = blockIdx.x * TILE;
    wmma::fragment<wmma::accumulator, 16, 16, 8, float> c[2][2];
    for (int u = 0; u < 2; u++)
        for (int v = 0; v < 2; v++) wmma::fill_fragment(c[u][v], 0.f);
    for (int k0 = 0; k0 < k; k0 += TK) {
        load_tiles<TA, TB>(As, Bs, a, b, m, n, k, ldk, row0, col0, k0, tid, 128);
        __syncthreads();
        for (int kk = 0; kk < TK; kk += 8) {
            wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::col_major> fa[2];
            wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb[2];
            for (int u = 0; u < 2; u++) {
                // element (i, kq) of the 16×8 A fragment sits at As[kk + kq][wr·32 + 16u + i]: col-major, ld = TILE+PAD
                wmma::load_matrix_sync(fa[u], &As[kk][wr * 32 + 16 * u], TILE + PAD);
                for (int t = 0; t < fa[u].num_elements; t++) fa[u].x[t] = wmma::__float_to_tf32(fa[u].x[t]);
            }
            for (int v = 0; v < 2; v++) {
                wmma::load_matrix_sync(fb[v], &Bs[kk][wc * 32 + 16 * v], TILE + PAD);
                for (int t = 0; t < fb[v].num_elements; t++) fb[v].x[t] = wmma::__float_to_tf32(fb[v].x[t]);
            }
            for (int u = 0; u < 2; u++)
                for (int v = 0; v < 2; v++) wmma::mma_sync(c[u][v], fa[u], fb[v], c[u][v]);
        }
        __syncthreads();
    }
    for (int u = 0; u < 2; u++)
        for (int v = 0; v < 2; v++)
            wmma::store_matrix_sync(&Cs[wr * 32 + 16 * u][wc * 32 + 16 * v], c[u][v], TILE + PAD, wmma::mem_row_major);
    __syncthreads();
    // not unrolled: unrolled, values stayed live across the noinline store_out calls and sgemm_tf32_tn spilled
    // 8 bytes (ptxas -v, sm_90a); rolled, no kernel here spills (checked with nvcc 13.0 -Xptxas -v)
#pragma unroll 1
    for (int e = tid; e < TILE * TILE; e += 128) {
        int i = e / TILE, j = e % TILE;
        store_out(out, m, n, row0 + i, col0 + j, Cs[i][j], accumulate, bias, act);
    }
}

#define TF32_ENTRY(name, TA, TB) \
    extern "C" __global__ void __launch_bounds__(128) name(float* out, const float* a, const float* b, \
            const float* bias, int m, int n, int k, long long so, long long sa, long long sb, int accumulate, int act, \
            int ldk) { \
        sgemm_tf32<TA, TB>(out, a, b, bias, m, n, k, so, sa, sb, accumulate, act, ldk); \
    }

TF32_ENTRY(sgemm_tf32_nn, false, false)
TF32_ENTRY(sgemm_tf32_tn, true, false)
TF32_ENTRY(sgemm_tf32_nt, false, true)

extern "C" __global__ void matmul_splitk_reduce(float* out, const float* part, int splits, long long mn, int accumulate) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < mn; i += (long long) gridDim.x * blockDim.x) {
        float v = accumulate ? out[i] : 0.f;
        for (int s = 0; s < splits; s++) v += part[(long long) s * mn + i];
        out[i] = v;
    }
}
