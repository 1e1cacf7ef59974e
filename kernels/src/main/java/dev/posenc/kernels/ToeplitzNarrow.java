package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ToeplitzCpu}'s chunks narrower than a vector, column by column through {@link FftCpu}'s single real
 * transforms (four-step, vectorised along the sequence). The same circulant products as the wide chunks:
 * <pre>
 *   X = realFFT_2h(x_pad),   out = first n of realIFFT_2h(spec ⊙ X),   g[k] += D[k]·conj X[k]  (k ≤ h)
 * </pre>
 * Why. In the columns layout a chunk of b &lt; {@code L} columns runs every butterfly, pack and untangle in the
 * scalar twins: kernel-rpe's c = 65 = 4·16 + 1 columns per call (the ones column of [v ‖ 1]) made the lone column's
 * task cost about as much as 12 vector columns, one thread idle beside it, at every n ≥ 8192. The results differ
 * from the columns route by float rounding only (another factorisation of the same transforms); the route depends
 * on the chunk width alone, so 1 and 2 threads still give the same bits, and {@link ToeplitzCpu#backward} still
 * gives exactly its separate calls' bits (the same methods in the same order).
 */
final class ToeplitzNarrow {
    private ToeplitzNarrow() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Per thread: x's and dOut's half spectra (re, im each) and one column of 2h: [xr, xi, dr, di, col]. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[5][0]);

    /** True when a chunk of b columns goes column by column. */
    static boolean applies(int b) { return b < L; }

    /** [xr, xi, dr, di] of h + 1 floats and col of 2h, this thread's, grown on demand. */
    static float[][] buffers(int h) {
        float[][] s = BUFFERS.get();
        for (int i = 0; i < 4; i++) if (s[i].length < h + 1) s[i] = new float[h + 1];
        if (s[4].length < 2 * h) s[4] = new float[2 * h];
        return s;
    }

    /** (re, im)[k], k ≤ h = the half spectrum of column cc of head hd's (n, c) matrix in src, zero-padded to 2h. */
    static void spectrum(MemorySegment src, int hd, int n, int c, int cc, int h, float[] col, float[] re, float[] im) {
        long at = (long) hd * n * c + cc;
        for (int t = 0; t < n; t++) col[t] = src.getAtIndex(FLOAT, at + (long) t * c);
        java.util.Arrays.fill(col, n, 2 * h, 0f);
        FftCpu.realForward(col, 2 * h, re, im);
    }

    /** Column cc of head hd's out = the first n of IFFT_2h(spec ⊙ X), X in (re, im) (overwritten); col is scratch. */
    static void inverseProduct(float[] re, float[] im, float[] specRe, float[] specIm, float[] col, MemorySegment out,
                               int hd, int n, int c, int cc, int h) {
        multiply(re, im, specRe, specIm, h + 1);
        FftCpu.realInverse(re, im, 2 * h, col);
        long at = (long) hd * n * c + cc;
        for (int t = 0; t < n; t++) out.setAtIndex(FLOAT, at + (long) t * c, col[t]);
    }

    /** (xr, xi)[k] ·= spec[k] for k &lt; count, complex. */
    static void multiply(float[] xr, float[] xi, float[] specRe, float[] specIm, int count) {
        int k = 0;
        for (int bound = S.loopBound(count); k < bound; k += L) {
            FloatVector ar = FloatVector.fromArray(S, xr, k), ai = FloatVector.fromArray(S, xi, k);
            FloatVector sr = FloatVector.fromArray(S, specRe, k), si = FloatVector.fromArray(S, specIm, k);
            ar.mul(sr).sub(ai.mul(si)).intoArray(xr, k);
            ar.mul(si).add(ai.mul(sr)).intoArray(xi, k);
        }
        multiplyScalar(xr, xi, specRe, specIm, k, count);
    }

    /** The twin of {@link #multiply} for k in [from, to): the same products as {@link ToeplitzCpu#multiplyScalarLanes}. */
    static void multiplyScalar(float[] xr, float[] xi, float[] specRe, float[] specIm, int from, int to) {
        for (int k = from; k < to; k++) {
            float ar = xr[k], ai = xi[k];
            xr[k] = ar * specRe[k] - ai * specIm[k];
            xi[k] = ar * specIm[k] + ai * specRe[k];
        }
    }

    /** g[k] += D[k]·conj X[k] for k ≤ h, one column's share of the weight gradient's spectrum. */
    static void cross(float[] gr, float[] gi, float[] dr, float[] di, float[] xr, float[] xi, int h) {
        int k = 0;
        for (int bound = S.loopBound(h + 1); k < bound; k += L) {
            FloatVector ar = FloatVector.fromArray(S, dr, k), ai = FloatVector.fromArray(S, di, k);
            FloatVector cr = FloatVector.fromArray(S, xr, k), ci = FloatVector.fromArray(S, xi, k);
            FloatVector.fromArray(S, gr, k).add(ar.mul(cr).add(ai.mul(ci))).intoArray(gr, k);
            FloatVector.fromArray(S, gi, k).add(ai.mul(cr).sub(ar.mul(ci))).intoArray(gi, k);
        }
        crossScalar(gr, gi, dr, di, xr, xi, k, h + 1);
    }

    /**
     * {@link #cross} into a spectrum kept by position ({@link ToeplitzInPlace}): g[pos[k]] for 0 &lt; k &lt; h, and
     * row 0 packed as (Σ D[0]·X[0], Σ D[h]·X[h]) over the real parts. Scalar: one narrow column per call.
     */
    static void crossByPosition(float[] gr, float[] gi, float[] dr, float[] di, float[] xr, float[] xi, int[] pos, int h) {
        gr[0] += dr[0] * xr[0];
        gi[0] += dr[h] * xr[h];
        for (int k = 1; k < h; k++) {
            gr[pos[k]] += dr[k] * xr[k] + di[k] * xi[k];
            gi[pos[k]] += di[k] * xr[k] - dr[k] * xi[k];
        }
    }

    /** The twin of {@link #cross} for k in [from, to). */
    static void crossScalar(float[] gr, float[] gi, float[] dr, float[] di, float[] xr, float[] xi, int from, int to) {
        for (int k = from; k < to; k++) {
            gr[k] += dr[k] * xr[k] + di[k] * xi[k];
            gi[k] += di[k] * xr[k] - dr[k] * xi[k];
        }
    }
}
