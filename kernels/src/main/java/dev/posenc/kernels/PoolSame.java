package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link PoolCpu}'s stride-1 same pooling (DARTS's 3×3, padding 1) on compact planes with {@link PlaneTaps} lane
 * masks: every window tap over L output pixels is one load at a fixed shift, masked lanes are the taps outside
 * the image. Per plane of n = H·W pixels:
 * <pre>
 *   avg forward:   out = (Σ_inside taps x) / count                       count = inside taps per pixel
 *   avg backward:  dx[j] += Σ_t g'[j − shift(t)],  g' = dOut / count      (the transposed taps, a gather)
 *   max forward:   out = max_inside taps x
 *   max backward:  arg = the first maximal tap per output pixel (NaN wins, as in PoolCpu's twin);
 *                  dx[j] += Σ_t [arg(j − shift(t)) = t] · dOut[j − shift(t)]
 * </pre>
 * The backwards are gathers over a per-task scratch copy of the plane with zero margins, so they need no
 * scatter and no atomic; the max backward recomputes the argmax. {@link #maxBackwardArgmax} instead routes by the
 * argmax that {@link #maxForwardArgmax} kept (as PyTorch keeps its indices): a scalar scatter, one add per output.
 * Every tap loads a whole vector and blends (a blend ran ~30 % faster than a masked load in the masked convolution
 * kernel); a plane whose shifted loads could leave the tensor (the first and the last) runs on halo copies
 * ({@link PlaneTaps#haloCopy}), but for {@link #maxForwardArgmax}, which keeps masked loads there (its halo version
 * measured 6–17 % slower at 7 × 7, one thread, conv7). Twins: {@link PoolCpu#avgForwardScalar},
 * {@link PoolCpu#maxForwardScalar}, {@link PoolCpu#avgBackwardScalar}, {@link PoolCpu#maxBackwardScalar}.
 */
final class PoolSame {
    private PoolSame() {}

    private static final VectorSpecies<Float> S = PlaneTaps.S;
    private static final int L = PlaneTaps.L;
    private static final ByteOrder BO = PlaneTaps.BO;
    private static final java.lang.foreign.ValueLayout.OfFloat F = java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Planes per task: a plane is too little work for a hand-off of its own. */
    static final int PLANES = 16;

    /** Per pixel i of a plane (padded to whole vectors): how many window taps are inside the image (1 outside). */
    static float[] counts(PlaneTaps pt) {
        float[] count = new float[pt.vectors * L];
        for (int i = 0; i < count.length; i++) {
            int k = 0;
            for (int t = 0; t < pt.taps; t++) if ((pt.mask[(i / L) * pt.taps + t] >>> (i % L) & 1) != 0) k++;
            count[i] = Math.max(k, 1);
        }
        return count;
    }

    /** out (planes [p0, p1)) = the avg (or, when {@code max}, the max) over each pixel's inside taps of x. */
    static void forward(ConvCpu.Scratch scratch, MemorySegment out, MemorySegment x, PlaneTaps pt, float[] count, int p0, int p1,
                        boolean max) {
        long floats = x.byteSize() / Float.BYTES;
        FloatVector z = FloatVector.zero(S), fill = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : 0f);
        for (int plane = p0; plane < p1; plane++) {
            long base = (long) plane * pt.hw;
            boolean edge = !pt.interior(base, floats);
            MemorySegment src = edge ? pt.haloCopy(scratch.segment(ConvCpu.Scratch.HALO_IN, pt.haloFloats()), x, base) : x;
            MemorySegment dst = edge ? scratch.segment(ConvCpu.Scratch.HALO_OUT, pt.haloFloats()) : out;
            long from = edge ? pt.halo : base;
            for (int v = 0; v < pt.vectors; v++) {
                long at = from + (long) v * L;
                FloatVector acc = fill;
                for (int t = 0; t < pt.taps; t++) {
                    VectorMask<Float> m = VectorMask.fromLong(S, pt.mask[v * pt.taps + t]);
                    FloatVector xv = z.blend(FloatVector.fromMemorySegment(S, src, (at + pt.shift[t]) * Float.BYTES, BO), m);
                    acc = max ? acc.max(fill.blend(xv, m)) : acc.add(xv);
                }
                if (!max) acc = acc.div(FloatVector.fromArray(S, count, v * L));
                acc.intoMemorySegment(dst, at * Float.BYTES, BO, VectorMask.fromLong(S, pt.inside[v]));
            }
            if (edge) pt.haloStore(out, base, dst);
        }
    }

    /**
     * dx (planes [p0, p1)) += the avg pool's (or, when {@code max}, the max pool's) input gradient. {@code ptT} are
     * the transposed taps, {@code pt} the forward ones (max: to recompute the argmax from x).
     */
    static void backward(ConvCpu.Scratch scratch, MemorySegment dx, MemorySegment dOut, MemorySegment x, PlaneTaps pt,
                         PlaneTaps ptT, float[] count, int p0, int p1, boolean max) {
        // scratch planes with a zero margin wide enough for every shift, so the gathers load whole vectors
        int margin = (Math.max(-ptT.minShift, ptT.maxShift) + L - 1) / L * L, len = margin + pt.vectors * L + margin;
        float[] g = new float[len], arg = max ? new float[len] : null, best = max ? new float[pt.vectors * L] : null;
        float[] acc = new float[pt.vectors * L];
        long floats = dOut.byteSize() / Float.BYTES;
        FloatVector z = FloatVector.zero(S);
        // taps outside, vectors inside: a tap's updates of different vectors are independent, where a chain of taps on
        // one vector waited for each compare and blend in turn (latency-bound, 3× slower)
        for (int plane = p0; plane < p1; plane++) {
            long base = (long) plane * pt.hw;
            boolean edge = !pt.interior(base, floats);
            MemorySegment gs = edge ? pt.haloCopy(scratch.segment(ConvCpu.Scratch.HALO_IN, pt.haloFloats()), dOut, base) : dOut;
            MemorySegment xs = edge && max ? pt.haloCopy(scratch.segment(ConvCpu.Scratch.HALO_X, pt.haloFloats()), x, base) : x;
            MemorySegment dst = edge ? pt.haloCopy(scratch.segment(ConvCpu.Scratch.HALO_OUT, pt.haloFloats()), dx, base) : dx;
            long from = edge ? pt.halo : base;
            for (int v = 0; v < pt.vectors; v++) {
                long at = (from + (long) v * L) * Float.BYTES;
                VectorMask<Float> in = VectorMask.fromLong(S, pt.inside[v]);
                FloatVector gv = z.blend(FloatVector.fromMemorySegment(S, gs, at, BO), in);
                if (!max) gv = gv.div(FloatVector.fromArray(S, count, v * L));
                gv.intoArray(g, margin + v * L);
                z.intoArray(acc, v * L);
            }
            if (max) argmax(xs, pt, from, false, best, arg, margin);
            for (int t = 0; t < ptT.taps; t++)
                for (int v = 0; v < pt.vectors; v++) {
                    VectorMask<Float> m = VectorMask.fromLong(S, ptT.mask[v * ptT.taps + t]);
                    int tap = margin + v * L + ptT.shift[t];
                    if (max) m = m.and(FloatVector.fromArray(S, arg, tap).compare(VectorOperators.EQ, (float) t));
                    FloatVector.fromArray(S, acc, v * L).add(z.blend(FloatVector.fromArray(S, g, tap), m)).intoArray(acc, v * L);
                }
            for (int v = 0; v < pt.vectors; v++) {
                long at = (from + (long) v * L) * Float.BYTES;
                VectorMask<Float> in = VectorMask.fromLong(S, pt.inside[v]);
                FloatVector.fromMemorySegment(S, dst, at, BO, in).add(FloatVector.fromArray(S, acc, v * L)).intoMemorySegment(dst, at, BO, in);
            }
            if (edge) pt.haloStore(dx, base, dst);
        }
    }

    /**
     * best[v·L + lane] = the max over each output pixel's inside taps of the plane of x at {@code base}, and
     * arg[off + v·L + lane] = its first maximal tap as a float (NaN wins, x ≠ x; −1 while none yet). Taps outside,
     * vectors inside: a tap's updates of different vectors are independent, where a chain of taps on one vector
     * waited for each compare and blend in turn (latency-bound, 3× slower).
     */
    private static void argmax(MemorySegment x, PlaneTaps pt, long base, boolean masked, float[] best, float[] arg, int off) {
        FloatVector z = FloatVector.zero(S);
        java.util.Arrays.fill(best, 0, pt.vectors * L, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(arg, off, off + pt.vectors * L, -1f);
        for (int t = 0; t < pt.taps; t++)
            for (int v = 0; v < pt.vectors; v++) {
                VectorMask<Float> m = VectorMask.fromLong(S, pt.mask[v * pt.taps + t]);
                long at = (base + (long) v * L + pt.shift[t]) * Float.BYTES;
                FloatVector xv = masked ? FloatVector.fromMemorySegment(S, x, at, BO, m)
                        : z.blend(FloatVector.fromMemorySegment(S, x, at, BO), m);
                FloatVector b = FloatVector.fromArray(S, best, v * L), a = FloatVector.fromArray(S, arg, off + v * L);
                VectorMask<Float> better = xv.compare(VectorOperators.GT, b).or(a.compare(VectorOperators.LT, 0f))
                        .or(xv.compare(VectorOperators.NE, xv).andNot(b.compare(VectorOperators.NE, b))).and(m);
                b.blend(xv, better).intoArray(best, v * L);
                a.blend((float) t, better).intoArray(arg, off + v * L);   // float: the long overload converts lane by lane
            }
    }

    /**
     * Max pooling that keeps its argmax, as PyTorch keeps indices for the backward: out (planes [p0, p1)) = the max
     * of each pixel's inside taps, argOut = the first maximal tap (the float t = ky·k + kx).
     */
    static void maxForwardArgmax(MemorySegment out, MemorySegment argOut, MemorySegment x, PlaneTaps pt, int p0, int p1) {
        float[] best = new float[pt.vectors * L], arg = new float[pt.vectors * L];
        long floats = x.byteSize() / Float.BYTES;
        for (int plane = p0; plane < p1; plane++) {
            long base = (long) plane * pt.hw;
            argmax(x, pt, base, !pt.interior(base, floats), best, arg, 0);
            for (int v = 0; v < pt.vectors; v++) {
                long at = (base + (long) v * L) * Float.BYTES;
                VectorMask<Float> in = VectorMask.fromLong(S, pt.inside[v]);
                FloatVector.fromArray(S, best, v * L).intoMemorySegment(out, at, BO, in);
                FloatVector.fromArray(S, arg, v * L).intoMemorySegment(argOut, at, BO, in);
            }
        }
    }

    /**
     * dx (planes [p0, p1)) += dOut routed by the kept argmax: dx[i + shift(arg[i])] += dOut[i] per output pixel i, in
     * pixel order (the twin's order, so the same bits). A scalar scatter: one load, add and store per output, where the
     * vector gather over the taps ({@link #backward}) costs 9 compares, blends and adds per vector (1.6× slower here).
     */
    static void maxBackwardArgmax(MemorySegment dx, MemorySegment dOut, MemorySegment arg, PlaneTaps pt, int p0, int p1) {
        int[] shift = pt.shift;
        for (long o = (long) p0 * pt.hw; o < (long) p1 * pt.hw; o++) {
            long j = o + shift[(int) arg.getAtIndex(F, o)];
            dx.setAtIndex(F, j, dx.getAtIndex(F, j) + dOut.getAtIndex(F, o));
        }
    }
}
