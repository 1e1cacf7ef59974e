package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transpose of an L × L block of floats, L = the preferred float species' lane count (16 with AVX-512), with
 * two-source permutes instead of gathers and scatters: {@link FftCpu} moves whole tiles of rows into its
 * lanes-across-rows layout and back with it. A gather or scatter of 16 lanes costs about a load or store per lane on
 * the AMD cores here (a JFR profile of 1024 real FFTs of 256 put 51 % of the time in them); the permute route costs
 * log₂L permutes per row.
 *
 * <p>Transposing swaps the bits of the row and the column index. Stage d (d = 1, 2, 4, …, L/2) swaps bit d alone:
 * for each pair of rows (i, i + d) with bit d of i clear, and each column c with bit d clear,
 * M[i][c + d] ↔ M[i + d][c]. Each new row is one two-source permute of the pair:
 * <pre>
 *   row i'     [c] = c has bit d ?  M[i + d][c − d]  :  M[i][c]
 *   row (i+d)' [c] = c has bit d ?  M[i + d][c]      :  M[i][c + d]
 * </pre>
 * The stages commute, so after all log₂L of them the block is transposed. With 16 lanes the block stays in 16
 * registers ({@link #transpose16}: 16 loads, 64 permutes, 16 stores; 2.2× faster than staging through memory,
 * measured); any other L stages through an L × L scratch block in L1 ({@link #transposeStaged}), since an array of
 * vectors would not stay in registers. Pure data movement: both equal the scalar twin {@link #transposeScalar}
 * bit for bit.
 *
 * <p>Destinations: output row j (column j of the source block) goes to
 * {@code (j even ? even : odd)[dstOff + (j >> shift)·dstStride]}. shift = 0 with even == odd is the plain transpose;
 * shift = 1 splits the even and odd columns into two arrays (real and imaginary parts of interleaved complex rows).
 */
final class LaneTranspose {
    private LaneTranspose() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final int STAGES = Integer.numberOfTrailingZeros(L);
    /** Stage s's permute indexes (the pair's lanes 0 … L − 1, then L … 2L − 1), as float lanes for selectFrom. */
    private static final float[] LOW = new float[STAGES * L];
    private static final float[] HIGH = new float[LOW.length];

    static {
        for (int s = 0, d = 1; d < L; s++, d <<= 1) {
            for (int c = 0; c < L; c++) {
                boolean bit = (c & d) != 0;
                LOW[s * L + c] = bit ? L + c - d : c;
                HIGH[s * L + c] = bit ? L + c : c + d;
            }
        }
    }

    /** Per-thread staging block of {@link #transposeStaged}. */
    private static final ThreadLocal<float[]> STAGE = ThreadLocal.withInitial(() -> new float[L * L]);

    /**
     * Row i of the source block is src[srcOff + i·srcStride …+ L); output row j goes where the class comment says.
     * Modifies even and odd only (neither may overlap the source block).
     */
    static void transpose(float[] src, int srcOff, int srcStride, float[] even, float[] odd, int dstOff, int dstStride,
                          int shift) {
        if (L == 16) transpose16(src, srcOff, srcStride, even, odd, dstOff, dstStride, shift);
        else transposeStaged(src, srcOff, srcStride, even, odd, dstOff, dstStride, shift);
    }

    /** {@link #transpose} for 16 lanes, the block in registers: stages d = 1, 2, 4, 8 on the pairs (i, i + d). */
    static void transpose16(float[] src, int so, int ss, float[] even, float[] odd, int dO, int ds, int shift) {
        FloatVector r0 = row(src, so, ss, 0), r1 = row(src, so, ss, 1), r2 = row(src, so, ss, 2), r3 = row(src, so, ss, 3);
        FloatVector r4 = row(src, so, ss, 4), r5 = row(src, so, ss, 5), r6 = row(src, so, ss, 6), r7 = row(src, so, ss, 7);
        FloatVector r8 = row(src, so, ss, 8), r9 = row(src, so, ss, 9), r10 = row(src, so, ss, 10), r11 = row(src, so, ss, 11);
        FloatVector r12 = row(src, so, ss, 12), r13 = row(src, so, ss, 13), r14 = row(src, so, ss, 14);
        FloatVector r15 = row(src, so, ss, 15);
        FloatVector lo = FloatVector.fromArray(S, LOW, 0), hi = FloatVector.fromArray(S, HIGH, 0), t;
        t = lo.selectFrom(r0, r1); r1 = hi.selectFrom(r0, r1); r0 = t;          // d = 1
        t = lo.selectFrom(r2, r3); r3 = hi.selectFrom(r2, r3); r2 = t;
        t = lo.selectFrom(r4, r5); r5 = hi.selectFrom(r4, r5); r4 = t;
        t = lo.selectFrom(r6, r7); r7 = hi.selectFrom(r6, r7); r6 = t;
        t = lo.selectFrom(r8, r9); r9 = hi.selectFrom(r8, r9); r8 = t;
        t = lo.selectFrom(r10, r11); r11 = hi.selectFrom(r10, r11); r10 = t;
        t = lo.selectFrom(r12, r13); r13 = hi.selectFrom(r12, r13); r12 = t;
        t = lo.selectFrom(r14, r15); r15 = hi.selectFrom(r14, r15); r14 = t;
        lo = FloatVector.fromArray(S, LOW, 16);
        hi = FloatVector.fromArray(S, HIGH, 16);
        t = lo.selectFrom(r0, r2); r2 = hi.selectFrom(r0, r2); r0 = t;          // d = 2
        t = lo.selectFrom(r1, r3); r3 = hi.selectFrom(r1, r3); r1 = t;
        t = lo.selectFrom(r4, r6); r6 = hi.selectFrom(r4, r6); r4 = t;
        t = lo.selectFrom(r5, r7); r7 = hi.selectFrom(r5, r7); r5 = t;
        t = lo.selectFrom(r8, r10); r10 = hi.selectFrom(r8, r10); r8 = t;
        t = lo.selectFrom(r9, r11); r11 = hi.selectFrom(r9, r11); r9 = t;
        t = lo.selectFrom(r12, r14); r14 = hi.selectFrom(r12, r14); r12 = t;
        t = lo.selectFrom(r13, r15); r15 = hi.selectFrom(r13, r15); r13 = t;
        lo = FloatVector.fromArray(S, LOW, 32);
        hi = FloatVector.fromArray(S, HIGH, 32);
        t = lo.selectFrom(r0, r4); r4 = hi.selectFrom(r0, r4); r0 = t;          // d = 4
        t = lo.selectFrom(r1, r5); r5 = hi.selectFrom(r1, r5); r1 = t;
        t = lo.selectFrom(r2, r6); r6 = hi.selectFrom(r2, r6); r2 = t;
        t = lo.selectFrom(r3, r7); r7 = hi.selectFrom(r3, r7); r3 = t;
        t = lo.selectFrom(r8, r12); r12 = hi.selectFrom(r8, r12); r8 = t;
        t = lo.selectFrom(r9, r13); r13 = hi.selectFrom(r9, r13); r9 = t;
        t = lo.selectFrom(r10, r14); r14 = hi.selectFrom(r10, r14); r10 = t;
        t = lo.selectFrom(r11, r15); r15 = hi.selectFrom(r11, r15); r11 = t;
        lo = FloatVector.fromArray(S, LOW, 48);
        hi = FloatVector.fromArray(S, HIGH, 48);
        t = lo.selectFrom(r0, r8); r8 = hi.selectFrom(r0, r8); r0 = t;          // d = 8
        t = lo.selectFrom(r1, r9); r9 = hi.selectFrom(r1, r9); r1 = t;
        t = lo.selectFrom(r2, r10); r10 = hi.selectFrom(r2, r10); r2 = t;
        t = lo.selectFrom(r3, r11); r11 = hi.selectFrom(r3, r11); r3 = t;
        t = lo.selectFrom(r4, r12); r12 = hi.selectFrom(r4, r12); r4 = t;
        t = lo.selectFrom(r5, r13); r13 = hi.selectFrom(r5, r13); r5 = t;
        t = lo.selectFrom(r6, r14); r14 = hi.selectFrom(r6, r14); r6 = t;
        t = lo.selectFrom(r7, r15); r15 = hi.selectFrom(r7, r15); r7 = t;
        r0.intoArray(even, dO);
        r1.intoArray(odd, dO + (1 >> shift) * ds);
        r2.intoArray(even, dO + (2 >> shift) * ds);
        r3.intoArray(odd, dO + (3 >> shift) * ds);
        r4.intoArray(even, dO + (4 >> shift) * ds);
        r5.intoArray(odd, dO + (5 >> shift) * ds);
        r6.intoArray(even, dO + (6 >> shift) * ds);
        r7.intoArray(odd, dO + (7 >> shift) * ds);
        r8.intoArray(even, dO + (8 >> shift) * ds);
        r9.intoArray(odd, dO + (9 >> shift) * ds);
        r10.intoArray(even, dO + (10 >> shift) * ds);
        r11.intoArray(odd, dO + (11 >> shift) * ds);
        r12.intoArray(even, dO + (12 >> shift) * ds);
        r13.intoArray(odd, dO + (13 >> shift) * ds);
        r14.intoArray(even, dO + (14 >> shift) * ds);
        r15.intoArray(odd, dO + (15 >> shift) * ds);
    }

    private static FloatVector row(float[] src, int off, int stride, int i) {
        return FloatVector.fromArray(S, src, off + i * stride);
    }

    /** {@link #transpose} for any L, the stages through a per-thread L × L block. */
    static void transposeStaged(float[] src, int srcOff, int srcStride, float[] even, float[] odd, int dstOff,
                                int dstStride, int shift) {
        float[] tmp = STAGE.get();
        for (int i = 0; i < L; i++) FloatVector.fromArray(S, src, srcOff + i * srcStride).intoArray(tmp, i * L);
        for (int s = 0, d = 1; s < STAGES; s++, d <<= 1) {
            FloatVector lo = FloatVector.fromArray(S, LOW, s * L), hi = FloatVector.fromArray(S, HIGH, s * L);
            for (int i = 0; i < L; i++) {
                if ((i & d) != 0) continue;
                FloatVector a = FloatVector.fromArray(S, tmp, i * L), b = FloatVector.fromArray(S, tmp, (i + d) * L);
                lo.selectFrom(a, b).intoArray(tmp, i * L);
                hi.selectFrom(a, b).intoArray(tmp, (i + d) * L);
            }
        }
        for (int j = 0; j < L; j++) {
            FloatVector.fromArray(S, tmp, j * L).intoArray((j & 1) == 0 ? even : odd, dstOff + (j >> shift) * dstStride);
        }
    }

    /** The twin of {@link #transpose} for a rows × cols corner of the block (rows, cols ≤ L). */
    static void transposeScalar(float[] src, int srcOff, int srcStride, float[] even, float[] odd, int dstOff,
                                int dstStride, int shift, int rows, int cols) {
        for (int j = 0; j < cols; j++) {
            float[] dst = (j & 1) == 0 ? even : odd;
            for (int i = 0; i < rows; i++) dst[dstOff + (j >> shift) * dstStride + i] = src[srcOff + i * srcStride + j];
        }
    }
}
