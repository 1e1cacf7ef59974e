package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of every CPU matrix product: an MR × NR block of C held in vector accumulators while
 * k runs over a packed MR-row micro-panel of A (row r at {@code ap[r·KC + k]}, so every A load is one base
 * register plus a constant) and a packed NR-wide panel of B ({@code bp[bOff + k·NR + j]}).
 * TILE TODO
 * Twin: {@link MatmulCpu#matmulScalar}.
 */
final class MatmulMicrokernel {
    private MatmulMicrokernel() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** True with 32 vector registers of 16 lanes (AVX-512). */
    static final boolean WIDE = L >= 16;
    static final int SHAPE = Integer.getInteger("posenc.tile", 122);
    /** Rows of C per tile. */
    static final int MR = WIDE ? SHAPE / 10 : 4;
    /** Vectors per tile row. */
    static final int NV = WIDE ? SHAPE % 10 : 3;
    /** Columns of C per tile; the packed B panel has this width. */
    static final int NR = NV * L;
    /** Row stride of a packed A micro-panel, and the deepest k one call takes. */
    static final int KC = 256;

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final long LB = (long) L * Float.BYTES;

    /**
     * {@code cOut[r][j] = cIn[r][j] + Σ_k ap[r·KC + k] · bp[bOff + k·NR + j]} for r < MR, j < NR, k < kc ≤ KC.
     * Modifies {@code cOut} only. C offsets and row strides are in bytes; a row stride of 0 reads one row
     * for all (a zero row, to overwrite C).
     */
    static void tile(float[] ap, float[] bp, int bOff, int kc,
                     MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        // SHAPE is a constant: the JIT keeps one branch, and each kernel has this single call site.
        switch (WIDE ? SHAPE : 43) {
            case 122 -> tile12x2(ap, bp, bOff, kc, cIn, in0, inRow, cOut, out0, outRow);
            case 142 -> tile14x2(ap, bp, bOff, kc, cIn, in0, inRow, cOut, out0, outRow);
            case 83 -> tile8x3(ap, bp, bOff, kc, cIn, in0, inRow, cOut, out0, outRow);
            case 64 -> tile6x4(ap, bp, bOff, kc, cIn, in0, inRow, cOut, out0, outRow);
            default -> tile4x3(ap, bp, bOff, kc, cIn, in0, inRow, cOut, out0, outRow);
        }
    }

    private static FloatVector ld(MemorySegment s, long offset) { return FloatVector.fromMemorySegment(S, s, offset, BO); }

    private static void st(FloatVector v, MemorySegment s, long offset) { v.intoMemorySegment(s, offset, BO); }

    /** {@link #tile} for 12 rows × 2 vectors: 24 accumulators, 2 B vectors, 1 broadcast. */
    static void tile12x2(float[] ap, float[] bp, int bOff, int kc,
                       MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        final int nr = 2 * L;
        FloatVector c00 = ld(cIn, in0), c01 = ld(cIn, in0 + 1 * LB);
        FloatVector c10 = ld(cIn, in0 + 1 * inRow), c11 = ld(cIn, in0 + 1 * inRow + 1 * LB);
        FloatVector c20 = ld(cIn, in0 + 2 * inRow), c21 = ld(cIn, in0 + 2 * inRow + 1 * LB);
        FloatVector c30 = ld(cIn, in0 + 3 * inRow), c31 = ld(cIn, in0 + 3 * inRow + 1 * LB);
        FloatVector c40 = ld(cIn, in0 + 4 * inRow), c41 = ld(cIn, in0 + 4 * inRow + 1 * LB);
        FloatVector c50 = ld(cIn, in0 + 5 * inRow), c51 = ld(cIn, in0 + 5 * inRow + 1 * LB);
        FloatVector c60 = ld(cIn, in0 + 6 * inRow), c61 = ld(cIn, in0 + 6 * inRow + 1 * LB);
        FloatVector c70 = ld(cIn, in0 + 7 * inRow), c71 = ld(cIn, in0 + 7 * inRow + 1 * LB);
        FloatVector c80 = ld(cIn, in0 + 8 * inRow), c81 = ld(cIn, in0 + 8 * inRow + 1 * LB);
        FloatVector c90 = ld(cIn, in0 + 9 * inRow), c91 = ld(cIn, in0 + 9 * inRow + 1 * LB);
        FloatVector c100 = ld(cIn, in0 + 10 * inRow), c101 = ld(cIn, in0 + 10 * inRow + 1 * LB);
        FloatVector c110 = ld(cIn, in0 + 11 * inRow), c111 = ld(cIn, in0 + 11 * inRow + 1 * LB);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, ap[1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, ap[2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, ap[3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, ap[4 * KC + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, ap[5 * KC + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, ap[6 * KC + k]);
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, ap[7 * KC + k]);
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(S, ap[8 * KC + k]);
            c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(S, ap[9 * KC + k]);
            c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(S, ap[10 * KC + k]);
            c100 = b0.fma(x10, c100); c101 = b1.fma(x10, c101);
            FloatVector x11 = FloatVector.broadcast(S, ap[11 * KC + k]);
            c110 = b0.fma(x11, c110); c111 = b1.fma(x11, c111);
        }
        st(c00, cOut, out0); st(c01, cOut, out0 + 1 * LB);
        st(c10, cOut, out0 + 1 * outRow); st(c11, cOut, out0 + 1 * outRow + 1 * LB);
        st(c20, cOut, out0 + 2 * outRow); st(c21, cOut, out0 + 2 * outRow + 1 * LB);
        st(c30, cOut, out0 + 3 * outRow); st(c31, cOut, out0 + 3 * outRow + 1 * LB);
        st(c40, cOut, out0 + 4 * outRow); st(c41, cOut, out0 + 4 * outRow + 1 * LB);
        st(c50, cOut, out0 + 5 * outRow); st(c51, cOut, out0 + 5 * outRow + 1 * LB);
        st(c60, cOut, out0 + 6 * outRow); st(c61, cOut, out0 + 6 * outRow + 1 * LB);
        st(c70, cOut, out0 + 7 * outRow); st(c71, cOut, out0 + 7 * outRow + 1 * LB);
        st(c80, cOut, out0 + 8 * outRow); st(c81, cOut, out0 + 8 * outRow + 1 * LB);
        st(c90, cOut, out0 + 9 * outRow); st(c91, cOut, out0 + 9 * outRow + 1 * LB);
        st(c100, cOut, out0 + 10 * outRow); st(c101, cOut, out0 + 10 * outRow + 1 * LB);
        st(c110, cOut, out0 + 11 * outRow); st(c111, cOut, out0 + 11 * outRow + 1 * LB);
    }

    /** {@link #tile} for 14 rows × 2 vectors: 28 accumulators, 2 B vectors, 1 broadcast. */
    static void tile14x2(float[] ap, float[] bp, int bOff, int kc,
                       MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        final int nr = 2 * L;
        FloatVector c00 = ld(cIn, in0), c01 = ld(cIn, in0 + 1 * LB);
        FloatVector c10 = ld(cIn, in0 + 1 * inRow), c11 = ld(cIn, in0 + 1 * inRow + 1 * LB);
        FloatVector c20 = ld(cIn, in0 + 2 * inRow), c21 = ld(cIn, in0 + 2 * inRow + 1 * LB);
        FloatVector c30 = ld(cIn, in0 + 3 * inRow), c31 = ld(cIn, in0 + 3 * inRow + 1 * LB);
        FloatVector c40 = ld(cIn, in0 + 4 * inRow), c41 = ld(cIn, in0 + 4 * inRow + 1 * LB);
        FloatVector c50 = ld(cIn, in0 + 5 * inRow), c51 = ld(cIn, in0 + 5 * inRow + 1 * LB);
        FloatVector c60 = ld(cIn, in0 + 6 * inRow), c61 = ld(cIn, in0 + 6 * inRow + 1 * LB);
        FloatVector c70 = ld(cIn, in0 + 7 * inRow), c71 = ld(cIn, in0 + 7 * inRow + 1 * LB);
        FloatVector c80 = ld(cIn, in0 + 8 * inRow), c81 = ld(cIn, in0 + 8 * inRow + 1 * LB);
        FloatVector c90 = ld(cIn, in0 + 9 * inRow), c91 = ld(cIn, in0 + 9 * inRow + 1 * LB);
        FloatVector c100 = ld(cIn, in0 + 10 * inRow), c101 = ld(cIn, in0 + 10 * inRow + 1 * LB);
        FloatVector c110 = ld(cIn, in0 + 11 * inRow), c111 = ld(cIn, in0 + 11 * inRow + 1 * LB);
        FloatVector c120 = ld(cIn, in0 + 12 * inRow), c121 = ld(cIn, in0 + 12 * inRow + 1 * LB);
        FloatVector c130 = ld(cIn, in0 + 13 * inRow), c131 = ld(cIn, in0 + 13 * inRow + 1 * LB);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, ap[1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, ap[2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, ap[3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, ap[4 * KC + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, ap[5 * KC + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, ap[6 * KC + k]);
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, ap[7 * KC + k]);
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(S, ap[8 * KC + k]);
            c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(S, ap[9 * KC + k]);
            c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(S, ap[10 * KC + k]);
            c100 = b0.fma(x10, c100); c101 = b1.fma(x10, c101);
            FloatVector x11 = FloatVector.broadcast(S, ap[11 * KC + k]);
            c110 = b0.fma(x11, c110); c111 = b1.fma(x11, c111);
            FloatVector x12 = FloatVector.broadcast(S, ap[12 * KC + k]);
            c120 = b0.fma(x12, c120); c121 = b1.fma(x12, c121);
            FloatVector x13 = FloatVector.broadcast(S, ap[13 * KC + k]);
            c130 = b0.fma(x13, c130); c131 = b1.fma(x13, c131);
        }
        st(c00, cOut, out0); st(c01, cOut, out0 + 1 * LB);
        st(c10, cOut, out0 + 1 * outRow); st(c11, cOut, out0 + 1 * outRow + 1 * LB);
        st(c20, cOut, out0 + 2 * outRow); st(c21, cOut, out0 + 2 * outRow + 1 * LB);
        st(c30, cOut, out0 + 3 * outRow); st(c31, cOut, out0 + 3 * outRow + 1 * LB);
        st(c40, cOut, out0 + 4 * outRow); st(c41, cOut, out0 + 4 * outRow + 1 * LB);
        st(c50, cOut, out0 + 5 * outRow); st(c51, cOut, out0 + 5 * outRow + 1 * LB);
        st(c60, cOut, out0 + 6 * outRow); st(c61, cOut, out0 + 6 * outRow + 1 * LB);
        st(c70, cOut, out0 + 7 * outRow); st(c71, cOut, out0 + 7 * outRow + 1 * LB);
        st(c80, cOut, out0 + 8 * outRow); st(c81, cOut, out0 + 8 * outRow + 1 * LB);
        st(c90, cOut, out0 + 9 * outRow); st(c91, cOut, out0 + 9 * outRow + 1 * LB);
        st(c100, cOut, out0 + 10 * outRow); st(c101, cOut, out0 + 10 * outRow + 1 * LB);
        st(c110, cOut, out0 + 11 * outRow); st(c111, cOut, out0 + 11 * outRow + 1 * LB);
        st(c120, cOut, out0 + 12 * outRow); st(c121, cOut, out0 + 12 * outRow + 1 * LB);
        st(c130, cOut, out0 + 13 * outRow); st(c131, cOut, out0 + 13 * outRow + 1 * LB);
    }

    /** {@link #tile} for 8 rows × 3 vectors: 24 accumulators, 3 B vectors, 1 broadcast. */
    static void tile8x3(float[] ap, float[] bp, int bOff, int kc,
                       MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        final int nr = 3 * L;
        FloatVector c00 = ld(cIn, in0), c01 = ld(cIn, in0 + 1 * LB), c02 = ld(cIn, in0 + 2 * LB);
        FloatVector c10 = ld(cIn, in0 + 1 * inRow), c11 = ld(cIn, in0 + 1 * inRow + 1 * LB), c12 = ld(cIn, in0 + 1 * inRow + 2 * LB);
        FloatVector c20 = ld(cIn, in0 + 2 * inRow), c21 = ld(cIn, in0 + 2 * inRow + 1 * LB), c22 = ld(cIn, in0 + 2 * inRow + 2 * LB);
        FloatVector c30 = ld(cIn, in0 + 3 * inRow), c31 = ld(cIn, in0 + 3 * inRow + 1 * LB), c32 = ld(cIn, in0 + 3 * inRow + 2 * LB);
        FloatVector c40 = ld(cIn, in0 + 4 * inRow), c41 = ld(cIn, in0 + 4 * inRow + 1 * LB), c42 = ld(cIn, in0 + 4 * inRow + 2 * LB);
        FloatVector c50 = ld(cIn, in0 + 5 * inRow), c51 = ld(cIn, in0 + 5 * inRow + 1 * LB), c52 = ld(cIn, in0 + 5 * inRow + 2 * LB);
        FloatVector c60 = ld(cIn, in0 + 6 * inRow), c61 = ld(cIn, in0 + 6 * inRow + 1 * LB), c62 = ld(cIn, in0 + 6 * inRow + 2 * LB);
        FloatVector c70 = ld(cIn, in0 + 7 * inRow), c71 = ld(cIn, in0 + 7 * inRow + 1 * LB), c72 = ld(cIn, in0 + 7 * inRow + 2 * LB);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L), b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, ap[1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, ap[2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, ap[3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32);
            FloatVector x4 = FloatVector.broadcast(S, ap[4 * KC + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42);
            FloatVector x5 = FloatVector.broadcast(S, ap[5 * KC + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52);
            FloatVector x6 = FloatVector.broadcast(S, ap[6 * KC + k]);
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61); c62 = b2.fma(x6, c62);
            FloatVector x7 = FloatVector.broadcast(S, ap[7 * KC + k]);
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71); c72 = b2.fma(x7, c72);
        }
        st(c00, cOut, out0); st(c01, cOut, out0 + 1 * LB); st(c02, cOut, out0 + 2 * LB);
        st(c10, cOut, out0 + 1 * outRow); st(c11, cOut, out0 + 1 * outRow + 1 * LB); st(c12, cOut, out0 + 1 * outRow + 2 * LB);
        st(c20, cOut, out0 + 2 * outRow); st(c21, cOut, out0 + 2 * outRow + 1 * LB); st(c22, cOut, out0 + 2 * outRow + 2 * LB);
        st(c30, cOut, out0 + 3 * outRow); st(c31, cOut, out0 + 3 * outRow + 1 * LB); st(c32, cOut, out0 + 3 * outRow + 2 * LB);
        st(c40, cOut, out0 + 4 * outRow); st(c41, cOut, out0 + 4 * outRow + 1 * LB); st(c42, cOut, out0 + 4 * outRow + 2 * LB);
        st(c50, cOut, out0 + 5 * outRow); st(c51, cOut, out0 + 5 * outRow + 1 * LB); st(c52, cOut, out0 + 5 * outRow + 2 * LB);
        st(c60, cOut, out0 + 6 * outRow); st(c61, cOut, out0 + 6 * outRow + 1 * LB); st(c62, cOut, out0 + 6 * outRow + 2 * LB);
        st(c70, cOut, out0 + 7 * outRow); st(c71, cOut, out0 + 7 * outRow + 1 * LB); st(c72, cOut, out0 + 7 * outRow + 2 * LB);
    }

    /** {@link #tile} for 6 rows × 4 vectors: 24 accumulators, 4 B vectors, 1 broadcast. */
    static void tile6x4(float[] ap, float[] bp, int bOff, int kc,
                       MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        final int nr = 4 * L;
        FloatVector c00 = ld(cIn, in0), c01 = ld(cIn, in0 + 1 * LB), c02 = ld(cIn, in0 + 2 * LB), c03 = ld(cIn, in0 + 3 * LB);
        FloatVector c10 = ld(cIn, in0 + 1 * inRow), c11 = ld(cIn, in0 + 1 * inRow + 1 * LB), c12 = ld(cIn, in0 + 1 * inRow + 2 * LB), c13 = ld(cIn, in0 + 1 * inRow + 3 * LB);
        FloatVector c20 = ld(cIn, in0 + 2 * inRow), c21 = ld(cIn, in0 + 2 * inRow + 1 * LB), c22 = ld(cIn, in0 + 2 * inRow + 2 * LB), c23 = ld(cIn, in0 + 2 * inRow + 3 * LB);
        FloatVector c30 = ld(cIn, in0 + 3 * inRow), c31 = ld(cIn, in0 + 3 * inRow + 1 * LB), c32 = ld(cIn, in0 + 3 * inRow + 2 * LB), c33 = ld(cIn, in0 + 3 * inRow + 3 * LB);
        FloatVector c40 = ld(cIn, in0 + 4 * inRow), c41 = ld(cIn, in0 + 4 * inRow + 1 * LB), c42 = ld(cIn, in0 + 4 * inRow + 2 * LB), c43 = ld(cIn, in0 + 4 * inRow + 3 * LB);
        FloatVector c50 = ld(cIn, in0 + 5 * inRow), c51 = ld(cIn, in0 + 5 * inRow + 1 * LB), c52 = ld(cIn, in0 + 5 * inRow + 2 * LB), c53 = ld(cIn, in0 + 5 * inRow + 3 * LB);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L), b2 = FloatVector.fromArray(S, bp, bo + 2 * L), b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02); c03 = b3.fma(x0, c03);
            FloatVector x1 = FloatVector.broadcast(S, ap[1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12); c13 = b3.fma(x1, c13);
            FloatVector x2 = FloatVector.broadcast(S, ap[2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22); c23 = b3.fma(x2, c23);
            FloatVector x3 = FloatVector.broadcast(S, ap[3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32); c33 = b3.fma(x3, c33);
            FloatVector x4 = FloatVector.broadcast(S, ap[4 * KC + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42); c43 = b3.fma(x4, c43);
            FloatVector x5 = FloatVector.broadcast(S, ap[5 * KC + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52); c53 = b3.fma(x5, c53);
        }
        st(c00, cOut, out0); st(c01, cOut, out0 + 1 * LB); st(c02, cOut, out0 + 2 * LB); st(c03, cOut, out0 + 3 * LB);
        st(c10, cOut, out0 + 1 * outRow); st(c11, cOut, out0 + 1 * outRow + 1 * LB); st(c12, cOut, out0 + 1 * outRow + 2 * LB); st(c13, cOut, out0 + 1 * outRow + 3 * LB);
        st(c20, cOut, out0 + 2 * outRow); st(c21, cOut, out0 + 2 * outRow + 1 * LB); st(c22, cOut, out0 + 2 * outRow + 2 * LB); st(c23, cOut, out0 + 2 * outRow + 3 * LB);
        st(c30, cOut, out0 + 3 * outRow); st(c31, cOut, out0 + 3 * outRow + 1 * LB); st(c32, cOut, out0 + 3 * outRow + 2 * LB); st(c33, cOut, out0 + 3 * outRow + 3 * LB);
        st(c40, cOut, out0 + 4 * outRow); st(c41, cOut, out0 + 4 * outRow + 1 * LB); st(c42, cOut, out0 + 4 * outRow + 2 * LB); st(c43, cOut, out0 + 4 * outRow + 3 * LB);
        st(c50, cOut, out0 + 5 * outRow); st(c51, cOut, out0 + 5 * outRow + 1 * LB); st(c52, cOut, out0 + 5 * outRow + 2 * LB); st(c53, cOut, out0 + 5 * outRow + 3 * LB);
    }

    /** {@link #tile} for 4 rows × 3 vectors: 12 accumulators, 3 B vectors, 1 broadcast. */
    static void tile4x3(float[] ap, float[] bp, int bOff, int kc,
                       MemorySegment cIn, long in0, long inRow, MemorySegment cOut, long out0, long outRow) {
        final int nr = 3 * L;
        FloatVector c00 = ld(cIn, in0), c01 = ld(cIn, in0 + 1 * LB), c02 = ld(cIn, in0 + 2 * LB);
        FloatVector c10 = ld(cIn, in0 + 1 * inRow), c11 = ld(cIn, in0 + 1 * inRow + 1 * LB), c12 = ld(cIn, in0 + 1 * inRow + 2 * LB);
        FloatVector c20 = ld(cIn, in0 + 2 * inRow), c21 = ld(cIn, in0 + 2 * inRow + 1 * LB), c22 = ld(cIn, in0 + 2 * inRow + 2 * LB);
        FloatVector c30 = ld(cIn, in0 + 3 * inRow), c31 = ld(cIn, in0 + 3 * inRow + 1 * LB), c32 = ld(cIn, in0 + 3 * inRow + 2 * LB);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L), b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, ap[1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, ap[2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, ap[3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32);
        }
        st(c00, cOut, out0); st(c01, cOut, out0 + 1 * LB); st(c02, cOut, out0 + 2 * LB);
        st(c10, cOut, out0 + 1 * outRow); st(c11, cOut, out0 + 1 * outRow + 1 * LB); st(c12, cOut, out0 + 1 * outRow + 2 * LB);
        st(c20, cOut, out0 + 2 * outRow); st(c21, cOut, out0 + 2 * outRow + 1 * LB); st(c22, cOut, out0 + 2 * outRow + 2 * LB);
        st(c30, cOut, out0 + 3 * outRow); st(c31, cOut, out0 + 3 * outRow + 1 * LB); st(c32, cOut, out0 + 3 * outRow + 2 * LB);
    }

}
