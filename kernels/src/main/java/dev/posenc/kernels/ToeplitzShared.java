package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * {@link ToeplitzCpu}'s products for long sequences: the column chunks one after another, every pass of a chunk
 * (packing, each Stockham stage, the real untangling, the spectrum product, the unpacking, the weight gradient's
 * cross spectrum) split over all the threads, instead of one chunk per thread.
 *
 * <p>Why. A chunk's scratch is six arrays of (h + 1)·16 floats: 25 MB at n = 65536. With one chunk per thread, two
 * threads stream 50 MB through the stages, past the shared last-level cache (32 MB on a Zen 5 CCD; the VM shows
 * none), and the butterflies cost several times more per point than at n = 32768 (two threads on their own arrays:
 * 0.6–0.8 ns per point·log₂h at h = 65536 against 0.15–0.2 at 16384; one chunk split over both: 0.2–0.6,
 * bench/RESULTS.md). That step was what kept kernel-rpe's 32k → 64k doubling above 2.3 (the butterflies' samples grew
 * 2.8× from 32k to 64k where n log n predicts 2.1). Sharing one chunk halves the bytes in flight, at the price of a
 * barrier per pass (about 40 per chunk, each pass 0.1–2 ms at these sizes).
 *
 * <p>Same bits as the one-chunk-per-thread route: every element gets the same float operations (the passes are split
 * by index ranges, never by partial sums), the weight gradient's chunks are added into the same fixed groups in
 * ascending chunk order, and chunks narrower than a vector still go column by column ({@link ToeplitzNarrow}).
 * ToeplitzCpuTest checks both routes against each other bit for bit.
 */
final class ToeplitzShared {
    private ToeplitzShared() {}

    /**
     * The share of the last-level cache the threads' scratch may take, in bytes: half of Zen 5's 32 MB per CCD (lscpu
     * in the VM shows no L3; the CCD's other cores belong to other tenants, and the 4–17 MB chunk buffers of
     * RpeKernelAttention stream through it too). With 32 MB the route started at h = 65536 only; 16 MB (from h =
     * 32768) made n = 32768 faster as well, in 3 of 3 alternated rounds (bench/RESULTS.md, issue 11, session 5).
     */
    static final long CACHE_BYTES = 16L << 20;

    /**
     * True when the threads' chunk scratch (six arrays of (h + 1)·cols floats each) would pass {@code cacheBytes}:
     * from h = 32768 (16 columns) on two threads. Needs two threads and a plan of radices 2 to 5.
     */
    static boolean applies(Parallel parallel, FftPlan plan, int cols, long cacheBytes) {
        long scratch = 6L * (plan.length() + 1) * cols * Float.BYTES;
        return parallel.threads() > 1 && scratch * parallel.threads() > cacheBytes && FftStages.splittable(plan);
    }

    /** {@link ToeplitzCpu#multiply} from the weight spectra on: out = T·x, chunk by chunk. */
    static void multiply(Parallel parallel, FftPlan plan, Tensor out, Tensor x, float[][] specRe, float[][] specIm,
                         int heads, int n, int c) {
        int h = plan.length(), cols = ToeplitzCpu.chunk(h);
        for (int hd = 0; hd < heads; hd++) {
            for (int c0 = 0; c0 < c; c0 += cols) {
                int b = Math.min(cols, c - c0);
                if (ToeplitzNarrow.applies(b)) {
                    ToeplitzCpu.multiplyNarrow(out, x, specRe[hd], specIm[hd], hd, n, c, c0, b, h);
                    continue;
                }
                float[][] sc = FftCpu.scratch((h + 1) * b);
                boolean inY = forward(parallel, plan, x.data(), hd, n, c, c0, b, sc);
                float[] zr = inY ? sc[2] : sc[0], zi = inY ? sc[3] : sc[1], yr = inY ? sc[0] : sc[2], yi = inY ? sc[1] : sc[3];
                post(parallel, plan, zr, zi, b, sc[4], sc[5]);
                inverseProduct(parallel, plan, sc[4], sc[5], specRe[hd], specIm[hd], zr, zi, yr, yi, out.data(), hd, n, c, c0, b);
            }
        }
    }

    /**
     * {@link ToeplitzCpu#backward} from the weight spectra on: y, dx (either may be null) and the weight gradient's
     * partial spectra (gRe, gIm: heads·groups of h + 1, null without dw), chunk ch of head hd into group ch mod groups.
     */
    static void backward(Parallel parallel, FftPlan plan, Tensor y, Tensor dx, float[][] gRe, float[][] gIm, int groups,
                         float[][] specRe, float[][] specIm, float[][] revRe, float[][] revIm, Tensor x, Tensor dOut,
                         int heads, int n, int c) {
        int h = plan.length(), cols = ToeplitzCpu.chunk(h);
        boolean dw = gRe != null;
        for (int hd = 0; hd < heads; hd++) {
            for (int ch = 0, c0 = 0; c0 < c; ch++, c0 += cols) {
                int b = Math.min(cols, c - c0), task = hd * groups + ch % groups;
                float[] gr = dw ? gRe[task] : null, gi = dw ? gIm[task] : null;
                if (ToeplitzNarrow.applies(b)) {
                    ToeplitzCpu.backwardNarrow(y, dx, gr, gi, specRe[hd], specIm[hd], revRe[hd], revIm[hd], x, dOut, hd, n,
                            c, c0, b, h);
                    continue;
                }
                float[][] sc = FftCpu.scratch((h + 1) * b);
                if (dw || dx != null) {                           // dOut's half spectrum to (sc[4], sc[5])
                    boolean inY = forward(parallel, plan, dOut.data(), hd, n, c, c0, b, sc);
                    post(parallel, plan, inY ? sc[2] : sc[0], inY ? sc[3] : sc[1], b, sc[4], sc[5]);
                }
                float[] fr = sc[0], fi = sc[1], er = sc[2], ei = sc[3];
                if (dw || y != null) {                            // x's to the pair the transform left free
                    boolean inY = forward(parallel, plan, x.data(), hd, n, c, c0, b, sc);
                    fr = inY ? sc[0] : sc[2];
                    fi = inY ? sc[1] : sc[3];
                    er = inY ? sc[2] : sc[0];
                    ei = inY ? sc[3] : sc[1];
                    post(parallel, plan, er, ei, b, fr, fi);
                }
                if (dw) {
                    float[] xr = fr, xi = fi;
                    parallel.forRange(h + 1, 1, (k0, k1) -> ToeplitzCpu.crossLanes(gr, gi, sc[4], sc[5], xr, xi, b, (int) k0, (int) k1));
                }
                if (y != null) inverseProduct(parallel, plan, fr, fi, specRe[hd], specIm[hd], er, ei, fr, fi, y.data(), hd, n, c, c0, b);
                if (dx != null) inverseProduct(parallel, plan, sc[4], sc[5], revRe[hd], revIm[hd], er, ei, fr, fi, dx.data(), hd, n, c, c0, b);
            }
        }
    }

    /** Pack columns [c0, c0 + b) of head hd into (sc[0], sc[1]) and transform; true when the spectrum is in (sc[2], sc[3]). */
    private static boolean forward(Parallel parallel, FftPlan plan, MemorySegment src, int hd, int n, int c, int c0, int b,
                                   float[][] sc) {
        float[] zr = sc[0], zi = sc[1];
        parallel.forRange(plan.length(), 1, (t0, t1) -> ToeplitzCpu.packChunk(src, hd, n, c, c0, b, zr, zi, (int) t0, (int) t1));
        return FftStages.runShared(parallel, plan, zr, zi, sc[2], sc[3], b);
    }

    private static void post(Parallel parallel, FftPlan plan, float[] zr, float[] zi, int b, float[] outRe, float[] outIm) {
        parallel.forRange(plan.length() + 1, 1, (k0, k1) -> FftCpu.realPostLanes(zr, zi, b, plan, outRe, outIm, (int) k0, (int) k1));
    }

    /** ToeplitzCpu's inverseProduct, each pass split: X in (xr, xi) is overwritten; (zr, zi), (yr, yi) scratch. */
    private static void inverseProduct(Parallel parallel, FftPlan plan, float[] xr, float[] xi, float[] specRe,
                                       float[] specIm, float[] zr, float[] zi, float[] yr, float[] yi, MemorySegment out,
                                       int hd, int n, int c, int c0, int b) {
        int h = plan.length();
        parallel.forRange(h + 1, 1, (k0, k1) -> ToeplitzCpu.multiplyLanes(xr, xi, b, specRe, specIm, (int) k0, (int) k1));
        parallel.forRange(h, 1, (k0, k1) -> FftCpu.realPreLanes(zr, zi, b, plan, xr, xi, 1f / (2 * h), (int) k0, (int) k1));
        boolean back = FftStages.runShared(parallel, plan, zi, zr, yi, yr, b);   // the inverse as the forward of the swapped pair
        float[] rr = back ? yr : zr, ri = back ? yi : zi;
        parallel.forRange(n, 1, (r0, r1) -> ToeplitzCpu.unpackChunk(rr, ri, out, hd, n, c, c0, b, (int) r0, (int) r1));
    }
}
