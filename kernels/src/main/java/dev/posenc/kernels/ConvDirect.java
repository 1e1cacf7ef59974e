package dev.posenc.kernels;

import dev.posenc.core.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The direct (no im2col) kernels of {@link ConvCpu} for stride-1 same convolutions ({@link PlaneTaps#fits}), the
 * DARTS toy's 3×3 and 1×1 convolutions. Over planes of n = H·W pixels and T = k² taps:
 * <pre>
 *   apply:       out[b,o,i] (= or +=) Σ_{c,t} wp(o,c,t) · in[b,c,i + shift(t)]      (tap inside the image, else 0)
 *   weightGrad:  part[o,c,t]          = Σ_{b,i} dOut[b,o,i] · x[b,c,i + shift(t)]
 * </pre>
 * The forward is apply with w; the input gradient is apply, accumulating, on dOut with the shifts negated and
 * wᵀ (wp(c,o,t) = w[o,c,t]), since a stride-1 same convolution's transpose is one with the transposed taps.
 * <p>
 * <b>The padded layout.</b> Each task first copies its images into a per-thread buffer of {@link Layout padded
 * planes}: rows Wp = W + p wide (p zero columns, which serve as the right pad of a row and the left pad of the
 * next) with p zero rows above and below. Tap t of output pixel j = y·Wp + x (x &lt; W kept, x ≥ W junk) then reads
 * j + shift(t), shift(t) = (ky·d − p)·Wp + (kx·d − p), and lands on a zero wherever the image has none: the inner
 * loops are whole-vector loads, with no lane masks. The masked-tap version on compact planes ({@link PlaneTaps})
 * ran half as fast: a mask load and a blend per vector load (a scratch variant of the same block with plain loads,
 * 1 thread, 2026-12-05: 16×7² forward 255 → 125 µs). The copy is one expand per vector (p &gt; 0) or one bulk copy per
 * plane (p = 0, the 1×1, where the per-vector copy had cost more than the masks it saved); the outputs are
 * compressed back to compact planes on the way out.
 * <p>
 * A register block of 4 output channels × 4 pixel vectors (16 accumulators) is fed by 4 loads and 4 weight
 * broadcasts per (c, t). The 4 vectors of a block may come from different images (a "slot" is an (image, vector)
 * pair), so a 7 × 7 plane's 4 vectors fill blocks without a tail per image. Sums run in a fixed order (c, then t)
 * per output, and weightGrad's partials are per caller-chosen image range, so results do not depend on the
 * thread count. Twins: {@link ConvCpu#forwardScalar}, {@link ConvCpu#backwardScalar}.
 */
final class ConvDirect {
    private ConvDirect() {}

    /** Output channels and pixel vectors per register block. */
    static final int OB = 4, NB = 4;
    private static final int L = PlaneTaps.L;
    private static final VectorSpecies<Float> S = PlaneTaps.S;
    private static final ByteOrder BO = PlaneTaps.BO;

    /**
     * The padded layout of a same geometry on H × W planes: {@code vectors} = ⌈H·Wp / L⌉ output vectors per plane,
     * the first data row at top = p·Wp, plane stride P = max((H + 2p)·Wp, top + vectors·L + p·Wp) floats (so that
     * the last vector's lanes past the image are zeros of its own plane, also at p = 0); vector v's kept lanes (x &lt; W) in
     * {@code keep[v]}, the compact index of its first kept lane in {@code start[v]}. A buffer of m planes is
     * margin + m·P + margin floats: the margins hold the shifted loads of the first and last plane.
     */
    static final class Layout {
        final int h, w, wp, top, plane, vectors, taps, margin;
        final int[] shift, shiftT, start;
        final long[] keep;
        /** As many leading lanes as {@code keep[v]} has: where the kept pixels sit in the compact plane. */
        final long[] first;
        /** Whether vector v's kept lanes are its first ones (no expand or compress needed). */
        final boolean[] contiguous;

        private Layout(ConvGeometry g, int h, int w) {
            int p = g.padding(), k = g.kernel();
            if (L > 64) throw new IllegalStateException("ConvDirect: lane masks are longs, the vector has " + L + " lanes");
            this.h = h;
            this.w = w;
            this.wp = w + p;
            this.vectors = (h * wp + L - 1) / L;
            this.top = p * wp;
            this.plane = Math.max((h + 2 * p) * wp, top + vectors * L + p * wp);
            this.taps = k * k;
            this.shift = new int[taps];
            this.shiftT = new int[taps];
            for (int t = 0; t < taps; t++) {
                shift[t] = ((t / k) * g.dilation() - p) * wp + (t % k) * g.dilation() - p;
                shiftT[t] = -shift[t];
            }
            this.margin = (p * wp + p + 2 * L + L - 1) / L * L;
            this.keep = new long[vectors];
            this.start = new int[vectors];
            this.contiguous = new boolean[vectors];
            this.first = new long[vectors];
            for (int v = 0; v < vectors; v++) {
                int lane0 = v * L;
                start[v] = lane0 / wp * w + Math.min(lane0 % wp, w);
                for (int i = lane0; i < lane0 + L && i < h * wp; i++) if (i % wp < w) keep[v] |= 1L << (i - lane0);
                contiguous[v] = (keep[v] & (keep[v] + 1)) == 0;
                first[v] = (1L << Long.bitCount(keep[v])) - 1;
            }
        }

        /** Floats of a buffer of {@code planes} padded planes with its margins. */
        long floats(int planes) { return 2L * margin + (long) planes * plane; }

        /** Float index of output vector v of padded plane q in a buffer. */
        long at(int q, int v) { return margin + (long) q * plane + top + (long) v * L; }
    }

    /** Immutable layouts, cached: a network has a handful of plane sizes. */
    private static final Map<Object, Layout> LAYOUTS = new ConcurrentHashMap<>();

    static Layout layout(ConvGeometry g, int h, int w) {
        return LAYOUTS.computeIfAbsent(java.util.List.of(g, h, w), key -> new Layout(g, h, w));
    }

    /**
     * Overwrites buffer {@code dst} (at least {@link Layout#floats}(planes) floats) with the padded copies of the
     * {@code planes} compact planes of src starting at plane {@code plane0}: zeros, then each output vector's kept
     * pixels expanded into place.
     */
    static void pad(MemorySegment dst, MemorySegment src, long plane0, int planes, Layout lay) {
        long n = (long) lay.h * lay.w;
        if (lay.top == 0 && lay.wp == lay.w) {
            // no padding (1×1): one bulk copy per plane and zeros behind it, ~3× cheaper than vector by vector
            dst.asSlice(0, lay.margin * Float.BYTES).fill((byte) 0);
            for (int q = 0; q < planes; q++) {
                long at = lay.at(q, 0);
                MemorySegment.copy(src, (plane0 + q) * n * Float.BYTES, dst, at * Float.BYTES, n * Float.BYTES);
                dst.asSlice((at + n) * Float.BYTES, (lay.plane - n) * Float.BYTES).fill((byte) 0);
            }
            dst.asSlice(lay.at(planes, 0) * Float.BYTES, lay.margin * Float.BYTES).fill((byte) 0);
            return;
        }
        dst.asSlice(0, lay.floats(planes) * Float.BYTES).fill((byte) 0);
        for (int q = 0; q < planes; q++) {
            long from = (plane0 + q) * n;
            for (int v = 0; v < lay.vectors; v++) {
                VectorMask<Float> keep = VectorMask.fromLong(S, lay.keep[v]), first = VectorMask.fromLong(S, lay.first[v]);
                FloatVector xv = FloatVector.fromMemorySegment(S, src, (from + lay.start[v]) * Float.BYTES, BO, first);
                // the expand is the identity on a run of leading lanes (every vector at p = 0), and it costs
                (lay.contiguous[v] ? xv : xv.expand(keep)).intoMemorySegment(dst, lay.at(q, v) * Float.BYTES, BO);
            }
        }
    }

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
     * by wp ({@link #pack}); {@code transposed} takes the negated shifts (the input gradient). {@code buf} is this
     * thread's scratch of at least {@link Layout#floats}((b1 − b0)·inCh) floats. Slots past the range repeat the
     * last slot's loads and are not stored.
     */
    static void apply(MemorySegment out, MemorySegment in, float[] wp, int inCh, int outCh, Layout lay, boolean transposed,
                      int b0, int b1, boolean accumulate, MemorySegment buf) {
        pad(buf, in, (long) b0 * inCh, (b1 - b0) * inCh, lay);
        int taps = lay.taps, v = lay.vectors, slots = (b1 - b0) * v, n = lay.h * lay.w;
        int[] shift = transposed ? lay.shiftT : lay.shift;
        float[] acc = new float[OB * NB * L];
        for (int s = 0; s < slots; s += NB) {
            int s1 = Math.min(s + 1, slots - 1), s2 = Math.min(s + 2, slots - 1), s3 = Math.min(s + 3, slots - 1);
            long x0 = lay.at(s / v * inCh, s % v), x1 = lay.at(s1 / v * inCh, s1 % v);
            long x2 = lay.at(s2 / v * inCh, s2 % v), x3 = lay.at(s3 / v * inCh, s3 % v);
            for (int ob = 0; ob * OB < outCh; ob++) {
                // the block is a method of its own and hands its accumulators back through acc: with the 16 stores
                // inlined here, C2 took seconds (tens under load) to compile apply
                block(acc, buf, wp, ob * inCh * taps * OB, inCh, lay.plane, shift, taps, x0, x1, x2, x3);
                int o = ob * OB;
                for (int j = 0; j < NB && s + j < slots; j++) {
                    int sj = s + j, vj = sj % v;
                    long y = ((long) (b0 + sj / v) * outCh + o) * n + lay.start[vj];
                    VectorMask<Float> keep = VectorMask.fromLong(S, lay.keep[vj]), first = VectorMask.fromLong(S, lay.first[vj]);
                    for (int i = 0; i < OB && o + i < outCh; i++) {
                        long at = (y + (long) i * n) * Float.BYTES;
                        FloatVector a = FloatVector.fromArray(S, acc, (i * NB + j) * L);
                        if (!lay.contiguous[vj]) a = a.compress(keep);
                        if (accumulate) a = a.add(FloatVector.fromMemorySegment(S, out, at, BO, first));
                        a.intoMemorySegment(out, at, BO, first);
                    }
                }
            }
        }
    }

    /**
     * One register block: acc[(i·NB + j)·L + lane] = Σ_{c,t} wp[k0 + (c·T + t)·OB + i] · buf[x_j + c·P + shift(t) + lane].
     */
    private static void block(float[] acc, MemorySegment buf, float[] wp, int k0, int inCh, int plane, int[] shift, int taps,
                              long x0, long x1, long x2, long x3) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int k = k0;
        for (int c = 0; c < inCh; c++) {
            long cx = (long) c * plane;
            for (int t = 0; t < taps; t++, k += OB) {
                long at = cx + shift[t];
                FloatVector p0 = FloatVector.fromMemorySegment(S, buf, (x0 + at) * 4, BO);
                FloatVector p1 = FloatVector.fromMemorySegment(S, buf, (x1 + at) * 4, BO);
                FloatVector p2 = FloatVector.fromMemorySegment(S, buf, (x2 + at) * 4, BO);
                FloatVector p3 = FloatVector.fromMemorySegment(S, buf, (x3 + at) * 4, BO);
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
     * Both are padded first (xBuf, gBuf: this thread's scratch); dOut's junk lanes are zeros there, so no lane of
     * a whole-vector product needs a mask. Blocks of 4 output channels × 4 (c, t) pairs accumulate lane-wise over
     * every vector, then fold by {@link Lanes#sum}. Pairs and channels past the end repeat the last one's loads
     * and are not written.
     */
    static void weightGrad(float[] part, MemorySegment dOut, MemorySegment x, int inCh, int outCh, Layout lay, int b0, int b1,
                           MemorySegment xBuf, MemorySegment gBuf) {
        pad(xBuf, x, (long) b0 * inCh, (b1 - b0) * inCh, lay);
        pad(gBuf, dOut, (long) b0 * outCh, (b1 - b0) * outCh, lay);
        int taps = lay.taps, pairs = inCh * taps;
        float[] acc = new float[OB * 4 * L];
        for (int o = 0; o < outCh; o += OB) {
            int o1 = Math.min(o + 1, outCh - 1), o2 = Math.min(o + 2, outCh - 1), o3 = Math.min(o + 3, outCh - 1);
            for (int q = 0; q < pairs; q += 4) {
                int q1 = Math.min(q + 1, pairs - 1), q2 = Math.min(q + 2, pairs - 1), q3 = Math.min(q + 3, pairs - 1);
                long c0 = (long) (q / taps) * lay.plane + lay.shift[q % taps], c1 = (long) (q1 / taps) * lay.plane + lay.shift[q1 % taps];
                long c2 = (long) (q2 / taps) * lay.plane + lay.shift[q2 % taps], c3 = (long) (q3 / taps) * lay.plane + lay.shift[q3 % taps];
                gradRun(acc, gBuf, xBuf, inCh, outCh, lay, b1 - b0, (long) o * lay.plane, (long) o1 * lay.plane,
                        (long) o2 * lay.plane, (long) o3 * lay.plane, c0, c1, c2, c3);
                for (int i = 0; i < OB && o + i < outCh; i++)
                    for (int j = 0; j < 4 && q + j < pairs; j++) part[(o + i) * pairs + q + j] = Lanes.sum(FloatVector.fromArray(S, acc, (i * 4 + j) * L));
            }
        }
    }

    /**
     * acc[(i·4 + j)·L + lane] = Σ over the buffers' images and vectors of g[img, ·] at g_i · x[img, ·] at c_j.
     */
    private static void gradRun(float[] acc, MemorySegment g, MemorySegment x, int inCh, int outCh, Layout lay, int images,
                                long g0, long g1, long g2, long g3, long c0, long c1, long c2, long c3) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int img = 0; img < images; img++)
            for (int vs = 0; vs < lay.vectors; vs++) {
                long xb = lay.at(img * inCh, vs) * 4, gb = lay.at(img * outCh, vs) * 4;
                FloatVector q0 = FloatVector.fromMemorySegment(S, g, gb + g0 * 4, BO);
                FloatVector q1 = FloatVector.fromMemorySegment(S, g, gb + g1 * 4, BO);
                FloatVector q2 = FloatVector.fromMemorySegment(S, g, gb + g2 * 4, BO);
                FloatVector q3 = FloatVector.fromMemorySegment(S, g, gb + g3 * 4, BO);
                FloatVector p0 = FloatVector.fromMemorySegment(S, x, xb + c0 * 4, BO);
                FloatVector p1 = FloatVector.fromMemorySegment(S, x, xb + c1 * 4, BO);
                FloatVector p2 = FloatVector.fromMemorySegment(S, x, xb + c2 * 4, BO);
                FloatVector p3 = FloatVector.fromMemorySegment(S, x, xb + c3 * 4, BO);
                a00 = q0.fma(p0, a00); a01 = q0.fma(p1, a01); a02 = q0.fma(p2, a02); a03 = q0.fma(p3, a03);
                a10 = q1.fma(p0, a10); a11 = q1.fma(p1, a11); a12 = q1.fma(p2, a12); a13 = q1.fma(p3, a13);
                a20 = q2.fma(p0, a20); a21 = q2.fma(p1, a21); a22 = q2.fma(p2, a22); a23 = q2.fma(p3, a23);
                a30 = q3.fma(p0, a30); a31 = q3.fma(p1, a31); a32 = q3.fma(p2, a32); a33 = q3.fma(p3, a33);
            }
        a00.intoArray(acc, 0); a01.intoArray(acc, L); a02.intoArray(acc, 2 * L); a03.intoArray(acc, 3 * L);
        a10.intoArray(acc, 4 * L); a11.intoArray(acc, 5 * L); a12.intoArray(acc, 6 * L); a13.intoArray(acc, 7 * L);
        a20.intoArray(acc, 8 * L); a21.intoArray(acc, 9 * L); a22.intoArray(acc, 10 * L); a23.intoArray(acc, 11 * L);
        a30.intoArray(acc, 12 * L); a31.intoArray(acc, 13 * L); a32.intoArray(acc, 14 * L); a33.intoArray(acc, 15 * L);
    }
}
