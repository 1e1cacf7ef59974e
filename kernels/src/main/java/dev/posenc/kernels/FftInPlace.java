package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-place FFTs of a batch in the columns layout (element t of transform b at [t·B + b]) for power-of-two lengths,
 * for products that do not need the spectrum in natural order (a circular convolution, a cross-correlation):
 * <pre>
 *   dif: natural order in, digit-reversed out (Gentleman–Sande, decimation in frequency: butterfly, then twiddle)
 *   dit: digit-reversed in, natural order out (Cooley–Tukey, decimation in time: twiddle, then butterfly)
 * </pre>
 * With the plan's radices p_1 … p_S (4s, then at most one 2) and the same twiddles as its Stockham stages, dif's
 * stage s takes each block of span N_s = p_s·m_s, and for j &lt; m_s the p_s rows base + j + r·m_s: y_r' =
 * W_{N_s}^{j·r'}·Σ_r x_r·ω^{r·r'}, written back to the same rows. X[k] ends at row {@link #positions}[k] =
 * Σ_s r_s·N_s/p_s with k = r_1 + p_1·(r_2 + p_2·(…)). dif = P·S_S⋯S_1 with S_s symmetric-by-blocks up to the
 * diagonal twiddle, and the DFT is symmetric, so F = (S_S⋯S_1)ᵀ·Pᵀ: dit runs the transposed stages in reverse order
 * (y_r' = Σ_r W^{j·r}·x_r·ω^{r·r'}) on a spectrum stored by position, and ends in natural order.
 *
 * <p>Why. The Stockham stages ({@link FftStages}) are out of place: four arrays in flight. For kernel-rpe's
 * (65536, 16) chunks that is 16 MB per thread per stage, and two threads overflow the shared L3 (bench/RESULTS.md,
 * issue 11). In place, each stage reads and writes the same 8 MB; the butterflies are the same float operations,
 * so dif's output is bit for bit the Stockham result, permuted.
 *
 * <p>The real transform of length 2h on top of it ({@link #realPost}, {@link #realPre}) keeps the spectrum by
 * position and packs the two real bins into row 0: re = X[0], im = X[h] (their imaginary parts are zero; the
 * Stockham route carries float noise of ~1e−16 relative there, which this drops).
 *
 * <p>Each vector loop runs over the lanes b and finishes its tail with the scalar twin of the same name + Scalar.
 * dif4 repeats {@link FftStages}' radix-4 arithmetic on purpose (same operations, so the same bits); only the
 * indexing differs (outputs to the input rows). Folding both into one kernel would re-parameterise the measured
 * Stockham loop; not done in this session.
 */
final class FftInPlace {
    private FftInPlace() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ConcurrentHashMap<Integer, int[]> POSITIONS = new ConcurrentHashMap<>(), BINS = new ConcurrentHashMap<>();

    /** True when every radix of the plan is 4 or 2 (a power-of-two length). */
    static boolean applies(FftPlan plan) {
        for (int s = 0; s < plan.stages(); s++) if (plan.radix(s) != 4 && plan.radix(s) != 2) return false;
        return true;
    }

    /** Row of X[k] after {@link #dif}, k &lt; h; cached per length, shared, read only. */
    static int[] positions(FftPlan plan) {
        return POSITIONS.computeIfAbsent(plan.length(), h -> {
            int[] pos = new int[h];
            for (int k = 0; k < h; k++) {
                int rest = k, span = h, p = 0;
                for (int s = 0; s < plan.stages(); s++) {
                    int r = plan.radix(s);
                    p += rest % r * (span / r);
                    rest /= r;
                    span /= r;
                }
                pos[k] = p;
            }
            return pos;
        });
    }

    /** The inverse of {@link #positions}: bins[p] = the k whose X[k] sits at row p; cached, read only. */
    static int[] bins(FftPlan plan) {
        return BINS.computeIfAbsent(plan.length(), h -> {
            int[] pos = positions(plan), bins = new int[h];
            for (int k = 0; k < h; k++) bins[pos[k]] = k;
            return bins;
        });
    }

    /**
     * Bytes of a block (its re and im rows) that the depth-first part of {@link #dif} and {@link #dit} keeps in one
     * core's L2 (1 MB here) while it runs all its stages: half of it, so the twiddles, the lane sums and the other
     * operand's lines keep some room.
     */
    static final long L2_BLOCK_BYTES = 1L << 19;

    /** Forward FFT in place, natural order in, digit-reversed out (row {@link #positions}[k] holds X[k]). */
    static void dif(FftPlan plan, float[] re, float[] im, int b) {
        dif(plan, re, im, b, L2_BLOCK_BYTES);
    }

    /**
     * {@link #dif}, the stages scheduled for the cache: after stage s every block of span N_s/p_s rows is a transform
     * of its own, so once a block's rows fit in {@code blockBytes} the remaining stages run block by block, depth first,
     * while the block sits in L2; the stages before that sweep the whole batch. Each butterfly reads what the same
     * butterfly of the breadth-first order read, so the result is the same bit for bit for any blockBytes
     * (FftInPlaceTest). Blocks are contiguous rows here (in place): no gather, unlike the four-step and the Stockham
     * blocking tried before (bench/RESULTS.md, issue 11).
     */
    static void dif(FftPlan plan, float[] re, float[] im, int b, long blockBytes) {
        int h = plan.length(), stages = plan.stages(), s = 0;
        for (; s < stages && span(plan, s) * (long) b * 2 * Float.BYTES > blockBytes; s++) difStage(plan, s, re, im, 0, h, b);
        if (s == stages) return;
        int block = span(plan, s);
        for (int lo = 0; lo < h; lo += block) for (int t = s; t < stages; t++) difStage(plan, t, re, im, lo, lo + block, b);
    }

    /** Forward FFT in place, digit-reversed in (as {@link #dif} leaves it), natural order out. */
    static void dit(FftPlan plan, float[] re, float[] im, int b) {
        dit(plan, re, im, b, L2_BLOCK_BYTES);
    }

    /**
     * {@link #dit} with {@link #dif}'s schedule transposed: the stages whose blocks fit in {@code blockBytes} (the
     * last ones of the plan, run first here) block by block, depth first; then the wide stages over the whole batch.
     * The same bits for any blockBytes.
     */
    static void dit(FftPlan plan, float[] re, float[] im, int b, long blockBytes) {
        int h = plan.length(), stages = plan.stages(), s = 0;
        while (s < stages && span(plan, s) * (long) b * 2 * Float.BYTES > blockBytes) s++;
        if (s < stages) {
            int block = span(plan, s);
            for (int lo = 0; lo < h; lo += block) for (int t = stages - 1; t >= s; t--) ditStage(plan, t, re, im, lo, lo + block, b);
        }
        for (int t = s - 1; t >= 0; t--) ditStage(plan, t, re, im, 0, h, b);
    }

    /** Rows spanned by one block of stage s: p_s·m_s. */
    private static int span(FftPlan plan, int s) { return plan.radix(s) * plan.m(s); }

    private static void difStage(FftPlan plan, int s, float[] re, float[] im, int lo, int hi, int b) {
        int m = plan.m(s), span = span(plan, s);
        if (plan.radix(s) == 4) dif4(re, im, plan.twiddlesRe(s), plan.twiddlesIm(s), m, span, lo, hi, b);
        else radix2(re, im, plan.twiddlesRe(s), plan.twiddlesIm(s), m, span, lo, hi, b, false);
    }

    private static void ditStage(FftPlan plan, int s, float[] re, float[] im, int lo, int hi, int b) {
        int m = plan.m(s), span = span(plan, s);
        if (plan.radix(s) == 4) dit4(re, im, plan.twiddlesRe(s), plan.twiddlesIm(s), m, span, lo, hi, b);
        else radix2(re, im, plan.twiddlesRe(s), plan.twiddlesIm(s), m, span, lo, hi, b, true);
    }

    // ---- radix 4, dif: b0 = a0 + a2, b1 = a0 − a2, b2 = a1 + a3, b3 = −i·(a1 − a3);
    //      y0 = b0 + b2, y1 = (b1 + b3)·W^j, y2 = (b0 − b2)·W^2j, y3 = (b1 − b3)·W^3j   (FftStages.radix4's arithmetic)

    static void dif4(float[] re, float[] im, float[] tr, float[] ti, int m, int span, int lo, int hi, int b) {
        int bound = S.loopBound(b), mb = m * b;
        for (int base = lo; base < hi; base += span) {
            for (int j = 0; j < m; j++) {
                int i0 = (base + j) * b, i1 = i0 + mb, i2 = i1 + mb, i3 = i2 + mb;
                FloatVector w1r = FloatVector.broadcast(S, tr[3 * j]), w1i = FloatVector.broadcast(S, ti[3 * j]);
                FloatVector w2r = FloatVector.broadcast(S, tr[3 * j + 1]), w2i = FloatVector.broadcast(S, ti[3 * j + 1]);
                FloatVector w3r = FloatVector.broadcast(S, tr[3 * j + 2]), w3i = FloatVector.broadcast(S, ti[3 * j + 2]);
                for (int q = 0; q < bound; q += L) {
                    FloatVector a0r = FloatVector.fromArray(S, re, i0 + q), a0i = FloatVector.fromArray(S, im, i0 + q);
                    FloatVector a1r = FloatVector.fromArray(S, re, i1 + q), a1i = FloatVector.fromArray(S, im, i1 + q);
                    FloatVector a2r = FloatVector.fromArray(S, re, i2 + q), a2i = FloatVector.fromArray(S, im, i2 + q);
                    FloatVector a3r = FloatVector.fromArray(S, re, i3 + q), a3i = FloatVector.fromArray(S, im, i3 + q);
                    FloatVector b0r = a0r.add(a2r), b0i = a0i.add(a2i), b1r = a0r.sub(a2r), b1i = a0i.sub(a2i);
                    FloatVector b2r = a1r.add(a3r), b2i = a1i.add(a3i), b3r = a1i.sub(a3i), b3i = a3r.sub(a1r);
                    b0r.add(b2r).intoArray(re, i0 + q);
                    b0i.add(b2i).intoArray(im, i0 + q);
                    FloatVector cr = b1r.add(b3r), ci = b1i.add(b3i);
                    cr.mul(w1r).sub(ci.mul(w1i)).intoArray(re, i1 + q);
                    cr.mul(w1i).add(ci.mul(w1r)).intoArray(im, i1 + q);
                    cr = b0r.sub(b2r);
                    ci = b0i.sub(b2i);
                    cr.mul(w2r).sub(ci.mul(w2i)).intoArray(re, i2 + q);
                    cr.mul(w2i).add(ci.mul(w2r)).intoArray(im, i2 + q);
                    cr = b1r.sub(b3r);
                    ci = b1i.sub(b3i);
                    cr.mul(w3r).sub(ci.mul(w3i)).intoArray(re, i3 + q);
                    cr.mul(w3i).add(ci.mul(w3r)).intoArray(im, i3 + q);
                }
                if (bound < b) dif4Scalar(re, im, tr, ti, j, i0, mb, bound, b);
            }
        }
    }

    static void dif4Scalar(float[] re, float[] im, float[] tr, float[] ti, int j, int i0, int mb, int from, int to) {
        int i1 = i0 + mb, i2 = i1 + mb, i3 = i2 + mb;
        float w1r = tr[3 * j], w1i = ti[3 * j], w2r = tr[3 * j + 1], w2i = ti[3 * j + 1];
        float w3r = tr[3 * j + 2], w3i = ti[3 * j + 2];
        for (int q = from; q < to; q++) {
            float a0r = re[i0 + q], a0i = im[i0 + q], a1r = re[i1 + q], a1i = im[i1 + q];
            float a2r = re[i2 + q], a2i = im[i2 + q], a3r = re[i3 + q], a3i = im[i3 + q];
            float b0r = a0r + a2r, b0i = a0i + a2i, b1r = a0r - a2r, b1i = a0i - a2i;
            float b2r = a1r + a3r, b2i = a1i + a3i, b3r = a1i - a3i, b3i = a3r - a1r;
            re[i0 + q] = b0r + b2r;
            im[i0 + q] = b0i + b2i;
            float cr = b1r + b3r, ci = b1i + b3i;
            re[i1 + q] = cr * w1r - ci * w1i;
            im[i1 + q] = cr * w1i + ci * w1r;
            cr = b0r - b2r;
            ci = b0i - b2i;
            re[i2 + q] = cr * w2r - ci * w2i;
            im[i2 + q] = cr * w2i + ci * w2r;
            cr = b1r - b3r;
            ci = b1i - b3i;
            re[i3 + q] = cr * w3r - ci * w3i;
            im[i3 + q] = cr * w3i + ci * w3r;
        }
    }

    // ---- radix 4, dit: a1' = a1·W^j, a2' = a2·W^2j, a3' = a3·W^3j;  b0 = a0 + a2', b1 = a0 − a2', b2 = a1' + a3',
    //      b3 = −i·(a1' − a3');  y0 = b0 + b2, y1 = b1 + b3, y2 = b0 − b2, y3 = b1 − b3

    static void dit4(float[] re, float[] im, float[] tr, float[] ti, int m, int span, int lo, int hi, int b) {
        int bound = S.loopBound(b), mb = m * b;
        for (int base = lo; base < hi; base += span) {
            for (int j = 0; j < m; j++) {
                int i0 = (base + j) * b, i1 = i0 + mb, i2 = i1 + mb, i3 = i2 + mb;
                FloatVector w1r = FloatVector.broadcast(S, tr[3 * j]), w1i = FloatVector.broadcast(S, ti[3 * j]);
                FloatVector w2r = FloatVector.broadcast(S, tr[3 * j + 1]), w2i = FloatVector.broadcast(S, ti[3 * j + 1]);
                FloatVector w3r = FloatVector.broadcast(S, tr[3 * j + 2]), w3i = FloatVector.broadcast(S, ti[3 * j + 2]);
                for (int q = 0; q < bound; q += L) {
                    FloatVector a0r = FloatVector.fromArray(S, re, i0 + q), a0i = FloatVector.fromArray(S, im, i0 + q);
                    FloatVector xr = FloatVector.fromArray(S, re, i1 + q), xi = FloatVector.fromArray(S, im, i1 + q);
                    FloatVector a1r = xr.mul(w1r).sub(xi.mul(w1i)), a1i = xr.mul(w1i).add(xi.mul(w1r));
                    xr = FloatVector.fromArray(S, re, i2 + q);
                    xi = FloatVector.fromArray(S, im, i2 + q);
                    FloatVector a2r = xr.mul(w2r).sub(xi.mul(w2i)), a2i = xr.mul(w2i).add(xi.mul(w2r));
                    xr = FloatVector.fromArray(S, re, i3 + q);
                    xi = FloatVector.fromArray(S, im, i3 + q);
                    FloatVector a3r = xr.mul(w3r).sub(xi.mul(w3i)), a3i = xr.mul(w3i).add(xi.mul(w3r));
                    FloatVector b0r = a0r.add(a2r), b0i = a0i.add(a2i), b1r = a0r.sub(a2r), b1i = a0i.sub(a2i);
                    FloatVector b2r = a1r.add(a3r), b2i = a1i.add(a3i), b3r = a1i.sub(a3i), b3i = a3r.sub(a1r);
                    b0r.add(b2r).intoArray(re, i0 + q);
                    b0i.add(b2i).intoArray(im, i0 + q);
                    b1r.add(b3r).intoArray(re, i1 + q);
                    b1i.add(b3i).intoArray(im, i1 + q);
                    b0r.sub(b2r).intoArray(re, i2 + q);
                    b0i.sub(b2i).intoArray(im, i2 + q);
                    b1r.sub(b3r).intoArray(re, i3 + q);
                    b1i.sub(b3i).intoArray(im, i3 + q);
                }
                if (bound < b) dit4Scalar(re, im, tr, ti, j, i0, mb, bound, b);
            }
        }
    }

    static void dit4Scalar(float[] re, float[] im, float[] tr, float[] ti, int j, int i0, int mb, int from, int to) {
        int i1 = i0 + mb, i2 = i1 + mb, i3 = i2 + mb;
        float w1r = tr[3 * j], w1i = ti[3 * j], w2r = tr[3 * j + 1], w2i = ti[3 * j + 1];
        float w3r = tr[3 * j + 2], w3i = ti[3 * j + 2];
        for (int q = from; q < to; q++) {
            float a0r = re[i0 + q], a0i = im[i0 + q];
            float xr = re[i1 + q], xi = im[i1 + q];
            float a1r = xr * w1r - xi * w1i, a1i = xr * w1i + xi * w1r;
            xr = re[i2 + q];
            xi = im[i2 + q];
            float a2r = xr * w2r - xi * w2i, a2i = xr * w2i + xi * w2r;
            xr = re[i3 + q];
            xi = im[i3 + q];
            float a3r = xr * w3r - xi * w3i, a3i = xr * w3i + xi * w3r;
            float b0r = a0r + a2r, b0i = a0i + a2i, b1r = a0r - a2r, b1i = a0i - a2i;
            float b2r = a1r + a3r, b2i = a1i + a3i, b3r = a1i - a3i, b3i = a3r - a1r;
            re[i0 + q] = b0r + b2r;
            im[i0 + q] = b0i + b2i;
            re[i1 + q] = b1r + b3r;
            im[i1 + q] = b1i + b3i;
            re[i2 + q] = b0r - b2r;
            im[i2 + q] = b0i - b2i;
            re[i3 + q] = b1r - b3r;
            im[i3 + q] = b1i - b3i;
        }
    }

    // ---- radix 2, dif: y0 = a0 + a1, y1 = (a0 − a1)·W^j;  dit: a1' = a1·W^j, y0 = a0 + a1', y1 = a0 − a1'

    static void radix2(float[] re, float[] im, float[] tr, float[] ti, int m, int span, int lo, int hi, int b, boolean dit) {
        int bound = S.loopBound(b), mb = m * b;
        for (int base = lo; base < hi; base += span) {
            for (int j = 0; j < m; j++) {
                int i0 = (base + j) * b, i1 = i0 + mb;
                FloatVector wr = FloatVector.broadcast(S, tr[j]), wi = FloatVector.broadcast(S, ti[j]);
                for (int q = 0; q < bound; q += L) {
                    FloatVector a0r = FloatVector.fromArray(S, re, i0 + q), a0i = FloatVector.fromArray(S, im, i0 + q);
                    FloatVector a1r = FloatVector.fromArray(S, re, i1 + q), a1i = FloatVector.fromArray(S, im, i1 + q);
                    if (dit) {
                        FloatVector xr = a1r;
                        a1r = xr.mul(wr).sub(a1i.mul(wi));
                        a1i = xr.mul(wi).add(a1i.mul(wr));
                        a0r.add(a1r).intoArray(re, i0 + q);
                        a0i.add(a1i).intoArray(im, i0 + q);
                        a0r.sub(a1r).intoArray(re, i1 + q);
                        a0i.sub(a1i).intoArray(im, i1 + q);
                    } else {
                        a0r.add(a1r).intoArray(re, i0 + q);
                        a0i.add(a1i).intoArray(im, i0 + q);
                        FloatVector dr = a0r.sub(a1r), di = a0i.sub(a1i);
                        dr.mul(wr).sub(di.mul(wi)).intoArray(re, i1 + q);
                        dr.mul(wi).add(di.mul(wr)).intoArray(im, i1 + q);
                    }
                }
                if (bound < b) radix2Scalar(re, im, tr[j], ti[j], i0, mb, bound, b, dit);
            }
        }
    }

    static void radix2Scalar(float[] re, float[] im, float wr, float wi, int i0, int mb, int from, int to, boolean dit) {
        int i1 = i0 + mb;
        for (int q = from; q < to; q++) {
            float a0r = re[i0 + q], a0i = im[i0 + q], a1r = re[i1 + q], a1i = im[i1 + q];
            if (dit) {
                float xr = a1r;
                a1r = xr * wr - a1i * wi;
                a1i = xr * wi + a1i * wr;
                re[i0 + q] = a0r + a1r;
                im[i0 + q] = a0i + a1i;
                re[i1 + q] = a0r - a1r;
                im[i1 + q] = a0i - a1i;
            } else {
                re[i0 + q] = a0r + a1r;
                im[i0 + q] = a0i + a1i;
                float dr = a0r - a1r, di = a0i - a1i;
                re[i1 + q] = dr * wr - di * wi;
                im[i1 + q] = dr * wi + di * wr;
            }
        }
    }

    // ---- the real transform of length 2h, by position (see the class comment for row 0's packing)

    /**
     * In place, Z = dif of z[t] = x[2t] + i·x[2t+1] → the half spectrum of x by position, {@link FftCpu#realPostLanes}'s
     * formulas (the same float operations per bin), each pair (k, h − k) read and written together.
     */
    static void realPost(float[] re, float[] im, int b, FftPlan plan, int[] pos) {
        int h = plan.length(), bound = S.loopBound(b);
        float[] twr = plan.realTwiddlesRe(), twi = plan.realTwiddlesIm();
        for (int l = 0; l < b; l++) {   // X[0] = Re Z0 + Im Z0, X[h] = Re Z0 − Im Z0
            float zr = re[l], zi = im[l];
            re[l] = zr + zi;
            im[l] = zr - zi;
        }
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        int[] bins = bins(plan);
        // rows in order, each pair (k, h − k) once, from its lower row: one of the two streams is sequential (bins
        // ascending sent both rows all over the array: realPost and realPre were 15 % of kernel-rpe at n = 65536)
        for (int p = 1; p < h; p++) {
            int k = bins[p], c = h - k;
            if (pos[c] < p) continue;
            int pa = p * b, pc = pos[c] * b;
            FloatVector wkr = FloatVector.broadcast(S, twr[k]), wki = FloatVector.broadcast(S, twi[k]);
            FloatVector wcr = FloatVector.broadcast(S, twr[c]), wci = FloatVector.broadcast(S, twi[c]);
            for (int l = 0; l < bound; l += L) {
                FloatVector ar = FloatVector.fromArray(S, re, pa + l), ai = FloatVector.fromArray(S, im, pa + l);
                FloatVector cr = FloatVector.fromArray(S, re, pc + l), ci = FloatVector.fromArray(S, im, pc + l);
                FloatVector er = ar.add(cr).mul(half), ei = ai.sub(ci).mul(half);
                FloatVector dr = ar.sub(cr).mul(half), di = ai.add(ci).mul(half);
                FloatVector xr = er.add(wkr.mul(di)).add(wki.mul(dr)), xi = ei.sub(wkr.mul(dr)).add(wki.mul(di));
                if (c != k) {   // X[h − k]: a and c swapped
                    FloatVector fr = cr.add(ar).mul(half), fi = ci.sub(ai).mul(half);
                    FloatVector gr = cr.sub(ar).mul(half), gi = ci.add(ai).mul(half);
                    fr.add(wcr.mul(gi)).add(wci.mul(gr)).intoArray(re, pc + l);
                    fi.sub(wcr.mul(gr)).add(wci.mul(gi)).intoArray(im, pc + l);
                }
                xr.intoArray(re, pa + l);
                xi.intoArray(im, pa + l);
            }
            if (bound < b) realPostScalar(re, im, pa, pc, twr[k], twi[k], twr[c], twi[c], c != k, bound, b);
        }
    }

    static void realPostScalar(float[] re, float[] im, int pa, int pc, float wkr, float wki, float wcr, float wci,
                               boolean pair, int from, int to) {
        for (int l = from; l < to; l++) {
            float ar = re[pa + l], ai = im[pa + l], cr = re[pc + l], ci = im[pc + l];
            float er = (ar + cr) * 0.5f, ei = (ai - ci) * 0.5f, dr = (ar - cr) * 0.5f, di = (ai + ci) * 0.5f;
            float xr = er + wkr * di + wki * dr, xi = ei - wkr * dr + wki * di;
            if (pair) {
                float fr = (cr + ar) * 0.5f, fi = (ci - ai) * 0.5f, gr = (cr - ar) * 0.5f, gi = (ci + ai) * 0.5f;
                re[pc + l] = fr + wcr * gi + wci * gr;
                im[pc + l] = fi - wcr * gr + wci * gi;
            }
            re[pa + l] = xr;
            im[pa + l] = xi;
        }
    }

    /**
     * In place, the inverse of {@link #realPost}: from the half spectrum by position, Z by position (ready for
     * {@link #dit} of the swapped pair), scaled by {@code scale}; {@link FftCpu#realPreLanes}'s formulas.
     */
    static void realPre(float[] re, float[] im, int b, FftPlan plan, int[] pos, float scale) {
        realPre(re, im, b, plan, pos, scale, null, null);
    }

    /**
     * {@link #realPre} of X ⊙ spec (spec by position, row 0 = (spec[0], spec[h]) as X's) when specRe is not null: each
     * row is multiplied as it is loaded, with {@link ToeplitzCpu#multiplyLanes}' operations, so the result is the
     * product pass then realPre bit for bit, without the product's own sweep over the chunk (a read and a write of
     * 2·h·b floats per inverse product).
     */
    static void realPre(float[] re, float[] im, int b, FftPlan plan, int[] pos, float scale, float[] specRe, float[] specIm) {
        int h = plan.length(), bound = S.loopBound(b);
        float[] twr = plan.realTwiddlesRe(), twi = plan.realTwiddlesIm();
        for (int l = 0; l < b; l++) {   // Z0 = (X[0] + X[h])·scale + i·(X[0] − X[h])·scale
            float x0 = specRe == null ? re[l] : re[l] * specRe[0], xh = specRe == null ? im[l] : im[l] * specIm[0];
            re[l] = (x0 + xh) * scale;
            im[l] = (x0 - xh) * scale;
        }
        FloatVector f = FloatVector.broadcast(S, scale);
        int[] bins = bins(plan);
        for (int p = 1; p < h; p++) {   // rows in order, each pair once (see realPost)
            int k = bins[p], c = h - k;
            if (pos[c] < p) continue;
            int pa = p * b, pc = pos[c] * b;
            if (specRe != null) {   // the product's tail lanes first: the scalar tail below reads them multiplied
                ToeplitzCpu.multiplyScalarLanes(re, im, b, specRe[p], specIm[p], pa, bound);
                if (pc != pa) ToeplitzCpu.multiplyScalarLanes(re, im, b, specRe[pos[c]], specIm[pos[c]], pc, bound);
            }
            FloatVector wkr = FloatVector.broadcast(S, twr[k]), wki = FloatVector.broadcast(S, twi[k]);
            FloatVector wcr = FloatVector.broadcast(S, twr[c]), wci = FloatVector.broadcast(S, twi[c]);
            FloatVector sar = null, sai = null, scr = null, sci = null;
            if (specRe != null) {
                sar = FloatVector.broadcast(S, specRe[p]);
                sai = FloatVector.broadcast(S, specIm[p]);
                scr = FloatVector.broadcast(S, specRe[pos[c]]);
                sci = FloatVector.broadcast(S, specIm[pos[c]]);
            }
            for (int l = 0; l < bound; l += L) {
                FloatVector ar = FloatVector.fromArray(S, re, pa + l), ai = FloatVector.fromArray(S, im, pa + l);
                FloatVector cr = FloatVector.fromArray(S, re, pc + l), ci = FloatVector.fromArray(S, im, pc + l);
                if (sar != null) {
                    FloatVector t = ar;
                    ar = t.mul(sar).sub(ai.mul(sai));
                    ai = t.mul(sai).add(ai.mul(sar));
                    t = cr;
                    cr = t.mul(scr).sub(ci.mul(sci));
                    ci = t.mul(sci).add(ci.mul(scr));
                }
                FloatVector er = ar.add(cr).mul(f), ei = ai.sub(ci).mul(f);
                FloatVector dr = ar.sub(cr).mul(f), di = ai.add(ci).mul(f);
                FloatVector zr = er.sub(wkr.mul(di)).add(wki.mul(dr)), zi = ei.add(wkr.mul(dr)).add(wki.mul(di));
                if (c != k) {
                    FloatVector fr = cr.add(ar).mul(f), fi = ci.sub(ai).mul(f);
                    FloatVector gr = cr.sub(ar).mul(f), gi = ci.add(ai).mul(f);
                    fr.sub(wcr.mul(gi)).add(wci.mul(gr)).intoArray(re, pc + l);
                    fi.add(wcr.mul(gr)).add(wci.mul(gi)).intoArray(im, pc + l);
                }
                zr.intoArray(re, pa + l);
                zi.intoArray(im, pa + l);
            }
            if (bound < b) realPreScalar(re, im, pa, pc, twr[k], twi[k], twr[c], twi[c], c != k, scale, bound, b);
        }
    }

    static void realPreScalar(float[] re, float[] im, int pa, int pc, float wkr, float wki, float wcr, float wci,
                              boolean pair, float scale, int from, int to) {
        for (int l = from; l < to; l++) {
            float ar = re[pa + l], ai = im[pa + l], cr = re[pc + l], ci = im[pc + l];
            float er = (ar + cr) * scale, ei = (ai - ci) * scale, dr = (ar - cr) * scale, di = (ai + ci) * scale;
            float zr = er - wkr * di + wki * dr, zi = ei + wkr * dr + wki * di;
            if (pair) {
                float fr = (cr + ar) * scale, fi = (ci - ai) * scale, gr = (cr - ar) * scale, gi = (ci + ai) * scale;
                re[pc + l] = fr - wcr * gi + wci * gr;
                im[pc + l] = fi + wcr * gr + wci * gi;
            }
            re[pa + l] = zr;
            im[pa + l] = zi;
        }
    }

    /** A natural half spectrum (k ≤ h) by position, row 0 packed: out[pos[k]] = X[k] (k &lt; h), out[0] = (X0, Xh). */
    static void toPositions(float[] re, float[] im, int[] pos, int h, float[] outRe, float[] outIm) {
        for (int k = 1; k < h; k++) {
            outRe[pos[k]] = re[k];
            outIm[pos[k]] = im[k];
        }
        outRe[0] = re[0];
        outIm[0] = re[h];
    }

    /** The inverse of {@link #toPositions}: X[0] and X[h] real. */
    static void fromPositions(float[] re, float[] im, int[] pos, int h, float[] outRe, float[] outIm) {
        for (int k = 1; k < h; k++) {
            outRe[k] = re[pos[k]];
            outIm[k] = im[pos[k]];
        }
        outRe[0] = re[0];
        outIm[0] = 0f;
        outRe[h] = im[0];
        outIm[h] = 0f;
    }
}
