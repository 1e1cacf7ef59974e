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
 * Planes whose shifted loads could leave the tensor (the first and the last) use masked loads, the others
 * whole-vector loads and a blend ({@link ConvDirect}'s reason). Twins: {@link DepthwiseCpu#forwardScalar},
 * {@link DepthwiseCpu#backwardScalar}.
 */
final class DepthwiseSame {
    private DepthwiseSame() {}

    private static final VectorSpecies<Float> S = PlaneTaps.S;
    private static final int L = PlaneTaps.L;
    private static final ByteOrder BO = PlaneTaps.BO;

    /** out planes [p0, p1) of a (B, C, n) tensor = the taps of x weighted by w (C, T). */
    static void forward(MemorySegment out, MemorySegment x, float[] w, int channels, PlaneTaps pt, int p0, int p1) {
        long floats = x.byteSize() / Float.BYTES;
        FloatVector z = FloatVector.zero(S);
        for (int plane = p0; plane < p1; plane++) {
            long base = (long) plane * pt.hw;
            int wc = (plane % channels) * pt.taps;
            boolean masked = !PoolSame.interior(pt, base, floats);
            for (int v = 0; v < pt.vectors; v++) {
                long at = base + (long) v * L;
                FloatVector acc = z;
                for (int t = 0; t < pt.taps; t++) {
                    VectorMask<Float> m = VectorMask.fromLong(S, pt.mask[v * pt.taps + t]);
                    long off = (at + pt.shift[t]) * Float.BYTES;
                    FloatVector xv = masked ? FloatVector.fromMemorySegment(S, x, off, BO, m)
                            : z.blend(FloatVector.fromMemorySegment(S, x, off, BO), m);
                    acc = xv.fma(FloatVector.broadcast(S, w[wc + t]), acc);
                }
                acc.intoMemorySegment(out, at * Float.BYTES, BO, VectorMask.fromLong(S, pt.inside[v]));
            }
        }
    }

    /** Channel c of the backward over all B images: dx += (if dx != null), dw[c, ·] += (if dw != null). */
    static void backward(MemorySegment dx, MemorySegment dw, MemorySegment dOut, MemorySegment x, float[] w, int images,
                         int channels, int c, PlaneTaps pt, PlaneTaps ptT) {
        long floats = x.byteSize() / Float.BYTES;
        FloatVector z = FloatVector.zero(S);
        if (dx != null) {
            for (int b = 0; b < images; b++) {
                long base = ((long) b * channels + c) * pt.hw;
                boolean masked = !PoolSame.interior(ptT, base, floats);
                for (int v = 0; v < pt.vectors; v++) {
                    long at = base + (long) v * L;
                    FloatVector acc = z;
                    for (int t = 0; t < ptT.taps; t++) {
                        VectorMask<Float> m = VectorMask.fromLong(S, ptT.mask[v * ptT.taps + t]);
                        long off = (at + ptT.shift[t]) * Float.BYTES;
                        FloatVector gv = masked ? FloatVector.fromMemorySegment(S, dOut, off, BO, m)
                                : z.blend(FloatVector.fromMemorySegment(S, dOut, off, BO), m);
                        acc = gv.fma(FloatVector.broadcast(S, w[c * pt.taps + t]), acc);
                    }
                    VectorMask<Float> in = VectorMask.fromLong(S, pt.inside[v]);
                    FloatVector.fromMemorySegment(S, dx, at * Float.BYTES, BO, in).add(acc).intoMemorySegment(dx, at * Float.BYTES, BO, in);
                }
            }
        }
        if (dw == null) return;
        for (int t = 0; t < pt.taps; t++) {
            FloatVector acc = z;
            for (int b = 0; b < images; b++) {
                long base = ((long) b * channels + c) * pt.hw;
                boolean masked = !PoolSame.interior(pt, base, floats);
                for (int v = 0; v < pt.vectors; v++) {
                    long at = (base + (long) v * L) * Float.BYTES, off = at + (long) pt.shift[t] * Float.BYTES;
                    VectorMask<Float> m = VectorMask.fromLong(S, pt.mask[v * pt.taps + t]);
                    // the tap mask already excludes lanes past the plane, so dOut needs no mask of its own
                    FloatVector xv = masked ? FloatVector.fromMemorySegment(S, x, off, BO, m)
                            : z.blend(FloatVector.fromMemorySegment(S, x, off, BO), m);
                    FloatVector gv = masked ? FloatVector.fromMemorySegment(S, dOut, at, BO, m)
                            : z.blend(FloatVector.fromMemorySegment(S, dOut, at, BO), m);
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
