// embedding.cu: row gathers by index and their transposes (autograd Embedding: learned position tables, a batch
// gathered from a resident data set). table (V, D), index (n) of float row numbers (exact below 2²⁴), rows (n, D).
//   embedding_gather: out[r, j] = table[index[r], j]; grid-stride over n·D elements, j fastest (coalesced), block 256.
//     An index outside [0, V) (the host checks them where they are made) gives a row of NaN: loud, never a read
//     out of bounds.
//   embedding_scatter_add: dtable[u, j] += Σ_{r : index[r] = u} dout[r, j], r ascending: each thread owns one
//     output element (u, j) and walks the whole index in order, so there are no atomics and the additions happen in
//     the CPU twin's order: the same bits as the twin, every run. Grid-stride over V·D elements, block 256. Work
//     O(V·n·D) (index reads are warp-uniform, served from L1): right for position tables and batches (V, n ≤ a few
//     thousand); a large vocabulary would want a sorted, segmented sum instead (not needed here).
// Twin: dev.posenc.core.EmbeddingKernels#gatherRows / #scatterAddRows (the host loops every CPU backend inherits).
#include "posenc.cuh"

extern "C" __global__ void embedding_gather(float* __restrict__ out, const float* __restrict__ table,
                                            const float* __restrict__ index, int n, int d, int v) {
    long long total = (long long) n * d;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int r = (int) (e / d), j = (int) (e % d);
        float f = index[r];
        int row = (int) f;
        out[e] = (f >= 0.f && row < v) ? table[(long long) row * d + j] : __int_as_float(0x7fc00000);
    }
}

extern "C" __global__ void embedding_scatter_add(float* __restrict__ dtable, const float* __restrict__ dout,
                                                 const float* __restrict__ index, int n, int d, int v) {
    long long total = (long long) v * d;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int u = (int) (e / d), j = (int) (e % d);
        float acc = dtable[e];
        for (int r = 0; r < n; r++)
            if (index[r] == (float) u) acc += dout[(long long) r * d + j];
        dtable[e] = acc;
    }
}
