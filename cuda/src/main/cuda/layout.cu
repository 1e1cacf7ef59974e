// layout.cu: the data-movement ops (heads, patchify, concat, slice) as one strided copy of runs.
//   Run r = (i·n1 + j)·n2 + k is len floats from src[sOff + i·s0 + j·s1 + k·s2] to dst[dOff + i·d0 + j·d1 + k·d2];
//   accumulate = 1 adds (the transpose of a move, for its backward). Runs never overlap in dst (the callers are
//   permutations and slices), so no atomics are needed and the result is deterministic.
// Launch: grid-stride over runs·len elements, block 256 (LaunchConfig#gridStride); no shared memory.
// Twin: dev.posenc.core.LayoutKernels#copyRuns (the host loop every CPU backend inherits).
#include "posenc.cuh"

extern "C" __global__ void layout_copy_runs(float* dst, const float* src, long long dOff, long long d0, long long d1,
                                            long long d2, long long sOff, long long s0, long long s1, long long s2,
                                            int n1, int n2, int len, long long total, int accumulate) {
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        long long r = e / len, at = e % len;
        long long k = r % n2, j = (r / n2) % n1, i = r / ((long long) n2 * n1);
        long long d = dOff + i * d0 + j * d1 + k * d2 + at, s = sOff + i * s0 + j * s1 + k * s2 + at;
        dst[d] = accumulate ? dst[d] + src[s] : src[s];
    }
}
