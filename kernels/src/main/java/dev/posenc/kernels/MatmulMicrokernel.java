package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of every CPU matrix product: an MR × NR block of C held in vector accumulators while
 * k runs over a packed, NR-wide panel of B. The shape follows the register file of the SIMD width:
 * <ul>
 * <li>16 float lanes (AVX-512, 32 zmm): 4 rows × 4 vectors (4 × 64), 16 accumulators + 4 B + 1 broadcast;
 * <li>8 lanes or fewer (AVX2 / NEON, 16 registers): 4 rows × 3 vectors (4 × 24), 12 + 3 + 1 = 16. It ran
 * 15% faster than the classic 6 × 2 (72 against 62 GFLOP/s in isolation on a Zen AVX2 core): fewer
 * broadcasts per FMA.
 * </ul>
 * Why not larger: more accumulators spill, and bigger methods make C1 bail out ("out of virtual
 * registers"), which under tiered compilation strands a kernel at ~1 GFLOP/s for good (8 × 2 did);
 * JitCliffTest guards that. Twin: {@link MatmulCpu#matmulScalar}.
 */
final class MatmulMicrokernel {
    private MatmulMicrokernel() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** True with 32 vector registers of 16 lanes: the 4 × 4-vector tile; else the 4 × 3-vector tile. */
    static final boolean WIDE = L >= 16;
    /** Rows of C per tile. */
    static final int MR = 4;
    /** Columns of C per tile; the packed B panel has this width. */
    static final int NR = WIDE ? 4 * L : 3 * L;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final long LB = (long) L * Float.BYTES;

    /**
     * {@code cOut[r][j] = cIn[r][j] + Σ_k A[r][k] · bp[bOff + k·NR + j]} for r < MR, j < NR, k < kc.
     * Modifies {@code cOut} only. Row r of A starts at byte {@code aRows[r]}, and consecutive k are
     * {@code aStep} bytes apart, so one kernel reads A stored either way (NN: aStep = 4; TN: a row of A).
     * C offsets and row strides are in bytes; a row stride of 0 reads one row for all (a zero row).
     */
    static void tile(MemorySegment a, long[] aRows, long aStep, float[] bp, int bOff, int kc,
                     MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        // WIDE is a constant: the JIT keeps one branch, and each kernel has this single call site.
        if (WIDE) tile4x4(a, aRows, aStep, bp, bOff, kc, cIn, in0, inRow, cOut, out0, outRow);
        else tile4x3(a, aRows, aStep, bp, bOff, kc, cIn, in0, inRow, cOut, out0, outRow);
    }

    /** {@link #tile} for 4 rows × 4 vectors; reads a panel 4·L wide. */
    static void tile4x4(MemorySegment a, long[] aRows, long aStep, float[] bp, int bOff, int kc,
                        MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        final int nr = 4 * L;
        long a0 = aRows[0], a1 = aRows[1], a2 = aRows[2], a3 = aRows[3];
        long in1 = in0 + inRow, in2 = in1 + inRow, in3 = in2 + inRow;
        FloatVector c00 = FloatVector.fromMemorySegment(S, cIn, in0, BO);
        FloatVector c01 = FloatVector.fromMemorySegment(S, cIn, in0 + LB, BO);
        FloatVector c02 = FloatVector.fromMemorySegment(S, cIn, in0 + 2 * LB, BO);
        FloatVector c03 = FloatVector.fromMemorySegment(S, cIn, in0 + 3 * LB, BO);
        FloatVector c10 = FloatVector.fromMemorySegment(S, cIn, in1, BO);
        FloatVector c11 = FloatVector.fromMemorySegment(S, cIn, in1 + LB, BO);
        FloatVector c12 = FloatVector.fromMemorySegment(S, cIn, in1 + 2 * LB, BO);
        FloatVector c13 = FloatVector.fromMemorySegment(S, cIn, in1 + 3 * LB, BO);
        FloatVector c20 = FloatVector.fromMemorySegment(S, cIn, in2, BO);
        FloatVector c21 = FloatVector.fromMemorySegment(S, cIn, in2 + LB, BO);
        FloatVector c22 = FloatVector.fromMemorySegment(S, cIn, in2 + 2 * LB, BO);
        FloatVector c23 = FloatVector.fromMemorySegment(S, cIn, in2 + 3 * LB, BO);
        FloatVector c30 = FloatVector.fromMemorySegment(S, cIn, in3, BO);
        FloatVector c31 = FloatVector.fromMemorySegment(S, cIn, in3 + LB, BO);
        FloatVector c32 = FloatVector.fromMemorySegment(S, cIn, in3 + 2 * LB, BO);
        FloatVector c33 = FloatVector.fromMemorySegment(S, cIn, in3 + 3 * LB, BO);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            long ak = k * aStep;
            FloatVector x = FloatVector.broadcast(S, a.get(F, a0 + ak));
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02); c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(S, a.get(F, a1 + ak));
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12); c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(S, a.get(F, a2 + ak));
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22); c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(S, a.get(F, a3 + ak));
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32); c33 = b3.fma(x, c33);
        }
        long out1 = out0 + outRow, out2 = out1 + outRow, out3 = out2 + outRow;
        c00.intoMemorySegment(cOut, out0, BO); c01.intoMemorySegment(cOut, out0 + LB, BO);
        c02.intoMemorySegment(cOut, out0 + 2 * LB, BO); c03.intoMemorySegment(cOut, out0 + 3 * LB, BO);
        c10.intoMemorySegment(cOut, out1, BO); c11.intoMemorySegment(cOut, out1 + LB, BO);
        c12.intoMemorySegment(cOut, out1 + 2 * LB, BO); c13.intoMemorySegment(cOut, out1 + 3 * LB, BO);
        c20.intoMemorySegment(cOut, out2, BO); c21.intoMemorySegment(cOut, out2 + LB, BO);
        c22.intoMemorySegment(cOut, out2 + 2 * LB, BO); c23.intoMemorySegment(cOut, out2 + 3 * LB, BO);
        c30.intoMemorySegment(cOut, out3, BO); c31.intoMemorySegment(cOut, out3 + LB, BO);
        c32.intoMemorySegment(cOut, out3 + 2 * LB, BO); c33.intoMemorySegment(cOut, out3 + 3 * LB, BO);
    }

    /** {@link #tile} for 4 rows × 3 vectors; reads a panel 3·L wide. */
    static void tile4x3(MemorySegment a, long[] aRows, long aStep, float[] bp, int bOff, int kc,
                        MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        final int nr = 3 * L;
        long a0 = aRows[0], a1 = aRows[1], a2 = aRows[2], a3 = aRows[3];
        long in1 = in0 + inRow, in2 = in1 + inRow, in3 = in2 + inRow;
        FloatVector c00 = FloatVector.fromMemorySegment(S, cIn, in0, BO);
        FloatVector c01 = FloatVector.fromMemorySegment(S, cIn, in0 + LB, BO);
        FloatVector c02 = FloatVector.fromMemorySegment(S, cIn, in0 + 2 * LB, BO);
        FloatVector c10 = FloatVector.fromMemorySegment(S, cIn, in1, BO);
        FloatVector c11 = FloatVector.fromMemorySegment(S, cIn, in1 + LB, BO);
        FloatVector c12 = FloatVector.fromMemorySegment(S, cIn, in1 + 2 * LB, BO);
        FloatVector c20 = FloatVector.fromMemorySegment(S, cIn, in2, BO);
        FloatVector c21 = FloatVector.fromMemorySegment(S, cIn, in2 + LB, BO);
        FloatVector c22 = FloatVector.fromMemorySegment(S, cIn, in2 + 2 * LB, BO);
        FloatVector c30 = FloatVector.fromMemorySegment(S, cIn, in3, BO);
        FloatVector c31 = FloatVector.fromMemorySegment(S, cIn, in3 + LB, BO);
        FloatVector c32 = FloatVector.fromMemorySegment(S, cIn, in3 + 2 * LB, BO);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            long ak = k * aStep;
            FloatVector x = FloatVector.broadcast(S, a.get(F, a0 + ak));
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a.get(F, a1 + ak));
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a.get(F, a2 + ak));
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a.get(F, a3 + ak));
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32);
        }
        long out1 = out0 + outRow, out2 = out1 + outRow, out3 = out2 + outRow;
        c00.intoMemorySegment(cOut, out0, BO); c01.intoMemorySegment(cOut, out0 + LB, BO); c02.intoMemorySegment(cOut, out0 + 2 * LB, BO);
        c10.intoMemorySegment(cOut, out1, BO); c11.intoMemorySegment(cOut, out1 + LB, BO); c12.intoMemorySegment(cOut, out1 + 2 * LB, BO);
        c20.intoMemorySegment(cOut, out2, BO); c21.intoMemorySegment(cOut, out2 + LB, BO); c22.intoMemorySegment(cOut, out2 + 2 * LB, BO);
        c30.intoMemorySegment(cOut, out3, BO); c31.intoMemorySegment(cOut, out3 + LB, BO); c32.intoMemorySegment(cOut, out3 + 2 * LB, BO);
    }
}
