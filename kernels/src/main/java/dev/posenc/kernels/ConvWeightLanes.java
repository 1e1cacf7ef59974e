package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The weight gradient of {@link ConvDirect}'s 3×3 convolutions with the vector lanes across output channels,
 * for outCh a multiple of L (the 7 × 7 cell's 16 channels):
 * <pre>
 *   part[o, c, t] = Σ_{b ∈ [b0, b1)} Σ_{p inside} dOut[b, o, p] · x[b, c, p + shift(t)]
 *                 = Σ_b Σ_{q inside} dOut[b, o, q − shift(t)] · x[b, c, q]        (dOut = 0 off the image)
 *   per input pixel q:  acc[c, t] (L lanes = L output channels) += dOutᵀ[q − shift(t), o-block] · broadcast(x[c, q])
 * </pre>
 * {@link ConvDirect#weightGrad} puts pixels in the lanes; each (o, c, t) is then a lane sum, folded once per
 * block of 16 (a 16 × 144 reduction at 7² folds 2304 vectors per image chunk), and its padded rows carry 15 junk
 * lanes of 64. Here each accumulator lane is one finished weight, no fold. dOut is transposed once per image into
 * pixel-major rows of L channels ({@link LaneTranspose}, 16 × 16 blocks in registers), placed in a zero-bordered
 * padded plane ({@link ConvDirect.Layout}'s rows, plus {@code reach} zero rows each side), so the row of output pixel
 * q − shift(t) is a plain load for every real input pixel q; x is read compact, as broadcast scalars (heap arrays, so
 * the loop's index checks hoist).
 * <p>
 * A register block is one o-block × 2 input channels × 9 taps: 18 accumulators. Per input pixel: 2 broadcasts and
 * the 9 taps' dOut rows, each feeding both channels (18 multiply-adds). Iterating over output pixels instead (the
 * first version, 2026-12-05) needed one broadcast per multiply-add, and the broadcasts, not the multiply-adds, set
 * its pace. Each weight is summed in one fixed order (images ascending, then input pixels q in raster order, which
 * for a fixed tap is the raster order of p = q − shift(t)), so the partial depends on [b0, b1) only, never on the
 * thread count; against the output-pixel order only products with a zero factor (taps off the image) differ, which
 * add nothing. Twin: {@link ConvCpu#backwardScalar}.
 */
final class ConvWeightLanes {
    private ConvWeightLanes() {}

    private static final VectorSpecies<Float> S = PlaneTaps.S;
    private static final int L = PlaneTaps.L;
    private static final int TAPS = 9;

    /** Per thread: x (compact), dOut (heap copy), one image's dOut transposed, the padded transposed planes, the sums. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);

    /** Whether this kernel applies: 3 × 3 taps and whole vectors of output channels. */
    static boolean fits(int outCh, int taps) { return taps == TAPS && outCh % L == 0; }

    /** part[o·(inCh·9) + c·9 + t] = the weight gradient of images [b0, b1), overwritten. */
    static void weightGrad(float[] part, MemorySegment dOut, MemorySegment x, int inCh, int outCh, ConvDirect.Layout lay,
                           int b0, int b1) {
        int images = b1 - b0, n = lay.h * lay.w, nPad = (n + L - 1) / L * L, blocks = outCh / L;
        int reach = 0;
        for (int s : lay.shift) reach = Math.max(reach, Math.abs(s));
        int rows = lay.plane + 2 * reach;
        float[][] scratch = SCRATCH.get();
        float[] xc = grow(scratch, 0, (long) images * inCh * n);
        float[] g = grow(scratch, 1, (long) images * outCh * n + L);   // + L: the last block reads past the last row
        float[] gc = grow(scratch, 2, (long) nPad * L);
        float[] gT = grow(scratch, 3, (long) images * blocks * rows * L);
        // the array form of copy: no heap segment reaches code that has only seen native ones (a second segment class
        // at a call site shared with the other kernels would make it bimorphic)
        MemorySegment.copy(x, ValueLayout.JAVA_FLOAT_UNALIGNED, (long) b0 * inCh * n * Float.BYTES, xc, 0, images * inCh * n);
        MemorySegment.copy(dOut, ValueLayout.JAVA_FLOAT_UNALIGNED, (long) b0 * outCh * n * Float.BYTES, g, 0, images * outCh * n);
        // gT[((img·blocks + ob)·rows + reach + top + y·Wp + x)·L + j] = dOut[b0 + img, ob·L + j, y·W + x]; zeros elsewhere
        Arrays.fill(gT, 0, images * blocks * rows * L, 0f);
        for (int img = 0; img < images; img++)
            for (int ob = 0; ob < blocks; ob++) {
                for (int i0 = 0; i0 < n; i0 += L) {
                    LaneTranspose.transpose(g, (img * outCh + ob * L) * n + i0, n, gc, gc, i0 * L, L, 0);
                }
                int base = ((img * blocks + ob) * rows + reach + lay.top) * L;
                for (int y = 0; y < lay.h; y++) System.arraycopy(gc, y * lay.w * L, gT, base + y * lay.wp * L, lay.w * L);
            }
        // images outermost: one image's transposed dOut (rows·L floats, 6 KB at 7²) stays in L1 while every channel pair
        // reads its 9 taps, and the accumulators go to acc between images (exact, so the order per weight is kept)
        int pairs = inCh * TAPS, cPairs = (inCh + 1) / 2;
        float[] acc = grow(scratch, 4, (long) blocks * cPairs * 2 * TAPS * L);
        Arrays.fill(acc, 0, blocks * cPairs * 2 * TAPS * L, 0f);
        for (int img = 0; img < images; img++)
            for (int ob = 0; ob < blocks; ob++)
                for (int cp = 0; cp < cPairs; cp++) {
                    int c = 2 * cp, c1 = Math.min(c + 1, inCh - 1);
                    block(acc, (ob * cPairs + cp) * 2 * TAPS * L, xc, (img * inCh + c) * n, (img * inCh + c1) * n, gT,
                            ((img * blocks + ob) * rows + reach + lay.top) * L, lay);
                }
        for (int ob = 0; ob < blocks; ob++)
            for (int c = 0; c < inCh; c++)
                for (int t = 0; t < TAPS; t++) {
                    int from = ((ob * cPairs + c / 2) * 2 * TAPS + (c % 2) * TAPS + t) * L;
                    for (int j = 0; j < L; j++) part[(ob * L + j) * pairs + c * TAPS + t] = acc[from + j];
                }
    }

    /**
     * acc[a + (k·9 + t)·L + j] += Σ over one image's real input pixels q of dOutᵀ[q − shift(t), j] · x[c_k, q]: x planes
     * of channels c_0, c_1 at xa, xb in xc; the image's o-block of transposed dOut with pixel (0, 0)'s row at gb in gT.
     */
    private static void block(float[] acc, int a, float[] xc, int xa, int xb, float[] gT, int gb, ConvDirect.Layout lay) {
        int[] sh = lay.shift;
        int s0 = sh[0] * L, s1 = sh[1] * L, s2 = sh[2] * L, s3 = sh[3] * L, s4 = sh[4] * L, s5 = sh[5] * L, s6 = sh[6] * L;
        int s7 = sh[7] * L, s8 = sh[8] * L;
        int h = lay.h, w = lay.w, wp = lay.wp;
        FloatVector a0 = FloatVector.fromArray(S, acc, a), a1 = FloatVector.fromArray(S, acc, a + L);
        FloatVector a2 = FloatVector.fromArray(S, acc, a + 2 * L), a3 = FloatVector.fromArray(S, acc, a + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, acc, a + 4 * L), a5 = FloatVector.fromArray(S, acc, a + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, acc, a + 6 * L), a7 = FloatVector.fromArray(S, acc, a + 7 * L);
        FloatVector a8 = FloatVector.fromArray(S, acc, a + 8 * L), b0 = FloatVector.fromArray(S, acc, a + 9 * L);
        FloatVector b1 = FloatVector.fromArray(S, acc, a + 10 * L), b2 = FloatVector.fromArray(S, acc, a + 11 * L);
        FloatVector b3 = FloatVector.fromArray(S, acc, a + 12 * L), b4 = FloatVector.fromArray(S, acc, a + 13 * L);
        FloatVector b5 = FloatVector.fromArray(S, acc, a + 14 * L), b6 = FloatVector.fromArray(S, acc, a + 15 * L);
        FloatVector b7 = FloatVector.fromArray(S, acc, a + 16 * L), b8 = FloatVector.fromArray(S, acc, a + 17 * L);
        for (int y = 0; y < h; y++) {
            int ra = xa + y * w, rb = xb + y * w, rg = gb + y * wp * L;
            for (int xx = 0; xx < w; xx++) {
                FloatVector va = FloatVector.broadcast(S, xc[ra + xx]), vb = FloatVector.broadcast(S, xc[rb + xx]);
                int q = rg + xx * L;
                FloatVector g;
                g = FloatVector.fromArray(S, gT, q - s0); a0 = g.fma(va, a0); b0 = g.fma(vb, b0);
                g = FloatVector.fromArray(S, gT, q - s1); a1 = g.fma(va, a1); b1 = g.fma(vb, b1);
                g = FloatVector.fromArray(S, gT, q - s2); a2 = g.fma(va, a2); b2 = g.fma(vb, b2);
                g = FloatVector.fromArray(S, gT, q - s3); a3 = g.fma(va, a3); b3 = g.fma(vb, b3);
                g = FloatVector.fromArray(S, gT, q - s4); a4 = g.fma(va, a4); b4 = g.fma(vb, b4);
                g = FloatVector.fromArray(S, gT, q - s5); a5 = g.fma(va, a5); b5 = g.fma(vb, b5);
                g = FloatVector.fromArray(S, gT, q - s6); a6 = g.fma(va, a6); b6 = g.fma(vb, b6);
                g = FloatVector.fromArray(S, gT, q - s7); a7 = g.fma(va, a7); b7 = g.fma(vb, b7);
                g = FloatVector.fromArray(S, gT, q - s8); a8 = g.fma(va, a8); b8 = g.fma(vb, b8);
            }
        }
        a0.intoArray(acc, a); a1.intoArray(acc, a + L); a2.intoArray(acc, a + 2 * L); a3.intoArray(acc, a + 3 * L);
        a4.intoArray(acc, a + 4 * L); a5.intoArray(acc, a + 5 * L); a6.intoArray(acc, a + 6 * L); a7.intoArray(acc, a + 7 * L);
        a8.intoArray(acc, a + 8 * L); b0.intoArray(acc, a + 9 * L); b1.intoArray(acc, a + 10 * L); b2.intoArray(acc, a + 11 * L);
        b3.intoArray(acc, a + 12 * L); b4.intoArray(acc, a + 13 * L); b5.intoArray(acc, a + 14 * L); b6.intoArray(acc, a + 15 * L);
        b7.intoArray(acc, a + 16 * L); b8.intoArray(acc, a + 17 * L);
    }

    private static float[] grow(float[][] scratch, int slot, long floats) {
        if (floats > Integer.MAX_VALUE) throw new IllegalArgumentException("ConvWeightLanes: buffer of " + floats + " floats");
        if (scratch[slot].length < floats) scratch[slot] = new float[(int) floats];
        return scratch[slot];
    }
}
