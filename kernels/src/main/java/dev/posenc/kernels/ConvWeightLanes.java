package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * The weight gradient of {@link ConvDirect}'s 3×3 convolutions with the vector lanes across output channels,
 * for outCh a multiple of L (the 7 × 7 cell's 16 channels):
 * <pre>
 *   part[o, c, t] = Σ_{b ∈ [b0, b1)} Σ_{i inside} dOut[b, o, i] · x[b, c, i + shift(t)]
 *   per pixel i:  acc[c, t] (L lanes = L output channels) += dOutᵀ[i, o-block] · broadcast(x[c, i + shift(t)])
 * </pre>
 * {@link ConvDirect#weightGrad} puts pixels in the lanes; each (o, c, t) is then a lane sum, folded once per
 * block of 16 (a 16 × 144 reduction at 7² folds 2304 vectors per image chunk), and its padded rows carry 15 junk
 * lanes of 64. Here each accumulator lane is one finished weight, no fold, and only the H·W real pixels are
 * visited. The price is one transpose of dOut per image into pixel-major rows of L channels ({@link LaneTranspose},
 * 16 × 16 blocks in registers), and x is read as broadcast scalars from its {@link ConvDirect.Layout padded
 * planes} (heap arrays, so the loop's index checks hoist), where every tap of a real pixel is in range.
 * <p>
 * A register block is one o-block × 2 input channels × 9 taps: 18 accumulators fed by one vector load and 18
 * broadcasts per pixel. Each weight is summed in one fixed order (images ascending, then pixels in raster order),
 * so the partial depends on [b0, b1) only, never on the thread count. Twin: {@link ConvCpu#backwardScalar}.
 */
final class ConvWeightLanes {
    private ConvWeightLanes() {}

    private static final VectorSpecies<Float> S = PlaneTaps.S;
    private static final int L = PlaneTaps.L;
    private static final int TAPS = 9;

    /** Per thread: the padded x planes and dOut transposed, grown on demand. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Whether this kernel applies: 3 × 3 taps and whole vectors of output channels. */
    static boolean fits(int outCh, int taps) { return taps == TAPS && outCh % L == 0; }

    /** part[o·(inCh·9) + c·9 + t] = the weight gradient of images [b0, b1), overwritten. */
    static void weightGrad(float[] part, MemorySegment dOut, MemorySegment x, int inCh, int outCh, ConvDirect.Layout lay,
                           int b0, int b1) {
        int images = b1 - b0, n = lay.h * lay.w, nPad = (n + L - 1) / L * L, blocks = outCh / L;
        float[][] scratch = SCRATCH.get();
        float[] xp = grow(scratch, 0, lay.floats(images * inCh));
        float[] gT = grow(scratch, 1, (long) images * blocks * nPad * L);
        float[] g = grow(scratch, 2, (long) images * outCh * n + L);   // + L: the last block reads past the last row
        ConvDirect.pad(MemorySegment.ofArray(xp), x, (long) b0 * inCh, images * inCh, lay);
        MemorySegment.copy(dOut, (long) b0 * outCh * n * Float.BYTES, MemorySegment.ofArray(g), 0, (long) images * outCh * n * Float.BYTES);
        // gT[((img·blocks + ob)·nPad + i)·L + j] = dOut[b0 + img, ob·L + j, i]; rows i ≥ n hold junk, never read
        for (int img = 0; img < images; img++)
            for (int ob = 0; ob < blocks; ob++)
                for (int i0 = 0; i0 < n; i0 += L) {
                    int dst = ((img * blocks + ob) * nPad + i0) * L;
                    LaneTranspose.transpose(g, (img * outCh + ob * L) * n + i0, n, gT, gT, dst, L, 0);
                }
        int pairs = inCh * TAPS;
        float[] lanes = new float[2 * TAPS * L];
        for (int ob = 0; ob < blocks; ob++)
            for (int c = 0; c < inCh; c += 2) {
                int c1 = Math.min(c + 1, inCh - 1);
                block(lanes, xp, gT, lay, images, inCh, blocks, ob, nPad, c, c1);
                for (int k = 0; k < 2 && c + k < inCh; k++)
                    for (int t = 0; t < TAPS; t++)
                        for (int j = 0; j < L; j++) part[(ob * L + j) * pairs + (c + k) * TAPS + t] = lanes[(k * TAPS + t) * L + j];
            }
    }

    /** lanes[(k·9 + t)·L + j] = Σ over the images and real pixels of dOutᵀ[·, ob·L + j] · x[·, c_k, · + shift(t)]. */
    private static void block(float[] lanes, float[] xp, float[] gT, ConvDirect.Layout lay, int images, int inCh, int blocks,
                              int ob, int nPad, int c0, int c1) {
        int[] sh = lay.shift;
        int s0 = sh[0], s1 = sh[1], s2 = sh[2], s3 = sh[3], s4 = sh[4], s5 = sh[5], s6 = sh[6], s7 = sh[7], s8 = sh[8];
        int h = lay.h, w = lay.w, wp = lay.wp;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0, b8 = a0;
        for (int img = 0; img < images; img++) {
            int xa = (int) lay.at(img * inCh + c0, 0), xb = (int) lay.at(img * inCh + c1, 0);
            int gb = (img * blocks + ob) * nPad * L;
            for (int y = 0; y < h; y++) {
                int ra = xa + y * wp, rb = xb + y * wp, rg = gb + y * w * L;
                for (int xx = 0; xx < w; xx++) {
                    FloatVector gv = FloatVector.fromArray(S, gT, rg + xx * L);
                    int pa = ra + xx, pb = rb + xx;
                    a0 = FloatVector.broadcast(S, xp[pa + s0]).fma(gv, a0); a1 = FloatVector.broadcast(S, xp[pa + s1]).fma(gv, a1); a2 = FloatVector.broadcast(S, xp[pa + s2]).fma(gv, a2);
                    a3 = FloatVector.broadcast(S, xp[pa + s3]).fma(gv, a3); a4 = FloatVector.broadcast(S, xp[pa + s4]).fma(gv, a4); a5 = FloatVector.broadcast(S, xp[pa + s5]).fma(gv, a5);
                    a6 = FloatVector.broadcast(S, xp[pa + s6]).fma(gv, a6); a7 = FloatVector.broadcast(S, xp[pa + s7]).fma(gv, a7); a8 = FloatVector.broadcast(S, xp[pa + s8]).fma(gv, a8);
                    b0 = FloatVector.broadcast(S, xp[pb + s0]).fma(gv, b0); b1 = FloatVector.broadcast(S, xp[pb + s1]).fma(gv, b1); b2 = FloatVector.broadcast(S, xp[pb + s2]).fma(gv, b2);
                    b3 = FloatVector.broadcast(S, xp[pb + s3]).fma(gv, b3); b4 = FloatVector.broadcast(S, xp[pb + s4]).fma(gv, b4); b5 = FloatVector.broadcast(S, xp[pb + s5]).fma(gv, b5);
                    b6 = FloatVector.broadcast(S, xp[pb + s6]).fma(gv, b6); b7 = FloatVector.broadcast(S, xp[pb + s7]).fma(gv, b7); b8 = FloatVector.broadcast(S, xp[pb + s8]).fma(gv, b8);
                }
            }
        }
        a0.intoArray(lanes, 0); a1.intoArray(lanes, L); a2.intoArray(lanes, 2 * L); a3.intoArray(lanes, 3 * L);
        a4.intoArray(lanes, 4 * L); a5.intoArray(lanes, 5 * L); a6.intoArray(lanes, 6 * L); a7.intoArray(lanes, 7 * L);
        a8.intoArray(lanes, 8 * L); b0.intoArray(lanes, 9 * L); b1.intoArray(lanes, 10 * L); b2.intoArray(lanes, 11 * L);
        b3.intoArray(lanes, 12 * L); b4.intoArray(lanes, 13 * L); b5.intoArray(lanes, 14 * L); b6.intoArray(lanes, 15 * L);
        b7.intoArray(lanes, 16 * L); b8.intoArray(lanes, 17 * L);
    }

    private static float[] grow(float[][] scratch, int slot, long floats) {
        if (floats > Integer.MAX_VALUE) throw new IllegalArgumentException("ConvWeightLanes: buffer of " + floats + " floats");
        if (scratch[slot].length < floats) scratch[slot] = new float[(int) floats];
        return scratch[slot];
    }
}
