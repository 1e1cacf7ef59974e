package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.L;
import static dev.posenc.kernels.MatmulMicrokernel.MR;
import static dev.posenc.kernels.MatmulMicrokernel.NR;
import static dev.posenc.kernels.MatmulMicrokernel.S;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;

/**
 * The cache-blocked driver around {@link MatmulMicrokernel}: out (m×n) = form(a, b), m, n, k checked by
 * the caller.
 *
 * <p>Loop nest (Goto/BLIS order, A read in place):
 * <pre>
 * for each K chunk (B packed for the chunk, in parallel)       // B chunk ≤ PACK_FLOATS: stays in L3
 *   parallel for each row block of ≤ MC rows                    // A block MC × KC: L2
 *     for each KC block; for each NR-wide panel of packed B      // B panel KC × NR: L1/L2
 *       for each MR rows: one MR × NR tile
 * </pre>
 * Packing B is where the forms differ: NN and TN copy rows of B, NT transposes; the panel is zero-padded
 * past n, so one kernel serves every form. A needs no packing: the kernel takes A's row and k strides.
 * Edge tiles (fewer than MR rows or NR columns) run the same kernel on clamped A rows into a scratch
 * tile, and only the valid part is added to C.
 */
final class MatmulBlocked {
    private MatmulBlocked() {}

    /** Depth of one packed block: a 256 × NR panel (64 KiB at NR = 64) is reused from L1/L2 across rows. */
    static final int KC = 256;
    /** Rows per block: A block MC × KC = 128 KiB stays in L2 (0.5 to 2 MiB) while all panels pass. */
    static final int MC = 128;
    /**
     * Floats of B packed at once (16 MiB, within L3): deeper products run in K chunks. Smaller chunks
     * cost more than they save: at 4 MiB, 1024³ on 2 threads fell from 124 to 90 GFLOP/s (AVX2 Zen).
     */
    static final long PACK_FLOATS = 1L << 22;
    /** Below this many multiply-adds (about 10 µs on one core) a thread handoff costs more than it saves. */
    static final long PARALLEL_MIN_MACS = 1L << 21;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder BO = ByteOrder.nativeOrder();

    /** Geometry of one product: sizes and the byte strides of A, read in place. */
    private record Dims(int m, int n, int k, int np, long aRow, long aStep, MatmulForm form) {}

    /**
     * out = form(a, b) (or += when {@code accumulate}) for k ≥ 1; spreads work over {@code p} unless the
     * product is small or {@code p} is null (the caller's thread only). Modifies {@code out} only.
     */
    static void multiply(Parallel p, Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate,
                         int m, int n, int k) {
        boolean parallel = p != null && p.threads() > 1 && (long) m * n * k >= PARALLEL_MIN_MACS;
        int threads = parallel ? p.threads() : 1;
        int np = ceilDiv(n, NR) * NR;
        // NN, NT: a is (m, k), row i at i·k floats; TN: a is (k, m), element (i, kk) at kk·m + i.
        long aRow = form == MatmulForm.TN ? Float.BYTES : (long) k * Float.BYTES;
        long aStep = form == MatmulForm.TN ? (long) m * Float.BYTES : Float.BYTES;
        Dims d = new Dims(m, n, k, np, aRow, aStep, form);

        int kChunk = (int) Math.min(k, Math.max(KC, PACK_FLOATS / np / KC * KC));
        float[] bp = new float[Math.multiplyExact(kChunk, np)];
        // A multiple of MR, so that tiles never straddle two row blocks (two tasks). Up to 2·MC rows make
        // one block: every row block streams all of packed B, and for a short, deep product (dW = xᵀ·dy,
        // 256 × 65536 × 256) a second pass over B cost more (51 against 54 to 56 GFLOP/s, AVX2) than the
        // larger A block.
        int mcMax = m <= 2 * MC ? 2 * MC : MC;
        int mc = Math.min(mcMax, ceilDiv(ceilDiv(m, threads), MR) * MR);
        int rowBlocks = ceilDiv(m, mc);
        int tasks = Math.min(rowBlocks, 4 * threads);
        for (int k0 = 0; k0 < k; k0 += kChunk) {
            int kStart = k0, kLen = Math.min(kChunk, k - k0);
            boolean load = accumulate || k0 > 0;
            int panels = np / NR, packTasks = ceilDiv(kLen, KC) * panels;
            run(p, parallel, packTasks, t -> packPanel(bp, b.data(), d, kStart, kLen, t / panels, t % panels));
            run(p, parallel, tasks, t -> {
                int r0 = (int) ((long) rowBlocks * t / tasks) * mc;
                int r1 = Math.min(m, (int) ((long) rowBlocks * (t + 1) / tasks) * mc);
                rows(out.data(), a.data(), bp, d, r0, r1, mc, kStart, kLen, load);
            });
        }
    }

    private static void run(Parallel p, boolean parallel, int tasks, IntConsumer body) {
        if (parallel) p.forEach(tasks, body);
        else for (int t = 0; t < tasks; t++) body.accept(t);
    }

    /**
     * Packs panel {@code panel} of KC block {@code kb} of the chunk starting at {@code kStart}:
     * bp[block + panel·kcLen·NR + kk·NR + j] = B(kStart + kb·KC + kk, panel·NR + j), zero for j ≥ n.
     */
    private static void packPanel(float[] bp, MemorySegment b, Dims d, int kStart, int kLen, int kb, int panel) {
        int kc0 = kb * KC, kcLen = Math.min(KC, kLen - kc0), j0 = panel * NR, nv = Math.min(NR, d.n - j0);
        int dst = kc0 * d.np + panel * kcLen * NR;
        long kFirst = kStart + kc0;
        if (d.form != MatmulForm.NT) {                    // b is (k, n): a panel row is a contiguous run
            if (nv == NR) {
                for (int kk = 0; kk < kcLen; kk++) {
                    long src = ((kFirst + kk) * d.n + j0) * Float.BYTES;
                    int o = dst + kk * NR;
                    for (int q = 0; q < NR; q += L) {
                        FloatVector.fromMemorySegment(S, b, src + (long) q * Float.BYTES, BO).intoArray(bp, o + q);
                    }
                }
            } else {
                for (int kk = 0; kk < kcLen; kk++) {
                    long src = (kFirst + kk) * d.n + j0;
                    int o = dst + kk * NR;
                    for (int j = 0; j < NR; j++) bp[o + j] = j < nv ? b.getAtIndex(F, src + j) : 0f;
                }
            }
        } else {                                          // b is (n, k): read along k, write down the panel
            for (int j = 0; j < NR; j++) {
                if (j < nv) {
                    long src = (long) (j0 + j) * d.k + kFirst;
                    for (int kk = 0; kk < kcLen; kk++) bp[dst + kk * NR + j] = b.getAtIndex(F, src + kk);
                } else {
                    for (int kk = 0; kk < kcLen; kk++) bp[dst + kk * NR + j] = 0f;
                }
            }
        }
    }

    /**
     * Rows [r0, r1) of out, in blocks of mc, for the K chunk [kStart, kStart + kLen); {@code load}: add
     * to what out holds (accumulate, or an earlier chunk), else overwrite it.
     */
    private static void rows(MemorySegment c, MemorySegment a, float[] bp, Dims d, int r0, int r1, int mc,
                             int kStart, int kLen, boolean load) {
        try (Arena arena = Arena.ofConfined()) {
            Tiles t = new Tiles(arena.allocate((long) NR * Float.BYTES, 64),
                    arena.allocate((long) MR * NR * Float.BYTES, 64), new long[MR]);
            for (int i0 = r0; i0 < r1; i0 += mc) block(c, a, bp, d, t, i0, Math.min(r1, i0 + mc), kStart, kLen, load);
        }
    }

    /** Per-task workspace: a zero row (cIn when overwriting), a scratch tile for edges, A row offsets. */
    private record Tiles(MemorySegment zeroRow, MemorySegment scratch, long[] aRows) {}

    /** One row block [i0, i1): A's block stays in L2 while every panel of B passes over it. */
    private static void block(MemorySegment c, MemorySegment a, float[] bp, Dims d, Tiles t, int i0, int i1,
                              int kStart, int kLen, boolean load) {
        long ldc = (long) d.n * Float.BYTES, scratchRow = (long) NR * Float.BYTES;
        long[] aRows = t.aRows;
        for (int kc0 = 0; kc0 < kLen; kc0 += KC) {
            int kcLen = Math.min(KC, kLen - kc0);
            boolean cLoad = load || kc0 > 0;
            long aK = (kStart + kc0) * d.aStep;
            for (int j0 = 0; j0 < d.n; j0 += NR) {
                int bOff = kc0 * d.np + j0 / NR * kcLen * NR;
                boolean fullCols = j0 + NR <= d.n;
                for (int i = i0; i < i1; i += MR) {
                    // Rows past m read row m − 1 (in bounds); their results go to scratch, unused.
                    for (int r = 0; r < MR; r++) aRows[r] = Math.min(i + r, d.m - 1) * d.aRow + aK;
                    long cOff = (long) i * ldc + (long) j0 * Float.BYTES;
                    if (fullCols && i + MR <= d.m) {
                        if (cLoad) {
                            MatmulMicrokernel.tile(a, aRows, d.aStep, bp, bOff, kcLen, c, cOff, ldc, c, cOff, ldc);
                        } else {
                            MatmulMicrokernel.tile(a, aRows, d.aStep, bp, bOff, kcLen, t.zeroRow, 0, 0, c, cOff, ldc);
                        }
                    } else {
                        MatmulMicrokernel.tile(a, aRows, d.aStep, bp, bOff, kcLen, t.zeroRow, 0, 0, t.scratch, 0,
                                scratchRow);
                        addEdge(c, t.scratch, d.n, i, j0, Math.min(MR, d.m - i), Math.min(NR, d.n - j0), cLoad);
                    }
                }
            }
        }
    }

    /** out[i + r][j0 + j] (+)= scratch[r][j] for the valid r < mr, j < nr of an edge tile. */
    private static void addEdge(MemorySegment c, MemorySegment scratch, int n, int i, int j0, int mr, int nr,
                                boolean load) {
        for (int r = 0; r < mr; r++) {
            long row = (long) (i + r) * n + j0;
            for (int j = 0; j < nr; j++) {
                float v = scratch.getAtIndex(F, (long) r * NR + j);
                c.setAtIndex(F, row + j, load ? c.getAtIndex(F, row + j) + v : v);
            }
        }
    }

    static int ceilDiv(int x, int y) { return (x + y - 1) / y; }
}
