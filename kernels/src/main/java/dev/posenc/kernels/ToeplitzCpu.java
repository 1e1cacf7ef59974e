package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import dev.posenc.core.Tensor;
import dev.posenc.core.ToeplitzKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Toeplitz products for {@link ToeplitzKernels} through {@link FftCpu} (Luo et al. 2021 §3.2; spec papers.md §5.2).
 * Per head: T[i][j] = w[i − j + n − 1] = t_{i−j}, out = T·x with x (n, c).
 *
 * <p><b>Circulant embedding.</b> With L = 2h, h = the smallest 2^a·3^b·5^c ≥ n (so L ≥ 2n − 1, and L is smooth
 * rather than the next power of two: n = 1000 gives L = 2000, not 2048), the first column of the circulant is
 * col[d] = t_d for 0 ≤ d &lt; n, col[L − d] = t_{−d} for 0 &lt; d &lt; n, zero between. Then for each column of x,
 * zero-padded to L, T·x = the first n entries of IFFT(FFT(col) ⊙ FFT(x_pad)): |i − j| ≤ n − 1 &lt; L − n + 1,
 * so no wrap-around product lands in the first n rows.
 *
 * <p><b>Weight gradient.</b> dw[k] += Σ_c Σ_{i−j=k−(n−1)} dOut[i,c]·x[j,c] is a cross-correlation:
 * r = IFFT(Σ_c FFT(dOut_c) ⊙ conj FFT(x_c)) gives r[d mod L] = Σ_{i−j=d} …, and |d| ≤ n − 1 does not alias.
 * The sum over c happens in the frequency domain, so one inverse transform per head.
 *
 * <p><b>Work split.</b> All transforms are real, of length L, taken as complex transforms of h over a chunk of
 * columns laid out as {@link FftCpu}'s columns (rows 2t and 2t+1 of x are the real and imaginary planes: plain
 * row copies). FFT(col) is computed once per head and weights ({@link WeightSpectra} keeps it between calls); tasks
 * are (head, column chunk). The weight gradient's
 * chunks of a head fill at most {@value #GRAD_GROUPS} partial spectra, added in a fixed order, so the result does
 * not depend on the thread count. Each worker thread keeps its scratch (six arrays of (h + 1)·chunk floats, FftCpu's
 * per-thread scratch) for the next call: 25 MB per thread at n = 65536. A chunk narrower than a vector (the tail of
 * c, e.g. kernel-rpe's 65th column) goes column by column through single transforms instead ({@link ToeplitzNarrow}).
 *
 * <p><b>Power-of-two h</b> (every n from 4096 to 65536 of attention-scaling) takes the in-place route instead
 * ({@link ToeplitzInPlace}): spectra kept by position, two arrays of h·b floats per operand (32 MB per thread at
 * n = 65536 in the backward, 16 MB in the forward, b = 32), in place, the butterfly stages depth first in L2-sized
 * blocks once a block fits (so only the widest stages stream the whole chunk from L3).
 * Other h keep the Stockham route above. The route depends on h alone.
 *
 * <p>Over 400 lines: the three entry points (multiply, the fused backward, the weight gradient) must run the same
 * chunk steps in the same order on both routes (bit for bit, see {@link #backward}); keeping them side by side here
 * makes that visible. The in-place steps themselves live in ToeplitzInPlace and FftInPlace.
 *
 * <p>Twins: {@link #multiplyScalar} and {@link #weightGradScalar}, the O(n²) definitions. Twin of toeplitz.cu.
 */
public final class ToeplitzCpu {
    private ToeplitzCpu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final java.nio.ByteOrder ORDER = java.nio.ByteOrder.nativeOrder();
    /** Partial gradient spectra per head: fixed, so the summation order is too. */
    static final int GRAD_GROUPS = 4;

    /**
     * Columns per task. Stockham route: 32 while a chunk's six (h + 1)·B scratch arrays stay small, 16 for long
     * sequences (32 at every length was 10–30 % slower at 32768 and 65536, 2026-12-05). In-place route: 32 at every h,
     * since its stages run depth first in L2-sized blocks ({@link FftInPlace#dif}), so a wider row no longer widens
     * what each stage streams; and a butterfly's twiddle broadcasts and loop steps serve two vectors instead of one
     * (0.075 against 0.10 ns per point·log₂h at h = 16384, bench/RESULTS.md "kernel-rpe doublings (fft7)").
     */
    static int chunk(int h) { return h >= 16384 && !FftInPlace.applies(FftPlan.of(h)) ? 16 : 32; }

    /** out (heads, n, c) = T_h·x_h for every head; overwrites out. */
    public static void multiply(Parallel parallel, Tensor out, Tensor w, Tensor x) {
        int[] s = ToeplitzKernels.checkShapes("toeplitzMultiply", "w", w, "x", x, "out", out);
        int heads = s[0], n = s[1], c = s[2];
        if ((long) heads * c == 0) return;
        int h = FftPlan.smoothAtLeast(n);
        float[][] specRe = new float[heads][], specIm = new float[heads][];
        FftPlan plan = FftPlan.of(h);
        boolean inPlace = FftInPlace.applies(plan);
        float[][][] specPos = new float[heads][][];
        parallel.forEach(heads, hd -> {
            WeightSpectra.Spectrum sp = WeightSpectra.of(w, hd, n, h, plan, inPlace);
            specRe[hd] = sp.re();
            specIm[hd] = sp.im();
            specPos[hd] = sp.byPosition();
        });
        int chunkCols = chunk(h), chunks = (c + chunkCols - 1) / chunkCols;
        parallel.forEach(heads * chunks, task -> {
            int hd = task / chunks, c0 = task % chunks * chunkCols, b = Math.min(chunkCols, c - c0);
            if (ToeplitzNarrow.applies(b)) {
                float[][] nb = ToeplitzNarrow.buffers(h);
                for (int cc = c0; cc < c0 + b; cc++) {
                    ToeplitzNarrow.spectrum(x.data(), hd, n, c, cc, h, nb[4], nb[0], nb[1]);
                    ToeplitzNarrow.inverseProduct(nb[0], nb[1], specRe[hd], specIm[hd], nb[4], out.data(), hd, n, c, cc, h);
                }
                return;
            }
            if (inPlace) {
                float[][] sc = ToeplitzInPlace.scratch(h * b);
                ToeplitzInPlace.spectrum(plan, x.data(), hd, n, c, c0, b, sc[0], sc[1]);
                ToeplitzInPlace.inverseProduct(plan, sc[0], sc[1], specPos[hd][0], specPos[hd][1], out.data(), hd, n, c, c0, b);
                return;
            }
            float[][] sc = FftCpu.scratch((h + 1) * b);
            boolean inY = forwardChunk(plan, x.data(), hd, n, c, c0, b, sc);
            float[] zr = inY ? sc[2] : sc[0], zi = inY ? sc[3] : sc[1], yr = inY ? sc[0] : sc[2], yi = inY ? sc[1] : sc[3];
            FftCpu.realPostLanes(zr, zi, b, plan, sc[4], sc[5]);
            inverseProduct(plan, sc[4], sc[5], specRe[hd], specIm[hd], zr, zi, yr, yi, out.data(), hd, n, c, c0, b);
        });
    }

    /**
     * The three products of one backward step of out = T·x, sharing the forward transforms of x and dOut (4 per
     * column instead of the 6 of separate calls): y = T·x recomputed (for a caller that did not keep it), dx = Tᵀ·dOut
     * with Tᵀ the Toeplitz matrix of wRev (wRev[h, k] = w[h, 2n − 2 − k]), dw += the weight gradient. Each of y, dx,
     * dw may be null. Per chunk of columns the same float operations run in the same order as in {@link #multiply}
     * and {@link #weightGradAccumulate}, so the results are bit for bit theirs (ToeplitzCpuTest): only the passes
     * over x and dOut and their transforms are shared.
     */
    public static void backward(Parallel parallel, Tensor y, Tensor dx, Tensor dw, Tensor w, Tensor wRev, Tensor x,
                                Tensor dOut) {
        int[] s = ToeplitzKernels.checkShapes("toeplitzBackward", "w", w, "x", x, "dOut", dOut);
        ToeplitzKernels.checkShapes("toeplitzBackward", "wRev", wRev, "x", x, "dOut", dOut);
        if (y != null) ToeplitzKernels.checkShapes("toeplitzBackward", "w", w, "x", x, "y", y);
        if (dx != null) ToeplitzKernels.checkShapes("toeplitzBackward", "w", w, "x", x, "dx", dx);
        if (dw != null) ToeplitzKernels.checkShapes("toeplitzBackward", "dw", dw, "x", x, "dOut", dOut);
        int heads = s[0], n = s[1], c = s[2];
        if ((long) heads * c == 0 || y == null && dx == null && dw == null) return;
        int h = FftPlan.smoothAtLeast(n), chunkCols = chunk(h), chunks = (c + chunkCols - 1) / chunkCols;
        // without dw the chunks are the tasks; with it, weightGradAccumulate's fixed groups (same partial sums)
        int groups = dw == null ? chunks : Math.min(GRAD_GROUPS, chunks);
        FftPlan plan = FftPlan.of(h);
        boolean inPlace = FftInPlace.applies(plan);
        float[][] specRe = new float[heads][], specIm = new float[heads][], revRe = new float[heads][], revIm = new float[heads][];
        float[][][] specPos = new float[heads][][], revPos = new float[heads][][];
        parallel.forEach(2 * heads, task -> {   // the two weight spectra of a head on two threads
            int hd = task / 2;
            if (task % 2 == 0 && y != null) {
                WeightSpectra.Spectrum sp = WeightSpectra.of(w, hd, n, h, plan, inPlace);
                specRe[hd] = sp.re();
                specIm[hd] = sp.im();
                specPos[hd] = sp.byPosition();
            }
            if (task % 2 == 1 && dx != null) {
                WeightSpectra.Spectrum sp = WeightSpectra.of(wRev, hd, n, h, plan, inPlace);
                revRe[hd] = sp.re();
                revIm[hd] = sp.im();
                revPos[hd] = sp.byPosition();
            }
        });
        float[][] gRe = dw == null ? null : new float[heads * groups][h + 1], gIm = dw == null ? null : new float[heads * groups][h + 1];
        parallel.forEach(heads * groups, task -> {
            int hd = task / groups, g = task % groups;
            for (int ch = g; ch < chunks; ch += groups) {
                int c0 = ch * chunkCols, b = Math.min(chunkCols, c - c0);
                if (ToeplitzNarrow.applies(b)) {
                    backwardNarrow(y, dx, dw == null ? null : gRe[task], dw == null ? null : gIm[task], specRe[hd], specIm[hd],
                            revRe[hd], revIm[hd], x, dOut, hd, n, c, c0, b, plan, inPlace);
                    continue;
                }
                if (inPlace) {
                    // dOut's spectrum in (dr, di), x's in (xr, xi); each inverse product consumes its pair
                    float[][] sc = ToeplitzInPlace.scratch(h * b);
                    float[] dr = sc[0], di = sc[1], xr = sc[2], xi = sc[3];
                    if (dw != null || dx != null) ToeplitzInPlace.spectrum(plan, dOut.data(), hd, n, c, c0, b, dr, di);
                    if (dw != null || y != null) ToeplitzInPlace.spectrum(plan, x.data(), hd, n, c, c0, b, xr, xi);
                    if (dw != null) ToeplitzInPlace.cross(gRe[task], gIm[task], dr, di, xr, xi, b, h);
                    if (y != null) ToeplitzInPlace.inverseProduct(plan, xr, xi, specPos[hd][0], specPos[hd][1], y.data(), hd, n, c, c0, b);
                    if (dx != null) ToeplitzInPlace.inverseProduct(plan, dr, di, revPos[hd][0], revPos[hd][1], dx.data(), hd, n, c, c0, b);
                    continue;
                }
                float[][] sc = FftCpu.scratch((h + 1) * b);
                // dOut's half spectrum to (sc[4], sc[5]) when dw or dx needs it
                if (dw != null || dx != null) {
                    boolean inY = forwardChunk(plan, dOut.data(), hd, n, c, c0, b, sc);
                    FftCpu.realPostLanes(inY ? sc[2] : sc[0], inY ? sc[3] : sc[1], b, plan, sc[4], sc[5]);
                }
                // x's half spectrum to the pair (fr, fi) the transform left free; (gr, gi) is then free as well
                float[] fr = sc[0], fi = sc[1], er = sc[2], ei = sc[3];
                if (dw != null || y != null) {
                    boolean inY = forwardChunk(plan, x.data(), hd, n, c, c0, b, sc);
                    fr = inY ? sc[0] : sc[2];
                    fi = inY ? sc[1] : sc[3];
                    er = inY ? sc[2] : sc[0];
                    ei = inY ? sc[3] : sc[1];
                    FftCpu.realPostLanes(er, ei, b, plan, fr, fi);
                }
                if (dw != null) crossLanes(gRe[task], gIm[task], sc[4], sc[5], fr, fi, b, h);
                // X̂ is consumed by realPreLanes before the stages run, so its pair is the stages' scratch
                if (y != null) inverseProduct(plan, fr, fi, specRe[hd], specIm[hd], er, ei, fr, fi, y.data(), hd, n, c, c0, b);
                if (dx != null) inverseProduct(plan, sc[4], sc[5], revRe[hd], revIm[hd], er, ei, fr, fi, dx.data(), hd, n, c, c0, b);
            }
        });
        if (dw != null) addWeightGrad(parallel, dw, gRe, gIm, heads, groups, n, plan, inPlace);
    }

    /**
     * {@link #backward}'s step (and {@link #weightGradAccumulate}'s, with y, dx null) for a chunk narrower than a
     * vector, column by column ({@link ToeplitzNarrow}): the weight gradient's spectrum (gr, gi) gets each column's
     * cross spectrum in column order (by position when {@code byPosition}: the in-place route's layout of g). Any of
     * y, dx, gr may be null (gr and gi together).
     */
    private static void backwardNarrow(Tensor y, Tensor dx, float[] gr, float[] gi, float[] specRe, float[] specIm,
                                       float[] revRe, float[] revIm, Tensor x, Tensor dOut, int hd, int n, int c, int c0,
                                       int b, FftPlan plan, boolean byPosition) {
        int h = plan.length();
        float[][] nb = ToeplitzNarrow.buffers(h);
        float[] xr = nb[0], xi = nb[1], dr = nb[2], di = nb[3], col = nb[4];
        for (int cc = c0; cc < c0 + b; cc++) {
            if (gr != null || dx != null) ToeplitzNarrow.spectrum(dOut.data(), hd, n, c, cc, h, col, dr, di);
            if (gr != null || y != null) ToeplitzNarrow.spectrum(x.data(), hd, n, c, cc, h, col, xr, xi);
            if (gr != null && byPosition) ToeplitzNarrow.crossByPosition(gr, gi, dr, di, xr, xi, FftInPlace.positions(plan), h);
            else if (gr != null) ToeplitzNarrow.cross(gr, gi, dr, di, xr, xi, h);
            if (y != null) ToeplitzNarrow.inverseProduct(xr, xi, specRe, specIm, col, y.data(), hd, n, c, cc, h);
            if (dx != null) ToeplitzNarrow.inverseProduct(dr, di, revRe, revIm, col, dx.data(), hd, n, c, cc, h);
        }
    }

    /**
     * From a chunk's half spectrum X in (xr, xi): columns [c0, c0 + b) of head hd's out = the first n rows of
     * IFFT(spec ⊙ X). (zr, zi) and (yr, yi) are scratch; (xr, xi) is overwritten and may be (yr, yi).
     */
    private static void inverseProduct(FftPlan plan, float[] xr, float[] xi, float[] specRe, float[] specIm, float[] zr,
                                       float[] zi, float[] yr, float[] yi, MemorySegment out, int hd, int n, int c, int c0, int b) {
        int h = plan.length();
        multiplyLanes(xr, xi, b, h, specRe, specIm);
        FftCpu.realPreLanes(zr, zi, b, plan, xr, xi, 1f / (2 * h));
        boolean back = FftStages.run(plan, zi, zr, yi, yr, b);   // the inverse as the forward of the swapped pair
        unpackChunk(back ? yr : zr, back ? yi : zi, out, hd, n, c, c0, b);
    }

    /** dw (heads, 2n − 1) += the Toeplitz weight gradient of every head. */
    public static void weightGradAccumulate(Parallel parallel, Tensor dw, Tensor dOut, Tensor x) {
        int[] s = ToeplitzKernels.checkShapes("toeplitzWeightGradAccumulate", "dw", dw, "x", x, "dOut", dOut);
        int heads = s[0], n = s[1], c = s[2];
        if ((long) heads * c == 0) return;
        int h = FftPlan.smoothAtLeast(n), chunkCols = chunk(h), chunks = (c + chunkCols - 1) / chunkCols;
        int groups = Math.min(GRAD_GROUPS, chunks);
        FftPlan plan = FftPlan.of(h);
        boolean inPlace = FftInPlace.applies(plan);
        float[][] gRe = new float[heads * groups][h + 1], gIm = new float[heads * groups][h + 1];
        parallel.forEach(heads * groups, task -> {
            int hd = task / groups, g = task % groups;
            // group g takes chunks g, g + groups, ...: a fixed assignment, summed in chunk order
            for (int ch = g; ch < chunks; ch += groups) {
                int c0 = ch * chunkCols, b = Math.min(chunkCols, c - c0);
                if (ToeplitzNarrow.applies(b)) {
                    backwardNarrow(null, null, gRe[task], gIm[task], null, null, null, null, x, dOut, hd, n, c, c0, b, plan, inPlace);
                    continue;
                }
                if (inPlace) {
                    float[][] sc = ToeplitzInPlace.scratch(h * b);
                    ToeplitzInPlace.spectrum(plan, dOut.data(), hd, n, c, c0, b, sc[0], sc[1]);
                    ToeplitzInPlace.spectrum(plan, x.data(), hd, n, c, c0, b, sc[2], sc[3]);
                    ToeplitzInPlace.cross(gRe[task], gIm[task], sc[0], sc[1], sc[2], sc[3], b, h);
                    continue;
                }
                float[][] sc = FftCpu.scratch((h + 1) * b);
                boolean inY = forwardChunk(plan, dOut.data(), hd, n, c, c0, b, sc);
                FftCpu.realPostLanes(inY ? sc[2] : sc[0], inY ? sc[3] : sc[1], b, plan, sc[4], sc[5]);
                inY = forwardChunk(plan, x.data(), hd, n, c, c0, b, sc);
                // the x half spectrum goes to the pair the transform left free (post-processing is not in place)
                float[] xr = inY ? sc[0] : sc[2], xi = inY ? sc[1] : sc[3];
                FftCpu.realPostLanes(inY ? sc[2] : sc[0], inY ? sc[3] : sc[1], b, plan, xr, xi);
                crossLanes(gRe[task], gIm[task], sc[4], sc[5], xr, xi, b, h);
            }
        });
        addWeightGrad(parallel, dw, gRe, gIm, heads, groups, n, plan, inPlace);
    }

    /**
     * dw += the inverse of each head's partial spectra, summed in group order (fixed: thread-count independent). Once
     * per call, beside one idle thread when heads = 1: hence vector loops (each element gets the same adds as before).
     * With {@code byPosition} the partial spectra are summed by position (in-place route) and reordered after.
     */
    private static void addWeightGrad(Parallel parallel, Tensor dw, float[][] gRe, float[][] gIm, int heads, int groups,
                                      int n, FftPlan plan, boolean byPosition) {
        int h = plan.length();
        parallel.forEach(heads, hd -> {
            float[] re = gRe[hd * groups], im = gIm[hd * groups];
            for (int g = 1; g < groups; g++) {
                addInto(re, gRe[hd * groups + g], h + 1);
                addInto(im, gIm[hd * groups + g], h + 1);
            }
            if (byPosition) {
                float[] natRe = new float[h + 1], natIm = new float[h + 1];
                FftInPlace.fromPositions(re, im, FftInPlace.positions(plan), h, natRe, natIm);
                re = natRe;
                im = natIm;
            }
            float[] r = new float[2 * h];
            FftCpu.realInverse(re, im, 2 * h, r);
            long wo = (long) hd * (2L * n - 1);
            // dw[k] += r[d mod 2h] with d = k − (n − 1): offsets d ≥ 0 from r[0 …], d < 0 from r[2h − (n − 1) …]
            addInto(dw.data(), wo + n - 1, r, 0, n);
            addInto(dw.data(), wo, r, 2 * h - (n - 1), n - 1);
        });
    }

    /** a[i] += b[i] for i &lt; len. */
    private static void addInto(float[] a, float[] b, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += LANES) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(a, i);
        }
        for (; i < len; i++) a[i] += b[i];
    }

    /** dst[at + i] += src[from + i] for i &lt; len (dst indexed in floats). */
    private static void addInto(MemorySegment dst, long at, float[] src, int from, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += LANES) {
            long off = (at + i) * Float.BYTES;
            FloatVector.fromMemorySegment(S, dst, off, ORDER).add(FloatVector.fromArray(S, src, from + i)).intoMemorySegment(dst, off, ORDER);
        }
        for (; i < len; i++) dst.setAtIndex(FLOAT, at + i, dst.getAtIndex(FLOAT, at + i) + src[from + i]);
    }

    /** The half spectrum of the circulant's first column (length 2h) for head hd ({@link WeightSpectra} keeps it). */
    static void columnSpectrum(Tensor w, int hd, int n, int h, float[] re, float[] im) {
        float[] col = new float[2 * h];
        long wo = (long) hd * (2L * n - 1);
        MemorySegment.copy(w.data(), FLOAT, (wo + n - 1) * Float.BYTES, col, 0, n);              // col[d] = t_d, d ≥ 0
        MemorySegment.copy(w.data(), FLOAT, wo * Float.BYTES, col, 2 * h - (n - 1), n - 1);       // col[2h − d] = t_{−d}
        FftCpu.realForward(col, 2 * h, re, im);
    }

    /**
     * Columns [c0, c0 + b) of head hd's (n, c) matrix, zero-padded to 2h rows, packed as z[t] = row 2t + i·row 2t+1
     * into (sc[0], sc[1]) (h, b), then transformed with (sc[2], sc[3]) as scratch.
     *
     * @return true when the spectrum is in (sc[2], sc[3])
     */
    private static boolean forwardChunk(FftPlan plan, MemorySegment src, int hd, int n, int c, int c0, int b,
                                        float[][] sc) {
        pack(src, hd, n, c, c0, b, plan.length(), sc[0], sc[1]);
        return FftStages.run(plan, sc[0], sc[1], sc[2], sc[3], b);
    }

    /** Columns [c0, c0 + b) of head hd's (n, c) matrix, zero-padded to 2h rows, as z[t] = row 2t + i·row 2t+1 (h, b). */
    static void pack(MemorySegment src, int hd, int n, int c, int c0, int b, int h, float[] zr, float[] zi) {
        int full = n / 2;                                     // rows 2t, 2t + 1 both below n for t < full
        long base = ((long) hd * n * c + c0) * Float.BYTES, rowBytes = (long) c * Float.BYTES;
        for (int t = 0; t < full; t++) {
            copyRow(src, base + 2 * t * rowBytes, zr, t * b, b);
            copyRow(src, base + (2 * t + 1) * rowBytes, zi, t * b, b);
        }
        // the zero padding is one block in the columns layout (t-major), not a fill per row
        int padFrom = full;
        if (n % 2 == 1) {
            copyRow(src, base + (n - 1) * rowBytes, zr, full * b, b);
            java.util.Arrays.fill(zi, full * b, (full + 1) * b, 0f);
            padFrom = full + 1;
        }
        java.util.Arrays.fill(zr, padFrom * b, h * b, 0f);
        java.util.Arrays.fill(zi, padFrom * b, h * b, 0f);
    }

    /**
     * b floats from src at byte offset off into dst[at …]: vector loads, the tail through MemorySegment.copy. A
     * MemorySegment.copy per row of 16 or 32 floats cost 13 % of kernel-rpe's time at n = 8192 (JFR).
     */
    private static void copyRow(MemorySegment src, long off, float[] dst, int at, int b) {
        int l = 0;
        for (; l + LANES <= b; l += LANES) FloatVector.fromMemorySegment(S, src, off + (long) l * Float.BYTES, ORDER).intoArray(dst, at + l);
        if (l < b) MemorySegment.copy(src, FLOAT, off + (long) l * Float.BYTES, dst, at + l, b - l);
    }

    /** Rows 2t and 2t+1 (those below n) of head hd's columns [c0, c0 + b) from z[t] = re + i·im. */
    static void unpackChunk(float[] zr, float[] zi, MemorySegment dst, int hd, int n, int c, int c0, int b) {
        long base = ((long) hd * n * c + c0) * Float.BYTES, rowBytes = (long) c * Float.BYTES;
        for (int row = 0; row < n; row++) {
            float[] plane = row % 2 == 0 ? zr : zi;
            long off = base + row * rowBytes;
            int at = row / 2 * b, l = 0;
            for (; l + LANES <= b; l += LANES) FloatVector.fromArray(S, plane, at + l).intoMemorySegment(dst, off + (long) l * Float.BYTES, ORDER);
            if (l < b) MemorySegment.copy(plane, at + l, dst, FLOAT, off + (long) l * Float.BYTES, b - l);
        }
    }

    /** X[k, :] ·= spec[k] for k ≤ h (complex, the spectrum broadcast over the b lanes). Modifies xr, xi. */
    static void multiplyLanes(float[] xr, float[] xi, int b, int h, float[] specRe, float[] specIm) {
        multiplyLanes(xr, xi, b, 0, h, specRe, specIm);
    }

    /** {@link #multiplyLanes} for rows k in [from, to]. */
    static void multiplyLanes(float[] xr, float[] xi, int b, int from, int to, float[] specRe, float[] specIm) {
        int bound = S.loopBound(b);
        for (int k = from; k <= to; k++) {
            FloatVector sr = FloatVector.broadcast(S, specRe[k]), si = FloatVector.broadcast(S, specIm[k]);
            int o = k * b;
            for (int l = 0; l < bound; l += LANES) {
                FloatVector ar = FloatVector.fromArray(S, xr, o + l), ai = FloatVector.fromArray(S, xi, o + l);
                ar.mul(sr).sub(ai.mul(si)).intoArray(xr, o + l);
                ar.mul(si).add(ai.mul(sr)).intoArray(xi, o + l);
            }
            multiplyScalarLanes(xr, xi, b, specRe[k], specIm[k], o, bound);
        }
    }

    /** The twin of {@link #multiplyLanes} for one k, lanes [from, b). */
    static void multiplyScalarLanes(float[] xr, float[] xi, int b, float sr, float si, int o, int from) {
        for (int l = from; l < b; l++) {
            float ar = xr[o + l], ai = xi[o + l];
            xr[o + l] = ar * sr - ai * si;
            xi[o + l] = ar * si + ai * sr;
        }
    }

    /** g[k] += Σ_lanes D[k]·conj X[k] for k ≤ h: the lanes in a vector tree ({@link Lanes#sum}), then the tail. */
    static void crossLanes(float[] gr, float[] gi, float[] dr, float[] di, float[] xr, float[] xi, int b, int h) {
        crossLanes(gr, gi, dr, di, xr, xi, b, 0, h);
    }

    /** {@link #crossLanes} for rows k in [from, to]. */
    static void crossLanes(float[] gr, float[] gi, float[] dr, float[] di, float[] xr, float[] xi, int b, int from, int to) {
        int bound = S.loopBound(b), k = from;
        if (bound == b) {   // no tail lanes: L bins at a time, their lane sums in one tree (Lanes.sums: the same bits)
            float[] blockR = SUM_BLOCKS.get(), blockI = SUM_BLOCKS_IM.get();
            for (; k + LANES - 1 <= to; k += LANES) {
                for (int r = 0; r < LANES; r++) {
                    crossAcc(dr, di, xr, xi, (k + r) * b, bound, true).intoArray(blockR, r * LANES);
                    crossAcc(dr, di, xr, xi, (k + r) * b, bound, false).intoArray(blockI, r * LANES);
                }
                FloatVector.fromArray(S, gr, k).add(Lanes.sums(blockR)).intoArray(gr, k);
                FloatVector.fromArray(S, gi, k).add(Lanes.sums(blockI)).intoArray(gi, k);
            }
        }
        for (; k <= to; k++) {
            int o = k * b;
            float sr = Lanes.sum(crossAcc(dr, di, xr, xi, o, bound, true)), si = Lanes.sum(crossAcc(dr, di, xr, xi, o, bound, false));
            for (int l = bound; l < b; l++) {
                sr += dr[o + l] * xr[o + l] + di[o + l] * xi[o + l];
                si += di[o + l] * xr[o + l] - dr[o + l] * xi[o + l];
            }
            gr[k] += sr;
            gi[k] += si;
        }
    }

    /** Bin o's lane partials of Re (re) or Im of D·conj X over lanes [0, bound), in {@link #crossLanes}'s order. */
    private static FloatVector crossAcc(float[] dr, float[] di, float[] xr, float[] xi, int o, int bound, boolean re) {
        FloatVector acc = FloatVector.zero(S);
        for (int l = 0; l < bound; l += LANES) {
            FloatVector ar = FloatVector.fromArray(S, dr, o + l), ai = FloatVector.fromArray(S, di, o + l);
            FloatVector cr = FloatVector.fromArray(S, xr, o + l), ci = FloatVector.fromArray(S, xi, o + l);
            acc = re ? acc.add(ar.mul(cr)).add(ai.mul(ci)) : acc.add(ai.mul(cr)).sub(ar.mul(ci));
        }
        return acc;
    }

    /** {@link #crossLanes}' L × L blocks of lane partials, per thread (real, imaginary). */
    private static final ThreadLocal<float[]> SUM_BLOCKS = ThreadLocal.withInitial(() -> new float[LANES * LANES]),
            SUM_BLOCKS_IM = ThreadLocal.withInitial(() -> new float[LANES * LANES]);

    /** out[h,i,:] = Σ_j w[h, i − j + n − 1]·x[h,j,:], in float, j ascending: the O(n²·c) reference. */
    static void multiplyScalar(Tensor out, Tensor w, Tensor x, int h, int n, int c) {
        long xo = (long) h * n * c, wo = (long) h * (2L * n - 1);
        for (int i = 0; i < n; i++) {
            for (int cc = 0; cc < c; cc++) {
                float acc = 0;
                for (int j = 0; j < n; j++) acc += w.get(wo + i - j + n - 1) * x.get(xo + (long) j * c + cc);
                out.set(xo + (long) i * c + cc, acc);
            }
        }
    }

    /** dw[h,k] += Σ_{i−j=k−(n−1)} Σ_c dOut[h,i,c]·x[h,j,c]: the O(n²·c) reference. */
    static void weightGradScalar(Tensor dw, Tensor dOut, Tensor x, int h, int n, int c) {
        long xo = (long) h * n * c, wo = (long) h * (2L * n - 1);
        for (int k = 0; k < 2 * n - 1; k++) {
            int offset = k - (n - 1);   // i − j
            float acc = 0;
            for (int i = Math.max(0, offset); i < Math.min(n, n + offset); i++) {
                long ri = xo + (long) i * c, rj = xo + (long) (i - offset) * c;
                for (int cc = 0; cc < c; cc++) acc += dOut.get(ri + cc) * x.get(rj + cc);
            }
            dw.set(wo + k, dw.get(wo + k) + acc);
        }
    }
}
