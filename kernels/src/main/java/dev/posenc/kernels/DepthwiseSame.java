package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link DepthwiseCpu}'s stride-1 same convolutions (DARTS's sep_conv 3×3 p1 and dil_conv 3×3 d2 p2) on compact
 * planes with {@link PlaneTaps} lane masks. Per plane (b, c) of n = H·W pixels and T = k² taps:
 * <pre>
 *   forward:  out[i]   = Σ_t w[c,t] · x[i + shift(t)]
 *   backward: dx[j]   += Σ_t w[c,t] · dOut[j − shift(t)]          (the transposed taps: a gather, no scatter)
 *             dw[c,t] += Σ_{b,i} dOut[b,c,i] · x[b,c,i + shift(t)]  (one pass per tap over the channel, lanes summed over
 *                                                                  all images, then folded by {@link Lanes#sum})
 * </pre>
 * The backward runs one task per channel, so dw[c] has one writer and its sum does not depend on the thread count.
 * Every tap is a whole-vector load and a blend ({@link ConvDirect}'s reason); the planes whose shifted loads could
 * leave the tensor (the first and the last) run on halo copies ({@link PlaneTaps#haloCopy}). Twins: {@link DepthwiseCpu#forwardScalar},
 * {@link DepthwiseCpu#backwardScalar}.
 */
final class DepthwiseSame {
    private DepthwiseSame() {}

    private static final VectorSpecies<Float> S = PlaneTaps.S;
    private static final int L = PlaneTaps.L;
    private static final ByteOrder BO = PlaneTaps.BO;

    /** out planes [p0, p1) of a (B, C, n) tensor = the taps of x weighted by w (C, T). */
    static void forward(ConvCpu.Scratch scratch, MemorySegment out, MemorySegment x, float[] w, int channels, PlaneTaps pt,
                        int p0, int p1) {
        long floats = x.byteSize() / Float.BYTES;
        FloatVector z = FloatVector.zero(S);
        for (int plane = p0; plane < p1; plane++) {
            long base = (long) plane * pt.hw;
            int wc = (plane % channels) * pt.taps;
            // an edge plane runs on halo copies, so every load and store below stays inside its segment
            boolean edge = !pt.interior(base, floats);
            MemorySegment src = edge ? pt.haloCopy(scratch.segment(ConvCpu.Scratch.HALO_IN, pt.haloFloats()), x, base) : x;
            MemorySegment dst = edge ? scratch.segment(ConvCpu.Scratch.HALO_OUT, pt.haloFloats()) : out;
            long from = edge ? pt.halo : base;
            for (int v = 0; v < pt.vectors; v++) {
                long at = from + (long) v * L;
                FloatVector acc = z;
                for (int t = 0; t < pt.taps; t++) {
                    VectorMask<Float> m = VectorMask.fromLong(S, pt.mask[v * pt.taps + t]);
                    FloatVector xv = z.blend(FloatVector.fromMemorySegment(S, src, (at + pt.shift[t]) * Float.BYTES, BO), m);
                    acc = xv.fma(FloatVector.broadcast(S, w[wc + t]), acc);
                }
                acc.intoMemorySegment(dst, at * Float.BYTES, BO, VectorMask.fromLong(S, pt.inside[v]));
            }
            if (edge) pt.haloStore(out, base, dst);
        }
    }

    /** Channel c of the backward over all B images: dx += (if dx != null), dw[c, ·] += (if dw != null). */
    static void backward(ConvCpu.Scratch scratch, MemorySegment dx, MemorySegment dw, MemorySegment dOut, MemorySegment x,
                         float[] w, int images, int channels, int c, PlaneTaps pt, PlaneTaps ptT) {
        long floats = x.byteSize() / Float.BYTES;
        FloatVector z = FloatVector.zero(S);
        MemorySegment haloIn = scratch.segment(ConvCpu.Scratch.HALO_IN, pt.haloFloats());
        MemorySegment haloOut = scratch.segment(ConvCpu.Scratch.HALO_OUT, pt.haloFloats());
        if (dx != null) {
            for (int b = 0; b < images; b++) {
                long base = ((long) b * channels + c) * pt.hw;
                boolean edge = !ptT.interior(base, floats);
                MemorySegment src = edge ? ptT.haloCopy(haloIn, dOut, base) : dOut, dst = edge ? pt.haloCopy(haloOut, dx, base) : dx;
                long from = edge ? pt.halo : base;
                int v = 0;
                // two vectors' tap chains interleaved: each is taps dependent FMAs long
                for (; v + 1 < pt.vectors; v += 2) {
                    long at = from + (long) v * L, at1 = at + L;
                    FloatVector acc = z, acc1 = z;
                    for (int t = 0; t < ptT.taps; t++) {
                        FloatVector wt = FloatVector.broadcast(S, w[c * pt.taps + t]);
                        VectorMask<Float> m = VectorMask.fromLong(S, ptT.mask[v * ptT.taps + t]);
                        VectorMask<Float> m1 = VectorMask.fromLong(S, ptT.mask[(v + 1) * ptT.taps + t]);
                        acc = z.blend(FloatVector.fromMemorySegment(S, src, (at + ptT.shift[t]) * Float.BYTES, BO), m).fma(wt, acc);
                        acc1 = z.blend(FloatVector.fromMemorySegment(S, src, (at1 + ptT.shift[t]) * Float.BYTES, BO), m1).fma(wt, acc1);
                    }
                    FloatVector.fromMemorySegment(S, dst, at * Float.BYTES, BO).add(acc).intoMemorySegment(dst, at * Float.BYTES, BO);
                    VectorMask<Float> in1 = VectorMask.fromLong(S, pt.inside[v + 1]);
                    FloatVector.fromMemorySegment(S, dst, at1 * Float.BYTES, BO, in1).add(acc1).intoMemorySegment(dst, at1 * Float.BYTES, BO, in1);
                }
                for (; v < pt.vectors; v++) {
                    long at = from + (long) v * L;
                    FloatVector acc = z;
                    for (int t = 0; t < ptT.taps; t++) {
                        VectorMask<Float> m = VectorMask.fromLong(S, ptT.mask[v * ptT.taps + t]);
                        FloatVector gv = z.blend(FloatVector.fromMemorySegment(S, src, (at + ptT.shift[t]) * Float.BYTES, BO), m);
                        acc = gv.fma(FloatVector.broadcast(S, w[c * pt.taps + t]), acc);
                    }
                    VectorMask<Float> in = VectorMask.fromLong(S, pt.inside[v]);
                    FloatVector.fromMemorySegment(S, dst, at * Float.BYTES, BO, in).add(acc).intoMemorySegment(dst, at * Float.BYTES, BO, in);
                }
                if (edge) pt.haloStore(dx, base, dst);
            }
        }
        if (dw == null) return;
        if (pt.taps == 9) {
            MemorySegment sums = scratch.segment(ConvCpu.Scratch.LANE_SUMS, 9L * L);
            weightGradientNineTaps(haloIn, haloOut, sums, dw, dOut, x, images, channels, c, pt, floats);
            return;
        }
        for (int t = 0; t < pt.taps; t++) {
            FloatVector acc = z;
            for (int b = 0; b < images; b++) {
                long base = ((long) b * channels + c) * pt.hw;
                boolean edge = !pt.interior(base, floats);
                MemorySegment xs = edge ? pt.haloCopy(haloIn, x, base) : x, gs = edge ? pt.haloCopy(haloOut, dOut, base) : dOut;
                long from = edge ? pt.halo : base;
                for (int v = 0; v < pt.vectors; v++) {
                    long at = (from + (long) v * L) * Float.BYTES;
                    VectorMask<Float> m = VectorMask.fromLong(S, pt.mask[v * pt.taps + t]);
                    // the tap mask already excludes lanes past the plane, so dOut needs no mask of its own
                    FloatVector xv = z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) pt.shift[t] * Float.BYTES, BO), m);
                    FloatVector gv = z.blend(FloatVector.fromMemorySegment(S, gs, at, BO), m);
                    acc = gv.fma(xv, acc);
                }
            }
            float sum = Lanes.sum(acc);
            long wi = (long) c * pt.taps + t;
            dw.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, wi,
                    dw.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, wi) + sum);
        }
    }

    /**
     * dw[c, ·] of a 3×3 window with the nine taps' sums side by side: each dOut vector is loaded once for all nine,
     * and nine independent FMA chains run where the general loop above has one (a chain of images × vectors
     * dependent FMAs per tap, latency-bound on a 7 × 7 plane). Each tap's accumulator still takes its terms in the
     * general loop's (b, v) order and is folded by {@link Lanes}'s tree (stored, then summed in scalar code: the same
     * bits). The nine accumulators are locals, and the taps written out rather than called, so that C2 keeps them in
     * registers (a helper per tap was not inlined: 2.5–4× slower).
     */
    private static void weightGradientNineTaps(MemorySegment haloIn, MemorySegment haloOut, MemorySegment sums,
                                               MemorySegment dw, MemorySegment dOut, MemorySegment x, int images,
                                               int channels, int c, PlaneTaps pt, long floats) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z, a8 = z;
        int[] sh = pt.shift;
        long[] mk = pt.mask;
        for (int b = 0; b < images; b++) {
            long base = ((long) b * channels + c) * pt.hw;
            boolean edge = !pt.interior(base, floats);
            MemorySegment xs = edge ? pt.haloCopy(haloIn, x, base) : x, gs = edge ? pt.haloCopy(haloOut, dOut, base) : dOut;
            long from = edge ? pt.halo : base;
            for (int v = 0; v < pt.vectors; v++) {
                long at = (from + (long) v * L) * Float.BYTES;
                FloatVector g = FloatVector.fromMemorySegment(S, gs, at, BO);
                int mv = v * 9;
                VectorMask<Float> m0 = VectorMask.fromLong(S, mk[mv + 0]);
                a0 = z.blend(g, m0).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[0] * Float.BYTES, BO), m0), a0);
                VectorMask<Float> m1 = VectorMask.fromLong(S, mk[mv + 1]);
                a1 = z.blend(g, m1).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[1] * Float.BYTES, BO), m1), a1);
                VectorMask<Float> m2 = VectorMask.fromLong(S, mk[mv + 2]);
                a2 = z.blend(g, m2).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[2] * Float.BYTES, BO), m2), a2);
                VectorMask<Float> m3 = VectorMask.fromLong(S, mk[mv + 3]);
                a3 = z.blend(g, m3).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[3] * Float.BYTES, BO), m3), a3);
                VectorMask<Float> m4 = VectorMask.fromLong(S, mk[mv + 4]);
                a4 = z.blend(g, m4).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[4] * Float.BYTES, BO), m4), a4);
                VectorMask<Float> m5 = VectorMask.fromLong(S, mk[mv + 5]);
                a5 = z.blend(g, m5).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[5] * Float.BYTES, BO), m5), a5);
                VectorMask<Float> m6 = VectorMask.fromLong(S, mk[mv + 6]);
                a6 = z.blend(g, m6).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[6] * Float.BYTES, BO), m6), a6);
                VectorMask<Float> m7 = VectorMask.fromLong(S, mk[mv + 7]);
                a7 = z.blend(g, m7).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[7] * Float.BYTES, BO), m7), a7);
                VectorMask<Float> m8 = VectorMask.fromLong(S, mk[mv + 8]);
                a8 = z.blend(g, m8).fma(z.blend(FloatVector.fromMemorySegment(S, xs, at + (long) sh[8] * Float.BYTES, BO), m8), a8);
            }
        }
        // stored, then folded in scalar code: this method is past C2's inlining budget, and Lanes.sum(FloatVector)
        // called here would box all nine accumulators and run the Vector API's Java fallback
        long lane = (long) L * Float.BYTES;
        a0.intoMemorySegment(sums, 0, BO);
        a1.intoMemorySegment(sums, lane, BO);
        a2.intoMemorySegment(sums, 2 * lane, BO);
        a3.intoMemorySegment(sums, 3 * lane, BO);
        a4.intoMemorySegment(sums, 4 * lane, BO);
        a5.intoMemorySegment(sums, 5 * lane, BO);
        a6.intoMemorySegment(sums, 6 * lane, BO);
        a7.intoMemorySegment(sums, 7 * lane, BO);
        a8.intoMemorySegment(sums, 8 * lane, BO);
        long w0 = (long) c * 9;
        for (int t = 0; t < 9; t++) addTo(dw, w0 + t, Lanes.sum(sums, t * lane));
    }

    private static void addTo(MemorySegment dw, long index, float sum) {
        dw.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, index,
                dw.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, index) + sum);
    }
}
