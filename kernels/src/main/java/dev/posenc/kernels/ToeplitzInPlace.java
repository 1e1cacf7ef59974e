package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import java.lang.foreign.MemorySegment;

/**
 * {@link ToeplitzCpu}'s steps for a chunk of columns when h is a power of two: the same circulant products, with
 * every spectrum kept by position ({@link FftInPlace}: forward by decimation in frequency, inverse by decimation in
 * time, no reordering pass), in place. A chunk's spectra then need one array pair per operand (two pairs in the
 * backward) instead of FftCpu's six scratch arrays, and each butterfly stage streams half the bytes of a Stockham
 * stage (the per-thread working set that made two threads overflow the shared L3); the stages whose blocks fit in L2
 * run block by block ({@link FftInPlace#dif}).
 * <pre>
 *   spectrum:        X = realPost(dif(pack(x)))                          (by position, row 0 = (X[0], X[h]))
 *   inverseProduct:  out = unpack(dit(swap(realPre(X ⊙ spec))))           (spec by position, the same packing; the
 *                                                                        product inside realPre's loads)
 *   cross:           g[p] += Σ_lanes D[p]·conj X[p]                        (row 0: the two real products apart)
 * </pre>
 * The weight gradient's spectrum is summed by position too and reordered once per head ({@link FftInPlace#fromPositions}).
 * The route depends on h alone, so 1 and 2 threads give the same bits; {@link ToeplitzCpu#backward} runs these
 * steps in the order the separate calls run them, so it still gives their bits.
 */
final class ToeplitzInPlace {
    private ToeplitzInPlace() {}

    /** Per thread: two spectra (re, im each) of h·b floats, grown on demand. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    static float[][] scratch(int size) {
        float[][] s = SCRATCH.get();
        for (int i = 0; i < s.length; i++) if (s[i].length < size) s[i] = new float[size];
        return s;
    }

    /** A natural half spectrum (re, im)[k ≤ h] by position, as {re, im}. */
    static float[][] byPosition(float[] re, float[] im, FftPlan plan) {
        int h = plan.length();
        float[][] out = {new float[h], new float[h]};
        FftInPlace.toPositions(re, im, FftInPlace.positions(plan), h, out[0], out[1]);
        return out;
    }

    /** Columns [c0, c0 + b) of head hd's (n, c) matrix in src: their half spectra by position into (re, im). */
    static void spectrum(FftPlan plan, MemorySegment src, int hd, int n, int c, int c0, int b, float[] re, float[] im) {
        ToeplitzCpu.pack(src, hd, n, c, c0, b, plan.length(), re, im);
        FftInPlace.dif(plan, re, im, b);
        FftInPlace.realPost(re, im, b, plan, FftInPlace.positions(plan));
    }

    /** Columns [c0, c0 + b) of head hd's out = the first n rows of IFFT(spec ⊙ X); (re, im) = X is overwritten. */
    static void inverseProduct(FftPlan plan, float[] re, float[] im, float[] specRe, float[] specIm, MemorySegment out,
                               int hd, int n, int c, int c0, int b) {
        int h = plan.length();
        // the product X ⊙ spec inside realPre's loads (row 0: X[0]·spec[0] and X[h]·spec[h], both real)
        FftInPlace.realPre(re, im, b, plan, FftInPlace.positions(plan), 1f / (2 * h), specRe, specIm);
        FftInPlace.dit(plan, im, re, b);   // the inverse as the forward of the swapped pair
        ToeplitzCpu.unpackChunk(re, im, out, hd, n, c, c0, b);
    }

    /** g[p] += Σ_lanes D[p]·conj X[p] by position; row 0: g.re[0] += Σ D[0]·X[0], g.im[0] += Σ D[h]·X[h]. */
    static void cross(float[] gr, float[] gi, float[] dr, float[] di, float[] xr, float[] xi, int b, int h) {
        float s0 = 0, sh = 0;
        for (int l = 0; l < b; l++) {
            s0 += dr[l] * xr[l];
            sh += di[l] * xi[l];
        }
        gr[0] += s0;
        gi[0] += sh;
        ToeplitzCpu.crossLanes(gr, gi, dr, di, xr, xi, b, 1, h - 1);
    }
}
