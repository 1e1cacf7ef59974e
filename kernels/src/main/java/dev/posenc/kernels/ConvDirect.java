package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The direct (no im2col) kernels of {@link ConvCpu} for stride-1 same convolutions ({@link PlaneTaps#fits}), the
 * DARTS toy's 3×3 and 1×1 convolutions. Over flat NCHW planes of n = H·W pixels and T = k² taps:
 * <pre>
 *   apply:       out[b,o,i] (= or +=) Σ_{c,t} wp(o,c,t) · in[b,c,i + shift(t)]      (tap inside the image, else 0)
 *   weightGrad:  part[o,c,t]          = Σ_{b,i} dOut[b,o,i] · x[b,c,i + shift(t)]
 * </pre>
 * The forward is apply with w; the input gradient is apply, accumulating, on dOut with the transposed taps and
 * wᵀ (wp(c,o,t) = w[o,c,t]), since a stride-1 same convolution's transpose is one with the shifts negated.
 * <p>
 * Why direct: at C = 8..16 channels, im2col writes and re-reads K = 9·C rows per pixel for a product with only
 * O = 8..16 rows, so the copy costs as much as the arithmetic. Here a register block of 4 output channels × 4
 * pixel vectors (16 accumulators) is fed by 4 masked loads and 4 weight broadcasts per (c, t): 16 FMAs per 8
 * loads, no intermediate buffer. The 4 vectors of a block may come from different images (a "slot" is an
 * (image, vector) pair), so a 7 × 7 plane's 4 vectors and a 14 × 14 plane's 13 fill blocks without a tail per
 * image. Sums run in a fixed order (c, then t) per output, and weightGrad's partials are per caller-chosen image
 * range, so results do not depend on the thread count. Twins: {@link ConvCpu#forwardScalar},
 * {@link ConvCpu#backwardScalar}.
 */
final class ConvDirect {
    private ConvDirect() {}

    /** Output channels and pixel vectors per register block. */
    static final int OB = 4, NB = 4;
    private static final int L = PlaneTaps.L;
    private static final VectorSpecies<Float> S = PlaneTaps.S;
    private static final ByteOrder BO = PlaneTaps.BO;

    /**
     * Packs weights for {@link #apply}: wp[((ob·inCh + c)·T + t)·OB + j] = weight of output channel ob·OB + j (0
     * past outCh) from input channel c at tap t. w is (outCh, inCh, T) or, when {@code transposed}, (inCh, outCh, T).
     */
    static float[] pack(MemorySegment w, int outCh, int inCh, int taps, boolean transposed) {
        int blocks = (outCh + OB - 1) / OB;
        float[] wp = new float[blocks * inCh * taps * OB];
        for (int o = 0; o < outCh; o++)
            for (int c = 0; c < inCh; c++)
                for (int t = 0; t < taps; t++) {
                    long from = transposed ? ((long) c * outCh + o) * taps + t : ((long) o * inCh + c) * taps + t;
                    wp[(((o / OB) * inCh + c) * taps + t) * OB + o % OB] = w.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, from);
                }
        return wp;
    }

    /**
     * out (B, outCh, n) of images [b0, b1) = (or, when {@code accumulate}, +=) the taps of in (B, inCh, n) weighted
     * by wp ({@link #pack}). Slots past the range repeat the last slot's loads and are not stored.
     */
    static void apply(MemorySegment out, MemorySegment in, float[] wp, int inCh, int outCh, PlaneTaps pt, int b0, int b1,
                      boolean accumulate) {
        int taps = pt.taps, n = pt.hw, v = pt.vectors, slots = (b1 - b0) * v;
        int[] shift = pt.shift;
        long[] mask = pt.mask;
        float[] acc = new float[OB * NB * L];
        for (int s = 0; s < slots; s += NB) {
            int s1 = Math.min(s + 1, slots - 1), s2 = Math.min(s + 2, slots - 1), s3 = Math.min(s + 3, slots - 1);
            int v0 = s % v, v1 = s1 % v, v2 = s2 % v, v3 = s3 % v;
            int i0 = b0 + s / v, i1 = b0 + s1 / v, i2 = b0 + s2 / v, i3 = b0 + s3 / v;
            long x0 = (long) i0 * inCh * n + (long) v0 * L, x1 = (long) i1 * inCh * n + (long) v1 * L;
            long x2 = (long) i2 * inCh * n + (long) v2 * L, x3 = (long) i3 * inCh * n + (long) v3 * L;
            int r0 = v0 * taps, r1 = v1 * taps, r2 = v2 * taps, r3 = v3 * taps;
            long lo = Math.min(Math.min(x0, x1), Math.min(x2, x3)) + pt.minShift;
            long hi = Math.max(Math.max(x0, x1), Math.max(x2, x3)) + (long) (inCh - 1) * n + pt.maxShift + L;
            boolean inBounds = lo >= 0 && hi <= in.byteSize() / Float.BYTES;
            for (int ob = 0; ob * OB < outCh; ob++) {
                // the block is a method of its own and hands its accumulators back through acc: with the 16 masked
                // stores inlined here, C2 took seconds (tens under load) to compile apply
                block(acc, in, wp, ob * inCh * taps * OB, inCh, n, shift, mask, taps, x0, x1, x2, x3, r0, r1, r2, r3, !inBounds);
                int o = ob * OB;
                for (int j = 0; j < NB && s + j < slots; j++) {
                    int sj = s + j, vj = sj % v;
                    long y = ((long) (b0 + sj / v) * outCh + o) * n + (long) vj * L;
                    VectorMask<Float> m = VectorMask.fromLong(S, pt.inside[vj]);
                    for (int i = 0; i < OB && o + i < outCh; i++) {
                        long at = (y + (long) i * n) * Float.BYTES;
                        FloatVector a = FloatVector.fromArray(S, acc, (i * NB + j) * L);
                        if (accumulate) a = a.add(FloatVector.fromMemorySegment(S, out, at, BO, m));
                        a.intoMemorySegment(out, at, BO, m);
                    }
                }
            }
        }
    }

    /**
     * One register block: acc[(i·NB + j)·L + lane] = Σ_{c,t} wp[k0 + (c·T + t)·OB + i] · in[x_j + c·n + shift(t) + lane],
     * masked by mask[r_j + t]. A block whose loads all stay inside {@code in} (every block but those at the
     * tensor's two ends) loads whole vectors and zeroes the masked-off lanes by a blend, which ran ~30 % faster
     * than a masked load; the others use masked loads, which never touch memory outside the mask.
     */
    private static void block(float[] acc, MemorySegment in, float[] wp, int k0, int inCh, int n, int[] shift, long[] mask,
                              int taps, long x0, long x1, long x2, long x3, int r0, int r1, int r2, int r3, boolean masked) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector z = a00;
        int k = k0;
        for (int c = 0; c < inCh; c++) {
            long cx = (long) c * n;
            for (int t = 0; t < taps; t++, k += OB) {
                long at = cx + shift[t];
                VectorMask<Float> m0 = VectorMask.fromLong(S, mask[r0 + t]), m1 = VectorMask.fromLong(S, mask[r1 + t]);
                VectorMask<Float> m2 = VectorMask.fromLong(S, mask[r2 + t]), m3 = VectorMask.fromLong(S, mask[r3 + t]);
                FloatVector p0, p1, p2, p3;
                if (masked) {
                    p0 = FloatVector.fromMemorySegment(S, in, (x0 + at) * 4, BO, m0);
                    p1 = FloatVector.fromMemorySegment(S, in, (x1 + at) * 4, BO, m1);
                    p2 = FloatVector.fromMemorySegment(S, in, (x2 + at) * 4, BO, m2);
                    p3 = FloatVector.fromMemorySegment(S, in, (x3 + at) * 4, BO, m3);
                } else {
                    p0 = z.blend(FloatVector.fromMemorySegment(S, in, (x0 + at) * 4, BO), m0);
                    p1 = z.blend(FloatVector.fromMemorySegment(S, in, (x1 + at) * 4, BO), m1);
                    p2 = z.blend(FloatVector.fromMemorySegment(S, in, (x2 + at) * 4, BO), m2);
                    p3 = z.blend(FloatVector.fromMemorySegment(S, in, (x3 + at) * 4, BO), m3);
                }
                FloatVector w0 = FloatVector.broadcast(S, wp[k]), w1 = FloatVector.broadcast(S, wp[k + 1]);
                FloatVector w2 = FloatVector.broadcast(S, wp[k + 2]), w3 = FloatVector.broadcast(S, wp[k + 3]);
                a00 = p0.fma(w0, a00); a01 = p1.fma(w0, a01); a02 = p2.fma(w0, a02); a03 = p3.fma(w0, a03);
                a10 = p0.fma(w1, a10); a11 = p1.fma(w1, a11); a12 = p2.fma(w1, a12); a13 = p3.fma(w1, a13);
                a20 = p0.fma(w2, a20); a21 = p1.fma(w2, a21); a22 = p2.fma(w2, a22); a23 = p3.fma(w2, a23);
                a30 = p0.fma(w3, a30); a31 = p1.fma(w3, a31); a32 = p2.fma(w3, a32); a33 = p3.fma(w3, a33);
            }
        }
        a00.intoArray(acc, 0); a01.intoArray(acc, L); a02.intoArray(acc, 2 * L); a03.intoArray(acc, 3 * L);
        a10.intoArray(acc, 4 * L); a11.intoArray(acc, 5 * L); a12.intoArray(acc, 6 * L); a13.intoArray(acc, 7 * L);
        a20.intoArray(acc, 8 * L); a21.intoArray(acc, 9 * L); a22.intoArray(acc, 10 * L); a23.intoArray(acc, 11 * L);
        a30.intoArray(acc, 12 * L); a31.intoArray(acc, 13 * L); a32.intoArray(acc, 14 * L); a33.intoArray(acc, 15 * L);
    }

    /**
     * part[o·(inCh·T) + c·T + t] = Σ over images [b0, b1) and pixels of dOut[b,o,i]·x[b,c,i + shift(t)], overwritten.
     * Blocks of 4 output channels × 4 (c, t) pairs accumulate lane-wise over every slot, then fold by
     * {@link Lanes#sum}. Pairs and channels past the end repeat the last one's loads and are not written.
     */
    static void weightGrad(float[] part, MemorySegment dOut, MemorySegment x, int inCh, int outCh, PlaneTaps pt, int b0, int b1) {
        int taps = pt.taps, n = pt.hw, pairs = inCh * taps;
        // images whose loads stay inside both tensors run unmasked (see block); only the tensor's first and last may not
        int safe0 = pt.minShift < 0 && b0 == 0 ? 1 : b0;
        long images = x.byteSize() / Float.BYTES / ((long) inCh * n);
        int safe1 = (int) Math.min(b1, images - 1);
        float[] acc = new float[OB * 4 * L];
        for (int o = 0; o < outCh; o += OB) {
            int o1 = Math.min(o + 1, outCh - 1), o2 = Math.min(o + 2, outCh - 1), o3 = Math.min(o + 3, outCh - 1);
            for (int q = 0; q < pairs; q += 4) {
                int q1 = Math.min(q + 1, pairs - 1), q2 = Math.min(q + 2, pairs - 1), q3 = Math.min(q + 3, pairs - 1);
                int t0 = q % taps, t1 = q1 % taps, t2 = q2 % taps, t3 = q3 % taps;
                long c0 = (long) (q / taps) * n + pt.shift[t0], c1 = (long) (q1 / taps) * n + pt.shift[t1];
                long c2 = (long) (q2 / taps) * n + pt.shift[t2], c3 = (long) (q3 / taps) * n + pt.shift[t3];
                java.util.Arrays.fill(acc, 0f);
                int from = b0;
                if (from < Math.min(safe0, b1)) {
                    gradRun(acc, dOut, x, inCh, outCh, pt, from, Math.min(safe0, b1), o, o1, o2, o3, c0, c1, c2, c3, t0, t1, t2, t3, true);
                    from = Math.min(safe0, b1);
                }
                if (from < safe1) {
                    gradRun(acc, dOut, x, inCh, outCh, pt, from, safe1, o, o1, o2, o3, c0, c1, c2, c3, t0, t1, t2, t3, false);
                    from = safe1;
                }
                if (from < b1) gradRun(acc, dOut, x, inCh, outCh, pt, from, b1, o, o1, o2, o3, c0, c1, c2, c3, t0, t1, t2, t3, true);
                for (int i = 0; i < OB && o + i < outCh; i++)
                    for (int j = 0; j < 4 && q + j < pairs; j++) part[(o + i) * pairs + q + j] = Lanes.sum(FloatVector.fromArray(S, acc, (i * 4 + j) * L));
            }
        }
    }

    /**
     * acc[(i·4 + j)·L + lane] += Σ over images [b0, b1) and vectors of dOut[img, o_i, ·] · x[img, ·, · + c_j] (masked by
     * tap t_j's mask). Unmasked loads with blends unless {@code masked} (see {@link #block}).
     */
    private static void gradRun(float[] acc, MemorySegment dOut, MemorySegment x, int inCh, int outCh, PlaneTaps pt, int b0, int b1,
                                int o0, int o1, int o2, int o3, long c0, long c1, long c2, long c3, int t0, int t1, int t2, int t3,
                                boolean masked) {
        int taps = pt.taps, n = pt.hw, v = pt.vectors;
        FloatVector a00 = FloatVector.fromArray(S, acc, 0), a01 = FloatVector.fromArray(S, acc, L);
        FloatVector a02 = FloatVector.fromArray(S, acc, 2 * L), a03 = FloatVector.fromArray(S, acc, 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, acc, 4 * L), a11 = FloatVector.fromArray(S, acc, 5 * L);
        FloatVector a12 = FloatVector.fromArray(S, acc, 6 * L), a13 = FloatVector.fromArray(S, acc, 7 * L);
        FloatVector a20 = FloatVector.fromArray(S, acc, 8 * L), a21 = FloatVector.fromArray(S, acc, 9 * L);
        FloatVector a22 = FloatVector.fromArray(S, acc, 10 * L), a23 = FloatVector.fromArray(S, acc, 11 * L);
        FloatVector a30 = FloatVector.fromArray(S, acc, 12 * L), a31 = FloatVector.fromArray(S, acc, 13 * L);
        FloatVector a32 = FloatVector.fromArray(S, acc, 14 * L), a33 = FloatVector.fromArray(S, acc, 15 * L);
        FloatVector z = FloatVector.zero(S);
        for (int img = b0; img < b1; img++)
            for (int vs = 0; vs < v; vs++) {
                int r = vs * taps;
                long xb = (long) img * inCh * n + (long) vs * L, gb = (long) img * outCh * n + (long) vs * L;
                VectorMask<Float> in = VectorMask.fromLong(S, pt.inside[vs]);
                VectorMask<Float> m0 = VectorMask.fromLong(S, pt.mask[r + t0]), m1 = VectorMask.fromLong(S, pt.mask[r + t1]);
                VectorMask<Float> m2 = VectorMask.fromLong(S, pt.mask[r + t2]), m3 = VectorMask.fromLong(S, pt.mask[r + t3]);
                FloatVector g0, g1, g2, g3, p0, p1, p2, p3;
                if (masked) {
                    g0 = FloatVector.fromMemorySegment(S, dOut, (gb + (long) o0 * n) * 4, BO, in);
                    g1 = FloatVector.fromMemorySegment(S, dOut, (gb + (long) o1 * n) * 4, BO, in);
                    g2 = FloatVector.fromMemorySegment(S, dOut, (gb + (long) o2 * n) * 4, BO, in);
                    g3 = FloatVector.fromMemorySegment(S, dOut, (gb + (long) o3 * n) * 4, BO, in);
                    p0 = FloatVector.fromMemorySegment(S, x, (xb + c0) * 4, BO, m0);
                    p1 = FloatVector.fromMemorySegment(S, x, (xb + c1) * 4, BO, m1);
                    p2 = FloatVector.fromMemorySegment(S, x, (xb + c2) * 4, BO, m2);
                    p3 = FloatVector.fromMemorySegment(S, x, (xb + c3) * 4, BO, m3);
                } else {
                    g0 = z.blend(FloatVector.fromMemorySegment(S, dOut, (gb + (long) o0 * n) * 4, BO), in);
                    g1 = z.blend(FloatVector.fromMemorySegment(S, dOut, (gb + (long) o1 * n) * 4, BO), in);
                    g2 = z.blend(FloatVector.fromMemorySegment(S, dOut, (gb + (long) o2 * n) * 4, BO), in);
                    g3 = z.blend(FloatVector.fromMemorySegment(S, dOut, (gb + (long) o3 * n) * 4, BO), in);
                    p0 = z.blend(FloatVector.fromMemorySegment(S, x, (xb + c0) * 4, BO), m0);
                    p1 = z.blend(FloatVector.fromMemorySegment(S, x, (xb + c1) * 4, BO), m1);
                    p2 = z.blend(FloatVector.fromMemorySegment(S, x, (xb + c2) * 4, BO), m2);
                    p3 = z.blend(FloatVector.fromMemorySegment(S, x, (xb + c3) * 4, BO), m3);
                }
                a00 = g0.fma(p0, a00); a01 = g0.fma(p1, a01); a02 = g0.fma(p2, a02); a03 = g0.fma(p3, a03);
                a10 = g1.fma(p0, a10); a11 = g1.fma(p1, a11); a12 = g1.fma(p2, a12); a13 = g1.fma(p3, a13);
                a20 = g2.fma(p0, a20); a21 = g2.fma(p1, a21); a22 = g2.fma(p2, a22); a23 = g2.fma(p3, a23);
                a30 = g3.fma(p0, a30); a31 = g3.fma(p1, a31); a32 = g3.fma(p2, a32); a33 = g3.fma(p3, a33);
            }
        a00.intoArray(acc, 0); a01.intoArray(acc, L); a02.intoArray(acc, 2 * L); a03.intoArray(acc, 3 * L);
        a10.intoArray(acc, 4 * L); a11.intoArray(acc, 5 * L); a12.intoArray(acc, 6 * L); a13.intoArray(acc, 7 * L);
        a20.intoArray(acc, 8 * L); a21.intoArray(acc, 9 * L); a22.intoArray(acc, 10 * L); a23.intoArray(acc, 11 * L);
        a30.intoArray(acc, 12 * L); a31.intoArray(acc, 13 * L); a32.intoArray(acc, 14 * L); a33.intoArray(acc, 15 * L);
    }
}
