package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * posenc's own FFT: complex and real, any length (radices 4, 2, 3, 5 as Stockham stages, {@link FftStages}; any
 * other prime factor p as a plain length-p DFT, so a prime length n costs O(n²)), batched, on split float arrays.
 * <pre>
 *   forward  X[k] = Σ_t x[t]·exp(−2πi·t·k/n)         inverse (unnormalised)  x[t] = Σ_k X[k]·exp(+2πi·t·k/n)
 * </pre>
 * Layouts. <b>Columns</b>: a batch of B transforms interleaved, element t of transform b at [t·B + b]; the
 * butterflies then run along b with unit stride (lanes = transforms, no shuffles). <b>Single</b> long transforms
 * (n ≥ {@value FftPlan#FOUR_STEP_MIN}) go four-step: n = n1·n2 seen as an n1×n2 matrix, n2 columns of length n1,
 * a twiddle-and-transpose pass, n1 columns of length n2: both batches have ≥ 16 lanes. <b>Real</b> transforms of
 * even length n pack x into z[t] = x[2t] + i·x[2t+1], take a complex FFT of n/2, and untangle the half spectrum
 * X[0…n/2] in one pass ({@link #realPostLanes}); the inverse runs the same steps backwards ({@link #realPreLanes}).
 * <b>Rows</b> ({@link #realForwardRows}): tiles of row-major sequences enter the columns layout and leave it through
 * {@link LaneTranspose}'s in-register L × L transposes, the untangling fused with the way back ({@link #realPostRows}).
 *
 * <p>Accuracy against a double-precision DFT, float32 ε = 2⁻²⁴, asserted by FftCpuTest on lengths 1 … 65536
 * (7, 12, 60, 97, 256, 1000, 1536, 4096, 65536 among them): rms error ≤ ε·log₂n·rms(X) (measured 0.16 to 0.23 of
 * that for smooth lengths, up to 0.54 for prime ones) and the worst element ≤ 2.5·ε·log₂n·rms(X) (measured ≤ 1.2).
 * Plans (twiddles) are cached per length and shared; scratch arrays are per thread.
 *
 * <p>Vector kernels and their scalar twins: the stage butterflies in {@link FftStages}; here, the real pre- and
 * post-processing ({@link #realPostLanes} and its tail {@link #realPostScalar}, likewise for the inverse).
 */
public final class FftCpu {
    private FftCpu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per task of the batched real transform: 32 rows of 256 keep a tile (and its scratch) in L1/L2. */
    static final int ROW_TILE = 32;

    /** Per-thread scratch, grown on demand and reused: a transform allocates nothing once warm. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[6][0]);

    static float[][] scratch(int size) {
        float[][] s = SCRATCH.get();
        for (int i = 0; i < s.length; i++) if (s[i].length < size) s[i] = new float[size];
        return s;
    }

    // ---- complex

    /**
     * In place: (re, im) ← FFT of length n (forward, or inverse unnormalised). Single-threaded: a single transform
     * up to 2¹⁶ is too short to share between threads (batches are shared instead, {@link #realForwardRows}).
     */
    public static void complex(float[] re, float[] im, int n, boolean inverse) {
        requireLength("re", re, n);
        requireLength("im", im, n);
        float[][] s = scratch(n);
        // the inverse is the forward of the swapped pair: IFFT(z) = swap(FFT(swap(z))), swap(a + ib) = b + ia
        float[] xr = inverse ? im : re, xi = inverse ? re : im;
        if (single(FftPlan.of(n), xr, xi, s[0], s[1])) {
            System.arraycopy(s[0], 0, xr, 0, n);
            System.arraycopy(s[1], 0, xi, 0, n);
        }
    }

    /**
     * One transform of plan.n in (xr, xi) with (yr, yi) as scratch (both of length ≥ n).
     *
     * @return true when the result is in (yr, yi)
     */
    static boolean single(FftPlan plan, float[] xr, float[] xi, float[] yr, float[] yi) {
        if (plan.fourStepN1() == 0) return FftStages.run(plan, xr, xi, yr, yi, 1);
        int n1 = plan.fourStepN1(), n2 = plan.fourStepN2();
        // step 1: n2 interleaved transforms of length n1 over x viewed as (n1, n2): Y[k1][j2]
        boolean inY = FftStages.run(FftPlan.of(n1), xr, xi, yr, yi, n2);
        float[] ar = inY ? yr : xr, ai = inY ? yi : xi, br = inY ? xr : yr, bi = inY ? xi : yi;
        // steps 2 and 3: B[j2][k1] = Y[k1][j2]·W_n^{k1·j2}
        twiddleTranspose(br, bi, ar, ai, plan.fourStepRe(), plan.fourStepIm(), n1, n2);
        // step 4: n1 interleaved transforms of length n2 over B (n2, n1): X[k1 + n1·k2] at [k2·n1 + k1]
        boolean inA = FftStages.run(FftPlan.of(n2), br, bi, ar, ai, n1);
        return inA == inY;   // the result is in A when inA, and A is y exactly when inY
    }

    /**
     * b[j2·n1 + k1] = a[k1·n2 + j2]·w[k1·n2 + j2], in tiles of {@value #TILE} × {@value #TILE}: row by row, the writes
     * with stride n1 touched a new cache line per element, and at n = 65536 (four arrays of 256 KB, past L2 with the
     * other thread's) this pass grew 5.8× from n = 32768 (JFR of kernel-rpe). Each element gets the same products.
     */
    private static void twiddleTranspose(float[] br, float[] bi, float[] ar, float[] ai, float[] wr, float[] wi,
                                         int n1, int n2) {
        for (int k0 = 0; k0 < n1; k0 += TILE) {
            int k1End = Math.min(n1, k0 + TILE);
            for (int j0 = 0; j0 < n2; j0 += TILE) {
                int j2End = Math.min(n2, j0 + TILE);
                for (int k1 = k0; k1 < k1End; k1++) {
                    int row = k1 * n2;
                    for (int j2 = j0; j2 < j2End; j2++) {
                        float xr = ar[row + j2], xi = ai[row + j2], cr = wr[row + j2], ci = wi[row + j2];
                        br[j2 * n1 + k1] = xr * cr - xi * ci;
                        bi[j2 * n1 + k1] = xr * ci + xi * cr;
                    }
                }
            }
        }
    }

    /** Tile side of {@link #twiddleTranspose}: 16 floats are one cache line of each written column. */
    private static final int TILE = 16;

    // ---- real

    /**
     * The half spectrum of one real sequence: (outRe, outIm)[k] = X[k] for k = 0 … n/2 (X[n − k] = conj X[k]).
     * x has n ≥ 2 elements, n even; outRe and outIm have n/2 + 1. Modifies outRe and outIm only.
     */
    public static void realForward(float[] x, int n, float[] outRe, float[] outIm) {
        requireEven(n);
        requireLength("x", x, n);
        int h = n / 2;
        requireLength("outRe", outRe, h + 1);
        requireLength("outIm", outIm, h + 1);
        float[][] s = scratch(h);
        float[] zr = s[0], zi = s[1];
        deinterleave(x, zr, zi, h);
        FftPlan plan = FftPlan.of(h);
        boolean inY = single(plan, zr, zi, s[2], s[3]);
        realPostSingle(inY ? s[2] : zr, inY ? s[3] : zi, plan, outRe, outIm);
    }

    /**
     * {@link #realPostLanes} for one transform (batch 1), vectorised along k: Z[h − k] for a vector of
     * consecutive k is a reversed vector load. k = 0 and the tail go through the scalar twin.
     */
    static void realPostSingle(float[] zr, float[] zi, FftPlan plan, float[] outRe, float[] outIm) {
        int h = plan.length();
        realPostScalar(zr, zi, 1, plan, outRe, outIm, 0, 0, 1);
        int k = 1;
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        for (; k + L <= h; k += L) {
            // lanes k … k+L−1 pair with h−k … h−k−L+1: load [h−k−L+1, h−k] and reverse it
            FloatVector ar = FloatVector.fromArray(S, zr, k), ai = FloatVector.fromArray(S, zi, k);
            FloatVector cr = FloatVector.fromArray(S, zr, h - k - L + 1).rearrange(REVERSE);
            FloatVector ci = FloatVector.fromArray(S, zi, h - k - L + 1).rearrange(REVERSE);
            FloatVector wr = FloatVector.fromArray(S, plan.realTwiddlesRe(), k), wi = FloatVector.fromArray(S, plan.realTwiddlesIm(), k);
            FloatVector er = ar.add(cr).mul(half), ei = ai.sub(ci).mul(half);
            FloatVector dr = ar.sub(cr).mul(half), di = ai.add(ci).mul(half);
            er.add(wr.mul(di)).add(wi.mul(dr)).intoArray(outRe, k);
            ei.sub(wr.mul(dr)).add(wi.mul(di)).intoArray(outIm, k);
        }
        for (; k <= h; k++) realPostScalar(zr, zi, 1, plan, outRe, outIm, k, 0, 1);
    }

    /** zr[t] = x[2t], zi[t] = x[2t+1] for t &lt; h: two vectors in, one two-source permute per output vector. */
    static void deinterleave(float[] x, float[] zr, float[] zi, int h) {
        int t = 0;
        for (; t + L <= h; t += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, 2 * t), v1 = FloatVector.fromArray(S, x, 2 * t + L);
            v0.rearrange(EVENS, v1).intoArray(zr, t);
            v0.rearrange(ODDS, v1).intoArray(zi, t);
        }
        deinterleaveScalar(x, zr, zi, t, h);
    }

    static void deinterleaveScalar(float[] x, float[] zr, float[] zi, int from, int to) {
        for (int t = from; t < to; t++) {
            zr[t] = x[2 * t];
            zi[t] = x[2 * t + 1];
        }
    }

    /** Source lanes 2j and 2j + 1 of the pair (v0, v1): indexes ≥ L wrap to exceptional ones, read from v1. */
    private static final jdk.incubator.vector.VectorShuffle<Float> EVENS =
            jdk.incubator.vector.VectorShuffle.fromOp(S, j -> 2 * j), ODDS =
            jdk.incubator.vector.VectorShuffle.fromOp(S, j -> 2 * j + 1);

    private static final jdk.incubator.vector.VectorShuffle<Float> REVERSE =
            jdk.incubator.vector.VectorShuffle.fromOp(S, i -> L - 1 - i);

    /**
     * The inverse of {@link #realForward}, normalised: x[t] = (1/n)·Σ_{k<n} X[k]·exp(2πi·t·k/n) from the half
     * spectrum (inRe, inIm)[0 … n/2]; the imaginary parts of X[0] and X[n/2] are ignored. Modifies x only.
     */
    public static void realInverse(float[] inRe, float[] inIm, int n, float[] x) {
        requireEven(n);
        requireLength("x", x, n);
        int h = n / 2;
        requireLength("inRe", inRe, h + 1);
        requireLength("inIm", inIm, h + 1);
        float[][] s = scratch(h);
        float[] zr = s[0], zi = s[1];
        FftPlan plan = FftPlan.of(h);
        realPreLanes(zr, zi, 1, plan, inRe, inIm, 1f / n);
        boolean inY = single(plan, zi, zr, s[3], s[2]);   // the inverse as the forward of the swapped pair
        float[] rr = inY ? s[2] : zr, ri = inY ? s[3] : zi;
        for (int t = 0; t < h; t++) {
            x[2 * t] = rr[t];
            x[2 * t + 1] = ri[t];
        }
    }

    /**
     * The half spectra of {@code rows} real sequences of length n (x row-major (rows, n)) into outRe and outIm
     * (rows, n/2 + 1), tiles of {@value #ROW_TILE} rows spread over the threads. Each tile is transposed into the
     * columns layout, so the butterflies run across rows. Modifies outRe and outIm only.
     */
    public static void realForwardRows(Parallel parallel, float[] x, float[] outRe, float[] outIm, int rows, int n) {
        requireEven(n);
        int h = n / 2;
        requireLength("x", x, (long) rows * n);
        requireLength("outRe", outRe, (long) rows * (h + 1));
        requireLength("outIm", outIm, (long) rows * (h + 1));
        FftPlan plan = FftPlan.of(h);
        int tiles = (rows + ROW_TILE - 1) / ROW_TILE;
        parallel.forEach(tiles, tile -> {
            int r0 = tile * ROW_TILE, b = Math.min(ROW_TILE, rows - r0);
            float[][] s = scratch((h + 1) * b);
            packRows(x, r0, b, n, s[0], s[1]);
            boolean inY = FftStages.run(plan, s[0], s[1], s[2], s[3], b);
            realPostRows(inY ? s[2] : s[0], inY ? s[3] : s[1], b, plan, r0, outRe, outIm);
        });
    }

    /**
     * Rows [r0, r0 + b) of x (row length n) into the columns layout: zr[t·b + r] = x[(r0 + r)·n + 2t], zi the same
     * at 2t + 1. Blocks of L rows × L floats go through {@link LaneTranspose} (gathers cost 24 % of a 1024 × 256
     * batch, a scalar transpose 3× the FFT itself); the ragged rows and columns through the scalar twin.
     */
    static void packRows(float[] x, int r0, int b, int n, float[] zr, float[] zi) {
        int h = n / 2, rows = b / L * L, cols = n / L * L;   // cols: whole blocks of L floats = L/2 complex
        for (int r = 0; r < rows; r += L) {
            // column f + j of the block (j even: a real part, odd: an imaginary one) is element t = f/2 + j/2
            for (int f = 0; f < cols; f += L) LaneTranspose.transpose(x, (r0 + r) * n + f, n, zr, zi, f / 2 * b + r, b, 1);
            packRowsScalar(x, r0, b, n, zr, zi, r, r + L, cols / 2, h);
        }
        packRowsScalar(x, r0, b, n, zr, zi, rows, b, 0, h);
    }

    /** The twin of {@link #packRows} for tile rows [rFrom, rTo) and complex elements t in [tFrom, tTo). */
    static void packRowsScalar(float[] x, int r0, int b, int n, float[] zr, float[] zi, int rFrom, int rTo, int tFrom,
                               int tTo) {
        for (int r = rFrom; r < rTo; r++) {
            int src = (r0 + r) * n;
            for (int t = tFrom; t < tTo; t++) {
                zr[t * b + r] = x[src + 2 * t];
                zi[t * b + r] = x[src + 2 * t + 1];
            }
        }
    }

    /**
     * {@link #realPostLanes} and the transpose back to rows in one pass: out[(r0 + r)·(h + 1) + k] = X_r[k] from the
     * tile's Z in the columns layout. Blocks of L k's × L rows are post-processed into an L1 block and leave through
     * {@link LaneTranspose}, so the half spectra never make a round trip through a tile-sized array; the ragged k's
     * and rows go through the scalar twin. Modifies outRe and outIm only.
     */
    static void realPostRows(float[] zr, float[] zi, int b, FftPlan plan, int r0, float[] outRe, float[] outIm) {
        int h = plan.length(), width = h + 1, rows = b / L * L, ks = width / L * L;
        float[] blockRe = BLOCKS.get();
        int imAt = L * L;                                    // the imaginary block after the real one
        for (int r = 0; r < rows; r += L) {
            for (int k0 = 0; k0 < ks; k0 += L) {
                for (int kk = 0; kk < L; kk++) realPostVector(zr, zi, b, plan, k0 + kk, r, blockRe, blockRe, kk * L, imAt + kk * L);
                int o = (r0 + r) * width + k0;
                LaneTranspose.transpose(blockRe, 0, L, outRe, outRe, o, width, 0);
                LaneTranspose.transpose(blockRe, imAt, L, outIm, outIm, o, width, 0);
            }
            realPostRowsScalar(zr, zi, b, plan, r0, outRe, outIm, r, r + L, ks, width);
        }
        realPostRowsScalar(zr, zi, b, plan, r0, outRe, outIm, rows, b, 0, width);
    }

    /** The post-processing blocks of {@link #realPostRows} (real, then imaginary), 2·L² floats per thread. */
    private static final ThreadLocal<float[]> BLOCKS = ThreadLocal.withInitial(() -> new float[2 * L * L]);

    /** The twin of {@link #realPostRows} for tile rows [rFrom, rTo) and k in [kFrom, kTo). */
    static void realPostRowsScalar(float[] zr, float[] zi, int b, FftPlan plan, int r0, float[] outRe, float[] outIm,
                                   int rFrom, int rTo, int kFrom, int kTo) {
        int h = plan.length();
        for (int k = kFrom; k < kTo; k++) {
            int a = (k == h ? 0 : k) * b, c = (k == 0 ? 0 : h - k) * b;
            float wr = plan.realTwiddlesRe()[k], wi = plan.realTwiddlesIm()[k];
            for (int r = rFrom; r < rTo; r++) {
                int o = (r0 + r) * (h + 1) + k;
                outRe[o] = postRe(zr[a + r], zi[a + r], zr[c + r], zi[c + r], wr, wi);
                outIm[o] = postIm(zr[a + r], zi[a + r], zr[c + r], zi[c + r], wr, wi);
            }
        }
    }

    // ---- real pre- and post-processing, over a batch of interleaved lanes

    /**
     * From Z = FFT_h(z), z[t] = x[2t] + i·x[2t+1], the half spectrum of x (length n = 2h), per lane b:
     * <pre>
     *   E = (Z[k] + conj Z[h−k])/2,  D = (Z[k] − conj Z[h−k])/2,  X[k] = E − i·W_n^k·D,   Z[h] ≡ Z[0]
     *   X.re = E.re + w.re·D.im + w.im·D.re,   X.im = E.im − w.re·D.re + w.im·D.im
     * </pre>
     * z at [k·batch + b] for k &lt; h; out at [k·batch + b] for k ≤ h. Modifies outRe and outIm only.
     */
    static void realPostLanes(float[] zr, float[] zi, int batch, FftPlan plan, float[] outRe, float[] outIm) {
        int h = plan.length(), bound = S.loopBound(batch);
        for (int k = 0; k <= h; k++) {
            for (int b = 0; b < bound; b += L) realPostVector(zr, zi, batch, plan, k, b, outRe, outIm, k * batch + b, k * batch + b);
            // only with a tail: the empty call per k was 4 % of kernel-rpe's samples at n = 65536 (JFR)
            if (bound < batch) realPostScalar(zr, zi, batch, plan, outRe, outIm, k, bound, batch);
        }
    }

    /** X[k] of {@link #realPostLanes} for lanes [b, b + L), stored at outRe[oRe] and outIm[oIm]. */
    private static void realPostVector(float[] zr, float[] zi, int batch, FftPlan plan, int k, int b, float[] outRe,
                                       float[] outIm, int oRe, int oIm) {
        int h = plan.length(), a = (k == h ? 0 : k) * batch + b, c = (k == 0 ? 0 : h - k) * batch + b;
        FloatVector wr = FloatVector.broadcast(S, plan.realTwiddlesRe()[k]), wi = FloatVector.broadcast(S, plan.realTwiddlesIm()[k]);
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector ar = FloatVector.fromArray(S, zr, a), ai = FloatVector.fromArray(S, zi, a);
        FloatVector cr = FloatVector.fromArray(S, zr, c), ci = FloatVector.fromArray(S, zi, c);
        FloatVector er = ar.add(cr).mul(half), ei = ai.sub(ci).mul(half);
        FloatVector dr = ar.sub(cr).mul(half), di = ai.add(ci).mul(half);
        er.add(wr.mul(di)).add(wi.mul(dr)).intoArray(outRe, oRe);
        ei.sub(wr.mul(dr)).add(wi.mul(di)).intoArray(outIm, oIm);
    }

    /** The twin of {@link #realPostLanes} for one k over lanes [from, to). */
    static void realPostScalar(float[] zr, float[] zi, int batch, FftPlan plan, float[] outRe, float[] outIm, int k,
                               int from, int to) {
        int h = plan.length(), a = (k == h ? 0 : k) * batch, c = (k == 0 ? 0 : h - k) * batch, o = k * batch;
        float wr = plan.realTwiddlesRe()[k], wi = plan.realTwiddlesIm()[k];
        for (int b = from; b < to; b++) {
            outRe[o + b] = postRe(zr[a + b], zi[a + b], zr[c + b], zi[c + b], wr, wi);
            outIm[o + b] = postIm(zr[a + b], zi[a + b], zr[c + b], zi[c + b], wr, wi);
        }
    }

    /** X.re = E.re + w.re·D.im + w.im·D.re with E, D of a = Z[k], c = Z[h − k] (see {@link #realPostLanes}). */
    private static float postRe(float ar, float ai, float cr, float ci, float wr, float wi) {
        float er = (ar + cr) * 0.5f, dr = (ar - cr) * 0.5f, di = (ai + ci) * 0.5f;
        return er + wr * di + wi * dr;
    }

    /** X.im = E.im − w.re·D.re + w.im·D.im. */
    private static float postIm(float ar, float ai, float cr, float ci, float wr, float wi) {
        float ei = (ai - ci) * 0.5f, dr = (ar - cr) * 0.5f, di = (ai + ci) * 0.5f;
        return ei - wr * dr + wi * di;
    }

    /**
     * The inverse of {@link #realPostLanes}: from a half spectrum X[0 … h] the Z[k] (k &lt; h) whose unnormalised
     * inverse FFT_h is z[t] = x[2t] + i·x[2t+1] scaled by {@code scale·n} (scale = 1/n gives x itself):
     * <pre>
     *   E = (X[k] + conj X[h−k])·scale,  D = (X[k] − conj X[h−k])·scale,  Z[k] = E + i·conj(W_n^k)·D
     *   Z.re = E.re − w.re·D.im + w.im·D.re,   Z.im = E.im + w.re·D.re + w.im·D.im
     * </pre>
     * Modifies zr and zi only.
     */
    static void realPreLanes(float[] zr, float[] zi, int batch, FftPlan plan, float[] inRe, float[] inIm, float scale) {
        int h = plan.length(), bound = S.loopBound(batch);
        FloatVector f = FloatVector.broadcast(S, scale);
        for (int k = 0; k < h; k++) {
            int a = k * batch, c = (h - k) * batch;
            FloatVector wr = FloatVector.broadcast(S, plan.realTwiddlesRe()[k]), wi = FloatVector.broadcast(S, plan.realTwiddlesIm()[k]);
            for (int b = 0; b < bound; b += L) {
                FloatVector ar = FloatVector.fromArray(S, inRe, a + b), ai = FloatVector.fromArray(S, inIm, a + b);
                FloatVector cr = FloatVector.fromArray(S, inRe, c + b), ci = FloatVector.fromArray(S, inIm, c + b);
                FloatVector er = ar.add(cr).mul(f), ei = ai.sub(ci).mul(f);
                FloatVector dr = ar.sub(cr).mul(f), di = ai.add(ci).mul(f);
                er.sub(wr.mul(di)).add(wi.mul(dr)).intoArray(zr, a + b);
                ei.add(wr.mul(dr)).add(wi.mul(di)).intoArray(zi, a + b);
            }
            if (bound < batch) realPreScalar(zr, zi, batch, plan, inRe, inIm, scale, k, bound, batch);
        }
    }

    /** The twin of {@link #realPreLanes} for one k over lanes [from, to). */
    static void realPreScalar(float[] zr, float[] zi, int batch, FftPlan plan, float[] inRe, float[] inIm, float scale,
                              int k, int from, int to) {
        int h = plan.length(), a = k * batch, c = (h - k) * batch;
        float wr = plan.realTwiddlesRe()[k], wi = plan.realTwiddlesIm()[k];
        for (int b = from; b < to; b++) {
            float ar = inRe[a + b], ai = inIm[a + b], cr = inRe[c + b], ci = inIm[c + b];
            float er = (ar + cr) * scale, ei = (ai - ci) * scale, dr = (ar - cr) * scale, di = (ai + ci) * scale;
            zr[a + b] = er - wr * di + wi * dr;
            zi[a + b] = ei + wr * dr + wi * di;
        }
    }

    // ---- argument checks

    private static void requireEven(int n) {
        if (n < 2 || n % 2 != 0) throw new IllegalArgumentException("n: expected an even length >= 2, got " + n);
    }

    private static void requireLength(String name, float[] a, long n) {
        if (a == null || a.length < n) throw new IllegalArgumentException("%s: expected at least %d elements, got %s"
                .formatted(name, n, a == null ? "null" : a.length));
    }
}
