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
                for (int v = 0; v < pt.vectors; v++) {
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
}
