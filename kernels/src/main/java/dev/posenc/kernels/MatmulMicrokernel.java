package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of every CPU matrix product: an MR × NR block of C held in vector accumulators while
 * k runs over a packed MR-row micro-panel of A (row r at {@code ap[aOff + r·KC + k]}, so every A load is one base
 * register plus a constant) and a packed NR-wide panel of B ({@code bp[bOff + k·NR + j]}).
 * The shape follows the register file of the SIMD width:
 * <ul>
 * <li>16 float lanes (AVX-512, 32 zmm): 14 rows × 2 vectors (14 × 32), 28 accumulators + 2 B + 1 broadcast.
 * Alone on a Sapphire Rapids core it ran at 0.97 to 1.0x OpenBLAS sgemm (SkylakeX kernels); 12 × 2 at
 * about 0.8x, 6 × 4 and 8 × 3 at about 0.65x: more rows per B vector load is what counts.
 * <li>8 lanes or fewer (AVX2 / NEON, 16 registers): 4 rows × 3 vectors (4 × 24), 12 + 3 + 1 = 16.
 * </ul>
 * The earlier warning that more than ~20 zmm accumulators spill (toolchain.md §1.5) came from kernels
 * that read A in place through one address register per row; with A packed, one register serves all rows.
 * Alone, with A and B in L1 or L2, the 14 × 2 tiles run at 96–100 % of the FMA peak on this Zen 5
 * (`-XX:+PrintAssembly` hex through objdump: per k 28 FMAs, 14 memory broadcasts, 2 B loads, no spills).
 * <p>The row-major tile accumulates: its accumulators start from ct and go back there, so a caller can carry
 * one C block through several KC blocks in ct (L1) and write C once (see MatmulBlocked). The k-major tile
 * (TN) starts from zero and stores a 14 × 32 tile that the caller adds to ct: C2 is fickle with both. Started
 * from ct, C2 scheduled the k-major tile's 14 broadcasts (one cache line) to the top of the loop, 14 more live
 * registers, and spilled half the accumulators to the stack (42 % of the peak); the row-major tile started
 * from zero and added to ct at its end ran at 75 %. Each kept form measured 96–100 % alone.
 * Twin: {@link MatmulCpu#matmulScalar}.
 */
final class MatmulMicrokernel {
    private MatmulMicrokernel() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** True with 32 vector registers of 16 lanes (AVX-512). */
    static final boolean WIDE = L >= 16;
    /** Rows of C per tile. */
    static final int MR = WIDE ? 14 : 4;
    /** Vectors per tile row. */
    static final int NV = WIDE ? 2 : 3;
    /** Columns of C per tile; the packed B panel has this width. */
    static final int NR = NV * L;
    /** Row stride of a packed A micro-panel, and the deepest k one call takes. */
    static final int KC = 256;

    /**
     * {@code ct[ctOff + r·cs + j] += Σ_k ap[aOff + r·KC + k] · bp[bOff + k·NR + j]} for r < MR, j < NR,
     * k < kc ≤ KC: one FMA chain per element from its ct value, k ascending. Modifies {@code ct} only. The
     * tile goes to an array, not to C: the caller adds it to C in a loop of its own. Loading and storing C here (2·MR·NV MemorySegment accesses) made the method too
     * big for C2, which then stopped inlining ("NodeCountInliningCutoff") and called the stores out of
     * line, boxing every vector: 30% of the time.
     */
    static void tile(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct, int ctOff, int cs) {
        // WIDE is a constant: the JIT keeps one branch, and each kernel has this single call site.
        if (WIDE) tile14x2(ap, aOff, bp, bOff, kc, ct, ctOff, cs);
        else tile4x3(ap, aOff, bp, bOff, kc, ct, ctOff, cs);
    }

    /** {@link #tile} for 14 rows × 2 vectors: 28 accumulators, 2 B vectors, 1 broadcast. */
    static void tile14x2(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct, int ctOff, int cs) {
        final int nr = 2 * L, o = ctOff;
        FloatVector c00 = FloatVector.fromArray(S, ct, o), c01 = FloatVector.fromArray(S, ct, o + L);
        FloatVector c10 = FloatVector.fromArray(S, ct, o + cs), c11 = FloatVector.fromArray(S, ct, o + cs + L);
        FloatVector c20 = FloatVector.fromArray(S, ct, o + 2 * cs), c21 = FloatVector.fromArray(S, ct, o + 2 * cs + L);
        FloatVector c30 = FloatVector.fromArray(S, ct, o + 3 * cs), c31 = FloatVector.fromArray(S, ct, o + 3 * cs + L);
        FloatVector c40 = FloatVector.fromArray(S, ct, o + 4 * cs), c41 = FloatVector.fromArray(S, ct, o + 4 * cs + L);
        FloatVector c50 = FloatVector.fromArray(S, ct, o + 5 * cs), c51 = FloatVector.fromArray(S, ct, o + 5 * cs + L);
        FloatVector c60 = FloatVector.fromArray(S, ct, o + 6 * cs), c61 = FloatVector.fromArray(S, ct, o + 6 * cs + L);
        FloatVector c70 = FloatVector.fromArray(S, ct, o + 7 * cs), c71 = FloatVector.fromArray(S, ct, o + 7 * cs + L);
        FloatVector c80 = FloatVector.fromArray(S, ct, o + 8 * cs), c81 = FloatVector.fromArray(S, ct, o + 8 * cs + L);
        FloatVector c90 = FloatVector.fromArray(S, ct, o + 9 * cs), c91 = FloatVector.fromArray(S, ct, o + 9 * cs + L);
        FloatVector c100 = FloatVector.fromArray(S, ct, o + 10 * cs), c101 = FloatVector.fromArray(S, ct, o + 10 * cs + L);
        FloatVector c110 = FloatVector.fromArray(S, ct, o + 11 * cs), c111 = FloatVector.fromArray(S, ct, o + 11 * cs + L);
        FloatVector c120 = FloatVector.fromArray(S, ct, o + 12 * cs), c121 = FloatVector.fromArray(S, ct, o + 12 * cs + L);
        FloatVector c130 = FloatVector.fromArray(S, ct, o + 13 * cs), c131 = FloatVector.fromArray(S, ct, o + 13 * cs + L);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[aOff + 0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, ap[aOff + 1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, ap[aOff + 2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, ap[aOff + 3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, ap[aOff + 4 * KC + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, ap[aOff + 5 * KC + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, ap[aOff + 6 * KC + k]);
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, ap[aOff + 7 * KC + k]);
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(S, ap[aOff + 8 * KC + k]);
            c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(S, ap[aOff + 9 * KC + k]);
            c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(S, ap[aOff + 10 * KC + k]);
            c100 = b0.fma(x10, c100); c101 = b1.fma(x10, c101);
            FloatVector x11 = FloatVector.broadcast(S, ap[aOff + 11 * KC + k]);
            c110 = b0.fma(x11, c110); c111 = b1.fma(x11, c111);
            FloatVector x12 = FloatVector.broadcast(S, ap[aOff + 12 * KC + k]);
            c120 = b0.fma(x12, c120); c121 = b1.fma(x12, c121);
            FloatVector x13 = FloatVector.broadcast(S, ap[aOff + 13 * KC + k]);
            c130 = b0.fma(x13, c130); c131 = b1.fma(x13, c131);
        }
        c00.intoArray(ct, o); c01.intoArray(ct, o + 1 * L);
        c10.intoArray(ct, o + cs); c11.intoArray(ct, o + cs + 1 * L);
        c20.intoArray(ct, o + 2 * cs); c21.intoArray(ct, o + 2 * cs + 1 * L);
        c30.intoArray(ct, o + 3 * cs); c31.intoArray(ct, o + 3 * cs + 1 * L);
        c40.intoArray(ct, o + 4 * cs); c41.intoArray(ct, o + 4 * cs + 1 * L);
        c50.intoArray(ct, o + 5 * cs); c51.intoArray(ct, o + 5 * cs + 1 * L);
        c60.intoArray(ct, o + 6 * cs); c61.intoArray(ct, o + 6 * cs + 1 * L);
        c70.intoArray(ct, o + 7 * cs); c71.intoArray(ct, o + 7 * cs + 1 * L);
        c80.intoArray(ct, o + 8 * cs); c81.intoArray(ct, o + 8 * cs + 1 * L);
        c90.intoArray(ct, o + 9 * cs); c91.intoArray(ct, o + 9 * cs + 1 * L);
        c100.intoArray(ct, o + 10 * cs); c101.intoArray(ct, o + 10 * cs + 1 * L);
        c110.intoArray(ct, o + 11 * cs); c111.intoArray(ct, o + 11 * cs + 1 * L);
        c120.intoArray(ct, o + 12 * cs); c121.intoArray(ct, o + 12 * cs + 1 * L);
        c130.intoArray(ct, o + 13 * cs); c131.intoArray(ct, o + 13 * cs + 1 * L);
    }

    /**
     * The first KC block of a C block: {@code ct[ctOff + r·cs + j] = Σ_k …}, the accumulators starting from zero
     * (no loads of ct, no zero pass over it); with 16 lanes the 14 × 2 tile, else ct's tile is zeroed and
     * {@link #tile4x3} adds to it. Then {@link #tile} for the group's later blocks. Bits: those of {@link #tile}
     * on a zeroed ct (x + 0 = x).
     */
    static void tileFirst(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct, int ctOff, int cs) {
        if (WIDE) {
            tile14x2First(ap, aOff, bp, bOff, kc, ct, ctOff, cs);
        } else {
            for (int r = 0; r < MR; r++) java.util.Arrays.fill(ct, ctOff + r * cs, ctOff + r * cs + NR, 0f);
            tile4x3(ap, aOff, bp, bOff, kc, ct, ctOff, cs);
        }
    }

    /**
     * {@link #tileFirst} for 14 rows × 2 vectors. A copy of {@link #tile14x2} that starts its accumulators from zero
     * instead of loading ct, kept as a separate method on purpose: small rewrites of these tiles swing C2's code
     * between 42 % and 100 % of peak (a variant accumulating from ct hoisted its 14 broadcasts and spilled half
     * the accumulators; bench/RESULTS.md "Issue 13, the product kernels"), so the two bodies, each measured at
     * 96–100 % alone, are not merged. MatmulCpuTest checks both against the scalar twin.
     */
    static void tile14x2First(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct, int ctOff, int cs) {
        final int nr = 2 * L, o = ctOff;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z;
        FloatVector c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z;
        FloatVector c90 = z, c91 = z;
        FloatVector c100 = z, c101 = z;
        FloatVector c110 = z, c111 = z;
        FloatVector c120 = z, c121 = z;
        FloatVector c130 = z, c131 = z;
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[aOff + 0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, ap[aOff + 1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, ap[aOff + 2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, ap[aOff + 3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, ap[aOff + 4 * KC + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, ap[aOff + 5 * KC + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, ap[aOff + 6 * KC + k]);
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, ap[aOff + 7 * KC + k]);
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(S, ap[aOff + 8 * KC + k]);
            c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(S, ap[aOff + 9 * KC + k]);
            c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(S, ap[aOff + 10 * KC + k]);
            c100 = b0.fma(x10, c100); c101 = b1.fma(x10, c101);
            FloatVector x11 = FloatVector.broadcast(S, ap[aOff + 11 * KC + k]);
            c110 = b0.fma(x11, c110); c111 = b1.fma(x11, c111);
            FloatVector x12 = FloatVector.broadcast(S, ap[aOff + 12 * KC + k]);
            c120 = b0.fma(x12, c120); c121 = b1.fma(x12, c121);
            FloatVector x13 = FloatVector.broadcast(S, ap[aOff + 13 * KC + k]);
            c130 = b0.fma(x13, c130); c131 = b1.fma(x13, c131);
        }
        c00.intoArray(ct, o); c01.intoArray(ct, o + L);
        c10.intoArray(ct, o + cs); c11.intoArray(ct, o + cs + L);
        c20.intoArray(ct, o + 2 * cs); c21.intoArray(ct, o + 2 * cs + L);
        c30.intoArray(ct, o + 3 * cs); c31.intoArray(ct, o + 3 * cs + L);
        c40.intoArray(ct, o + 4 * cs); c41.intoArray(ct, o + 4 * cs + L);
        c50.intoArray(ct, o + 5 * cs); c51.intoArray(ct, o + 5 * cs + L);
        c60.intoArray(ct, o + 6 * cs); c61.intoArray(ct, o + 6 * cs + L);
        c70.intoArray(ct, o + 7 * cs); c71.intoArray(ct, o + 7 * cs + L);
        c80.intoArray(ct, o + 8 * cs); c81.intoArray(ct, o + 8 * cs + L);
        c90.intoArray(ct, o + 9 * cs); c91.intoArray(ct, o + 9 * cs + L);
        c100.intoArray(ct, o + 10 * cs); c101.intoArray(ct, o + 10 * cs + L);
        c110.intoArray(ct, o + 11 * cs); c111.intoArray(ct, o + 11 * cs + L);
        c120.intoArray(ct, o + 12 * cs); c121.intoArray(ct, o + 12 * cs + L);
        c130.intoArray(ct, o + 13 * cs); c131.intoArray(ct, o + 13 * cs + L);
    }

    /** {@link #tile} for 4 rows × 3 vectors: 12 accumulators, 3 B vectors, 1 broadcast. */
    static void tile4x3(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct, int ctOff, int cs) {
        final int nr = 3 * L, o = ctOff;
        FloatVector c00 = FloatVector.fromArray(S, ct, o), c01 = FloatVector.fromArray(S, ct, o + L), c02 = FloatVector.fromArray(S, ct, o + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, ct, o + cs), c11 = FloatVector.fromArray(S, ct, o + cs + L), c12 = FloatVector.fromArray(S, ct, o + cs + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, ct, o + 2 * cs), c21 = FloatVector.fromArray(S, ct, o + 2 * cs + L), c22 = FloatVector.fromArray(S, ct, o + 2 * cs + 2 * L);
        FloatVector c30 = FloatVector.fromArray(S, ct, o + 3 * cs), c31 = FloatVector.fromArray(S, ct, o + 3 * cs + L), c32 = FloatVector.fromArray(S, ct, o + 3 * cs + 2 * L);
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[aOff + 0 * KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, ap[aOff + 1 * KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, ap[aOff + 2 * KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, ap[aOff + 3 * KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32);
        }
        c00.intoArray(ct, o); c01.intoArray(ct, o + 1 * L); c02.intoArray(ct, o + 2 * L);
        c10.intoArray(ct, o + cs); c11.intoArray(ct, o + cs + 1 * L); c12.intoArray(ct, o + cs + 2 * L);
        c20.intoArray(ct, o + 2 * cs); c21.intoArray(ct, o + 2 * cs + 1 * L); c22.intoArray(ct, o + 2 * cs + 2 * L);
        c30.intoArray(ct, o + 3 * cs); c31.intoArray(ct, o + 3 * cs + 1 * L); c32.intoArray(ct, o + 3 * cs + 2 * L);
    }

    /**
     * {@link #tile} over an A micro-panel stored k-major: row r at {@code ap[aOff + k·MR + r]}, the layout
     * in which the TN form stores A (MR neighbouring columns of a (k, m) matrix per k), so that its pack is
     * one vector copy per k instead of MR scalar gathers (15 % of a fit-image step). Unlike {@link #tile} it
     * starts from zero and stores {@code ct[r·NR + j]} = the sum (see the class comment); on a zero ct the two
     * give equal bits.
     */
    static void tileKMajor(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct) {
        if (WIDE) tile14x2K(ap, aOff, bp, bOff, kc, ct);
        else tile4x3K(ap, aOff, bp, bOff, kc, ct);
    }

    /** {@link #tileKMajor} for 14 rows × 2 vectors; the arithmetic of {@link #tile14x2}, A read k-major. */
    static void tile14x2K(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct) {
        final int nr = 2 * L;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z;
        FloatVector c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z;
        FloatVector c90 = z, c91 = z;
        FloatVector c100 = z, c101 = z;
        FloatVector c110 = z, c111 = z;
        FloatVector c120 = z, c121 = z;
        FloatVector c130 = z, c131 = z;
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr, ak = aOff + k * 14;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + 1 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[ak + 0]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, ap[ak + 1]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, ap[ak + 2]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, ap[ak + 3]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, ap[ak + 4]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, ap[ak + 5]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, ap[ak + 6]);
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, ap[ak + 7]);
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(S, ap[ak + 8]);
            c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(S, ap[ak + 9]);
            c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(S, ap[ak + 10]);
            c100 = b0.fma(x10, c100); c101 = b1.fma(x10, c101);
            FloatVector x11 = FloatVector.broadcast(S, ap[ak + 11]);
            c110 = b0.fma(x11, c110); c111 = b1.fma(x11, c111);
            FloatVector x12 = FloatVector.broadcast(S, ap[ak + 12]);
            c120 = b0.fma(x12, c120); c121 = b1.fma(x12, c121);
            FloatVector x13 = FloatVector.broadcast(S, ap[ak + 13]);
            c130 = b0.fma(x13, c130); c131 = b1.fma(x13, c131);
        }
        c00.intoArray(ct, 0 * nr); c01.intoArray(ct, 0 * nr + 1 * L);
        c10.intoArray(ct, 1 * nr); c11.intoArray(ct, 1 * nr + 1 * L);
        c20.intoArray(ct, 2 * nr); c21.intoArray(ct, 2 * nr + 1 * L);
        c30.intoArray(ct, 3 * nr); c31.intoArray(ct, 3 * nr + 1 * L);
        c40.intoArray(ct, 4 * nr); c41.intoArray(ct, 4 * nr + 1 * L);
        c50.intoArray(ct, 5 * nr); c51.intoArray(ct, 5 * nr + 1 * L);
        c60.intoArray(ct, 6 * nr); c61.intoArray(ct, 6 * nr + 1 * L);
        c70.intoArray(ct, 7 * nr); c71.intoArray(ct, 7 * nr + 1 * L);
        c80.intoArray(ct, 8 * nr); c81.intoArray(ct, 8 * nr + 1 * L);
        c90.intoArray(ct, 9 * nr); c91.intoArray(ct, 9 * nr + 1 * L);
        c100.intoArray(ct, 10 * nr); c101.intoArray(ct, 10 * nr + 1 * L);
        c110.intoArray(ct, 11 * nr); c111.intoArray(ct, 11 * nr + 1 * L);
        c120.intoArray(ct, 12 * nr); c121.intoArray(ct, 12 * nr + 1 * L);
        c130.intoArray(ct, 13 * nr); c131.intoArray(ct, 13 * nr + 1 * L);
    }

    /** {@link #tileKMajor} for 4 rows × 3 vectors; the arithmetic of {@link #tile4x3}, A read k-major. */
    static void tile4x3K(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] ct) {
        final int nr = 3 * L;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr, ak = aOff + k * 4;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector x0 = FloatVector.broadcast(S, ap[ak + 0]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, ap[ak + 1]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, ap[ak + 2]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, ap[ak + 3]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32);
        }
        c00.intoArray(ct, 0 * nr); c01.intoArray(ct, 0 * nr + 1 * L); c02.intoArray(ct, 0 * nr + 2 * L);
        c10.intoArray(ct, 1 * nr); c11.intoArray(ct, 1 * nr + 1 * L); c12.intoArray(ct, 1 * nr + 2 * L);
        c20.intoArray(ct, 2 * nr); c21.intoArray(ct, 2 * nr + 1 * L); c22.intoArray(ct, 2 * nr + 2 * L);
        c30.intoArray(ct, 3 * nr); c31.intoArray(ct, 3 * nr + 1 * L); c32.intoArray(ct, 3 * nr + 2 * L);
    }
}
