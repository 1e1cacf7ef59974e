package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Long transforms in the columns layout (element t of transform b at [t·B + b]) in two cache-sized passes
 * (four-step, Bailey 1990) instead of one sweep over the whole array per Stockham stage. With n = n1·n2
 * ({@link FftPlan#fourStepN1()}), t = t1·n2 + t2 and k = k1 + n1·k2:
 * <pre>
 *   step 1, in place:  Y[k1·n2 + t2] = W_n^{t2·k1} · Σ_{t1} x[t1·n2 + t2]·W_{n1}^{t1·k1}     (n2 transforms of n1)
 *   step 2, x → y:     X[k1 + n1·k2] = Σ_{t2} Y[k1·n2 + t2]·W_{n2}^{t2·k2}                    (n1 transforms of n2)
 * </pre>
 * Each step takes {@code G} neighbouring transforms at a time (G·B floats per row, {@value #ROW_FLOATS} here),
 * copies their rows into a small per-thread block, runs {@link FftStages} on it with batch G·B while it sits in L2
 * (n1 or n2 rows of G·B complex floats: 128 KiB with its scratch at n1 = 256, B = 16), and copies the rows out. So
 * the big arrays are read and written twice per transform instead of once per radix stage (8 times at n = 65536).
 *
 * <p>Why. kernel-rpe's chunks at n = 65536 are (65536, 16) complex: 8 MB per array pair. The plain stages stream
 * 16 MB per stage per thread, and two threads at once overflow the shared L3: per-point butterfly cost on two threads
 * rose 4–6× from h = 32768 to 65536 while it stayed flat on one (bench/RESULTS.md, issue 11).
 *
 * <p>Results differ from {@link FftStages#run} on the whole length by float rounding (another factorisation, plus
 * the step-1 twiddle). The route depends on the length and batch alone, never on the thread count. The vector
 * twiddle loop finishes its tail lanes with the scalar twin {@link #twiddleScalar}.
 */
final class FftBlocked {
    private FftBlocked() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Floats per gathered row (G·B): 256 bytes, four cache lines. */
    static int ROW_FLOATS = 64;
    /** From this length on the columns go blocked (measured: bench/RESULTS.md, issue 11, session 6). */
    static final int MIN_LENGTH = 16384;

    /** Per thread: the block and its stage scratch [re, im, re', im'], grown on demand. */
    private static final ThreadLocal<float[][]> BLOCK = ThreadLocal.withInitial(() -> new float[4][0]);

    /** True when {@link #run} is the route for this plan and batch. */
    static boolean applies(FftPlan plan, int batch) {
        return plan.length() >= MIN_LENGTH && plan.fourStepN1() != 0;
    }

    /**
     * The transforms of plan's length over the batch in (xr, xi), result in (yr, yi); (xr, xi) is overwritten.
     * Same contract as {@link FftStages#run} (which returns where the result is): here always (yr, yi).
     */
    static boolean run(FftPlan plan, float[] xr, float[] xi, float[] yr, float[] yi, int batch) {
        int n1 = plan.fourStepN1(), n2 = plan.fourStepN2();
        int group = Math.max(1, ROW_FLOATS / batch);
        float[][] blk = block(Math.max(n1, n2) * group * batch);
        FftPlan p1 = FftPlan.of(n1), p2 = FftPlan.of(n2);
        float[] wr = plan.fourStepRe(), wi = plan.fourStepIm();
        // step 1: transforms over t1 (rows t1·n2 + t2, stride n2·B) for G neighbouring t2 at a time
        for (int t2a = 0; t2a < n2; t2a += group) {
            int g = Math.min(group, n2 - t2a), w = g * batch;
            for (int t1 = 0; t1 < n1; t1++) {
                int from = (t1 * n2 + t2a) * batch;
                copy(xr, from, blk[0], t1 * w, w);
                copy(xi, from, blk[1], t1 * w, w);
            }
            boolean inY = FftStages.run(p1, blk[0], blk[1], blk[2], blk[3], w);
            float[] rr = inY ? blk[2] : blk[0], ri = inY ? blk[3] : blk[1];
            for (int k1 = 0; k1 < n1; k1++) {
                int to = (k1 * n2 + t2a) * batch;
                for (int j = 0; j < g; j++) {
                    twiddle(rr, ri, k1 * w + j * batch, xr, xi, to + j * batch, wr[k1 * n2 + t2a + j], wi[k1 * n2 + t2a + j], batch);
                }
            }
        }
        // step 2: transforms over t2 (rows k1·n2 + t2, contiguous per k1) for G neighbouring k1 at a time
        for (int k1a = 0; k1a < n1; k1a += group) {
            int g = Math.min(group, n1 - k1a), w = g * batch;
            for (int t2 = 0; t2 < n2; t2++) {
                for (int j = 0; j < g; j++) {
                    int from = ((k1a + j) * n2 + t2) * batch;
                    copy(xr, from, blk[0], t2 * w + j * batch, batch);
                    copy(xi, from, blk[1], t2 * w + j * batch, batch);
                }
            }
            boolean inY = FftStages.run(p2, blk[0], blk[1], blk[2], blk[3], w);
            float[] rr = inY ? blk[2] : blk[0], ri = inY ? blk[3] : blk[1];
            // X[k1 + n1·k2] for the G neighbouring k1 are neighbouring rows: one copy of G·B floats per k2
            for (int k2 = 0; k2 < n2; k2++) {
                int to = (k1a + n1 * k2) * batch;
                copy(rr, k2 * w, yr, to, w);
                copy(ri, k2 * w, yi, to, w);
            }
        }
        return true;
    }

    /** dst[to + l] = src[from + l]·(cr + i·ci) for l &lt; b, complex: vectors, then the scalar twin's tail. */
    private static void twiddle(float[] sr, float[] si, int from, float[] dr, float[] di, int to, float cr, float ci, int b) {
        int l = 0;
        if (b >= L) {
            FloatVector vr = FloatVector.broadcast(S, cr), vi = FloatVector.broadcast(S, ci);
            for (int bound = S.loopBound(b); l < bound; l += L) {
                FloatVector ar = FloatVector.fromArray(S, sr, from + l), ai = FloatVector.fromArray(S, si, from + l);
                ar.mul(vr).sub(ai.mul(vi)).intoArray(dr, to + l);
                ar.mul(vi).add(ai.mul(vr)).intoArray(di, to + l);
            }
        }
        if (l < b) twiddleScalar(sr, si, from, dr, di, to, cr, ci, l, b);
    }

    /** The twin of {@link #twiddle} for lanes [from, to): the same products as FftCpu's four-step transpose. */
    static void twiddleScalar(float[] sr, float[] si, int from, float[] dr, float[] di, int to, float cr, float ci,
                              int l0, int l1) {
        for (int l = l0; l < l1; l++) {
            float ar = sr[from + l], ai = si[from + l];
            dr[to + l] = ar * cr - ai * ci;
            di[to + l] = ar * ci + ai * cr;
        }
    }

    /**
     * dst[to …] = src[from …], len floats: vector moves, the tail through arraycopy. A System.arraycopy per row of 16
     * floats costs a call each (65536 per array in step 2 at n = 65536).
     */
    private static void copy(float[] src, int from, float[] dst, int to, int len) {
        int l = 0;
        for (int bound = S.loopBound(len); l < bound; l += L) FloatVector.fromArray(S, src, from + l).intoArray(dst, to + l);
        if (l < len) System.arraycopy(src, from + l, dst, to + l, len - l);
    }

    private static float[][] block(int size) {
        float[][] s = BLOCK.get();
        for (int i = 0; i < s.length; i++) if (s[i].length < size) s[i] = new float[size];
        return s;
    }
}
