// fft.cu: posenc's FFT on the GPU (cuFFT is not reachable through the driver API). Same algorithm and tables as
// the CPU's FftCpu/FftStages: Stockham autosort stages of radix p ≤ 5 (4, 2, 3, 5; a radix-p butterfly is a
// plain length-p DFT here), decimation in frequency, split complex arrays holding a batch of B transforms
// interleaved (element t of transform b at [t·B + b]), twiddles computed on the host in double (FftPlan).
//   stage: y[(p·j + r')·run + q] = W^{j·r'} · Σ_r x[(j + r·m)·run + q] · ω_p^{r·r'},  run = stride·B
// The inverse is the forward of the swapped pair (re ↔ im), as on the CPU.
// Kernels:
//   fft_stage   one stage in global memory, grid-stride over the m·run butterflies (any length, any batch).
//   fft_block   a whole transform in shared memory: one block per transform b, all stages with __syncthreads
//               between them; dynamic shared memory 16·h bytes (two ping-pong complex buffers), h ≤ 2048.
//               meta (int[4·stages]) holds p, m, stride and the stage's offset into the concatenated twiddles.
//   real_post   half spectrum X[0…h] of the real sequences x (length 2h) from Z = FFT_h(x[2t] + i·x[2t+1]);
//               one thread per (k, b). real_pre: the inverse step, scaled (1/(2h) gives x back).
// Built without --use_fast_math (the ω_p come from sincospif, accurate to ~1 ulp).
// Twin: dev.posenc.kernels.FftStages#radixNScalar, FftCpu#realPostScalar/#realPreScalar (launch maths: FftCuda).
#include "posenc.cuh"

#define FFT_MAX_RADIX 5

__device__ __forceinline__ void fft_butterfly(float* __restrict__ yr, float* __restrict__ yi,
                                              const float* __restrict__ xr, const float* __restrict__ xi,
                                              const float* __restrict__ twr, const float* __restrict__ twi,
                                              int p, int m, long long run, int j, long long q) {
    float ar[FFT_MAX_RADIX], ai[FFT_MAX_RADIX];
    for (int r = 0; r < p; r++) {
        long long at = ((long long) j + (long long) r * m) * run + q;
        ar[r] = xr[at];
        ai[r] = xi[at];
    }
    for (int k = 0; k < p; k++) {
        float sr = 0.f, si = 0.f;
        for (int r = 0; r < p; r++) {
            float c, s;
            sincospif(-2.0f * (float) ((r * k) % p) / (float) p, &s, &c);
            sr += ar[r] * c - ai[r] * s;
            si += ar[r] * s + ai[r] * c;
        }
        long long out = ((long long) p * j + k) * run + q;
        if (k == 0) {
            yr[out] = sr;
            yi[out] = si;
        } else {
            float wr = twr[j * (p - 1) + k - 1], wi = twi[j * (p - 1) + k - 1];
            yr[out] = sr * wr - si * wi;
            yi[out] = sr * wi + si * wr;
        }
    }
}

extern "C" __global__ void fft_stage(float* __restrict__ yr, float* __restrict__ yi, const float* __restrict__ xr,
                                     const float* __restrict__ xi, const float* __restrict__ twr,
                                     const float* __restrict__ twi, int p, int m, long long run) {
    long long total = (long long) m * run;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        fft_butterfly(yr, yi, xr, xi, twr, twi, p, m, run, (int) (e / run), e % run);
    }
}

extern "C" __global__ void fft_block(float* __restrict__ dr, float* __restrict__ di, const float* __restrict__ twr,
                                     const float* __restrict__ twi, const int* __restrict__ meta, int stages, int h,
                                     int batch) {
    extern __shared__ float sh[];
    float *ar = sh, *ai = sh + h, *br = sh + 2 * h, *bi = sh + 3 * h;
    int b = blockIdx.x;
    for (int t = threadIdx.x; t < h; t += blockDim.x) {
        ar[t] = dr[(long long) t * batch + b];
        ai[t] = di[(long long) t * batch + b];
    }
    __syncthreads();
    for (int s = 0; s < stages; s++) {
        int p = meta[4 * s], m = meta[4 * s + 1], stride = meta[4 * s + 2], off = meta[4 * s + 3];
        for (int e = threadIdx.x; e < m * stride; e += blockDim.x)
            fft_butterfly(br, bi, ar, ai, twr + off, twi + off, p, m, stride, e / stride, e % stride);
        __syncthreads();
        float* t = ar; ar = br; br = t;
        t = ai; ai = bi; bi = t;
    }
    for (int t = threadIdx.x; t < h; t += blockDim.x) {
        dr[(long long) t * batch + b] = ar[t];
        di[(long long) t * batch + b] = ai[t];
    }
}

extern "C" __global__ void real_post(float* __restrict__ outRe, float* __restrict__ outIm, const float* __restrict__ zr,
                                     const float* __restrict__ zi, const float* __restrict__ wr,
                                     const float* __restrict__ wi, int h, int batch) {
    long long total = (long long) (h + 1) * batch;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int k = (int) (e / batch), b = (int) (e % batch);
        long long a = (long long) (k == h ? 0 : k) * batch + b, c = (long long) (k == 0 ? 0 : h - k) * batch + b;
        float Ar = zr[a], Ai = zi[a], Cr = zr[c], Ci = zi[c];
        float er = (Ar + Cr) * 0.5f, ei = (Ai - Ci) * 0.5f, dr = (Ar - Cr) * 0.5f, di = (Ai + Ci) * 0.5f;
        outRe[e] = er + wr[k] * di + wi[k] * dr;
        outIm[e] = ei - wr[k] * dr + wi[k] * di;
    }
}

extern "C" __global__ void real_pre(float* __restrict__ zr, float* __restrict__ zi, const float* __restrict__ inRe,
                                    const float* __restrict__ inIm, const float* __restrict__ wr,
                                    const float* __restrict__ wi, int h, int batch, float scale) {
    long long total = (long long) h * batch;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long) gridDim.x * blockDim.x) {
        int k = (int) (e / batch), b = (int) (e % batch);
        long long c = (long long) (h - k) * batch + b;
        float Ar = inRe[e], Ai = inIm[e], Cr = inRe[c], Ci = inIm[c];
        float er = (Ar + Cr) * scale, ei = (Ai - Ci) * scale, dr = (Ar - Cr) * scale, di = (Ai + Ci) * scale;
        zr[e] = er - wr[k] * di + wi[k] * dr;
        zi[e] = ei + wr[k] * dr + wi[k] * di;
    }
}
