package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.KC;
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
import java.util.Arrays;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;

/**
 * The cache-blocked driver around {@link MatmulMicrokernel}: out (m×n) = form(a, b), m, n, k checked by
 * the caller.
 *
 * <p>Loop nest (BLIS order, transposed for row-major C with A broadcast):
 * <pre>
 * for each K chunk: B packed for the chunk, in parallel         // chunk ≤ PACK_FLOATS
 *   parallel for each task = (row block ≤ MC rows) × (column group)
 *     for each group of KC blocks: pack the row block's A         // ≤ 206 × 1024 floats: L2
 *       for each column block of nc columns                      // B block group × nc (1 MiB): L2
 *         for each MR rows                                       // their C block, MR × nc in ct: L1
 *           for each KC block of the group                       // A micro-panel MR × KC (14 KiB): L1
 *             for each NR-wide panel of the column block: one MR × NR tile, ct += A·B
 *           add (or store) ct to C, once per group
 * </pre>
 * Tasks split rows, and columns too where rows are too few to feed the threads (a short, wide product).
 * Packing is where the forms differ, and each is a copy in the stored layout: A rows are copied (NN, NT),
 * or for TN its k-major runs, read by a k-major twin of the register tile (see {@link #packA}); B rows are
 * copied (NN, TN) or transposed (NT). Packs are zero-padded past m and n, so the tiles serve every form. The tiles
 * accumulate in a per-thread buffer (ct), contiguous and padded apart from 4 KiB strides, through all KC blocks of
 * a group; only its valid part reaches C, once per group. Adding each KC block's tile to C instead (a MemorySegment
 * read-modify-write, C's rows 4 KiB apart in one L1 set) took 8.6 % of a 1024³ product. The pack buffers are per thread and
 * reused ({@link Workspace}), and so is the product's geometry ({@link Dims}, one per thread) with its two task
 * bodies: a product allocates nothing.
 * Over 400 lines because the driver, the packs, the C stores and the workspace share one layout (Dims, the packs'
 * aligned starts, ct's stride): split into files, each would restate it.
 */
final class MatmulBlocked {
    private MatmulBlocked() {}

    /** Rows per task at most: a square product splits into several tasks per thread; A block ≤ 206 × 1024. */
    static final int MC = 192;
    /** Columns per task at most; fewer when the chunk is deep, see {@link #B_BLOCK_FLOATS}. */
    static final int NC = 1024 / NR * NR;
    /**
     * The task's B block (chunk depth × nc columns) is read once per MR rows: 1 MiB keeps it in a 2 MiB L2
     * (Sapphire Rapids; 0.5 to 1 MiB elsewhere still holds most of it) with room for A and C.
     */
    static final int B_BLOCK_FLOATS = 1 << 18;
    /**
     * Floats past each row of a row tile's C block buffer (ct): its rows would otherwise lie a multiple of
     * 4 KiB apart at the common widths, all MR of them in one L1 set.
     */
    static final int CT_PAD = 16;
    /** Floats of B packed at once (16 MiB): deeper products run in K chunks. */
    static final long PACK_FLOATS = 1L << 22;
    /** Below this many multiply-adds (about 10 µs on one core) a thread handoff costs more than it saves. */
    static final long PARALLEL_MIN_MACS = 1L << 21;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder BO = ByteOrder.nativeOrder();

    /**
     * Geometry of one product: sizes, where each operand starts in its segment (in floats: a batch entry's product
     * reads its entry in place), B's padded width, the form, the task grid, the epilogue applied as C is stored
     * ({@code bias} null: none; see {@link #multiplyBias}), and the K chunk being run. One per thread, owned by its
     * {@link Workspace} and refilled by each product on that thread: a record per product, with the two lambdas of
     * its parallel loops, was a third of a ViT step's garbage once the rest had gone (session 10). Other threads read
     * it only inside the product's {@link Parallel#forEach}, which orders the writes before their reads.
     */
    private static final class Dims {
        private int m, n, k, np, rowBlocks, colBlocks, nc, kGroup, bStart;
        private long aFirst, bFirst, cFirst;
        private MatmulForm form;
        private MemorySegment bias, gelu;
        private boolean relu;
        // the K chunk in flight
        private Parallel p;
        private float[] bp;
        private MemorySegment a, b, c;
        private int kStart, kLen, panels;
        private boolean load;
        /** The chunk's pack and tile tasks, made once per thread rather than once per product. */
        private final IntConsumer packTask = t -> packPanel(this, t / panels, t % panels);
        private final IntConsumer tileTask = t -> task(p.workspace(), this, t);
    }

    /**
     * out = form(a, b) (or += when {@code accumulate}) for k ≥ 1; spreads work over {@code p} when
     * {@code split} and the product is large enough, else runs on the caller's thread. Modifies {@code out} only.
     */
    static void multiply(Parallel p, boolean split, Tensor out, Tensor a, Tensor b, MatmulForm form,
                         boolean accumulate, int m, int n, int k) {
        multiplySplittingK(p, split, out.data(), 0, a.data(), 0, b.data(), 0, form, accumulate, m, n, k);
    }

    /**
     * {@link #multiply} on operands that start {@code outFirst}, {@code aFirst}, {@code bFirst} floats into their
     * segments (a batch entry, read in place: no slice per entry); split over k where {@link MatmulSplitK} takes it.
     */
    static void multiplySplittingK(Parallel p, boolean split, MemorySegment out, long outFirst, MemorySegment a,
                                   long aFirst, MemorySegment b, long bFirst, MatmulForm form, boolean accumulate,
                                   int m, int n, int k) {
        int slices = MatmulSplitK.slices(form, m, n, k);
        if (slices > 1) MatmulSplitK.multiply(p, split, out, outFirst, a, aFirst, b, bFirst, accumulate, m, n, k,
                slices);
        else multiply(p, split, out, outFirst, a, aFirst, b, bFirst, form, accumulate, m, n, k, null, false, null,
                B_BLOCK_FLOATS);
    }

    /** {@link #multiply} on the tensors' memory, without a split over k. */
    static void multiply(Parallel p, boolean split, MemorySegment out, MemorySegment a, MemorySegment b,
                         MatmulForm form, boolean accumulate, int m, int n, int k) {
        multiply(p, split, out, 0, a, 0, b, 0, form, accumulate, m, n, k, null, false, null, B_BLOCK_FLOATS);
    }

    /** B block of a k slice of a split TN product (256 KiB): see {@link #multiplySlice}. */
    static final int SLICE_B_BLOCK_FLOATS = 1 << 16;

    /**
     * One k slice of a split TN product ({@link MatmulSplitK}) on the calling thread, out = aᵀ·b, with a B block of
     * {@link #SLICE_B_BLOCK_FLOATS} (1024 deep × 64 columns at n = 256): it stays in L2 beside the row block's A
     * (≤ 573 KiB) while every row tile of the block reads it. With the default 1 MiB block (1024 × 256), A and B
     * overflowed this core's 1 MiB L2 and each tile read its B block from L3. Same k order, same bits. Modifies out.
     */
    static void multiplySlice(Parallel p, MemorySegment out, long outFirst, MemorySegment a, long aFirst,
                              MemorySegment b, long bFirst, int m, int n, int k) {
        multiply(p, false, out, outFirst, a, aFirst, b, bFirst, MatmulForm.TN, false, m, n, k, null, false, null,
                SLICE_B_BLOCK_FLOATS);
    }

    /**
     * out = form(a, b) + bias (row-broadcast), then max(·, 0) when {@code relu}, applied to each C block as it is
     * stored: a linear layer's forward without a pass of its own over out. The roundings of the product, then
     * addRowBroadcast, then relu (BiasReluCpu), so the same bits. Only where {@link #storesOnce}(n, k) (one K
     * chunk, one group of KC blocks: C is written once); the caller checks. Modifies out only.
     */
    static void multiplyBias(Parallel p, MemorySegment out, MemorySegment a, MemorySegment b, MatmulForm form,
                             MemorySegment bias, boolean relu, int m, int n, int k) {
        multiplyBias(p, out, a, b, form, bias, relu, null, m, n, k);
    }

    /**
     * {@link #multiplyBias}, and with {@code gelu} not null (relu false): out = GELU(form(a, b) + bias) and
     * gelu = GELU′(form(a, b) + bias), each stored row of the C block run through {@link GeluCpu#forwardKeep} while it
     * is in L1 (the pre-activation is never written to memory). Modifies out and gelu.
     */
    static void multiplyBias(Parallel p, MemorySegment out, MemorySegment a, MemorySegment b, MatmulForm form,
                             MemorySegment bias, boolean relu, MemorySegment gelu, int m, int n, int k) {
        if (!storesOnce(n, k)) throw new IllegalArgumentException("multiplyBias: k = %d: C is stored more than once".formatted(k));
        multiply(p, true, out, 0, a, 0, b, 0, form, false, m, n, k, bias, relu, gelu, B_BLOCK_FLOATS);
    }

    /** True when a product of width n and depth k writes each C element once (one K chunk, one group). */
    static boolean storesOnce(int n, int k) {
        int np = ceilDiv(n, NR) * NR, kChunk = kChunk(np, k);
        return k <= kChunk && k <= kGroup(nc(kChunk, B_BLOCK_FLOATS), B_BLOCK_FLOATS);
    }

    /** Depth of a K chunk: B's pack holds at most PACK_FLOATS. */
    private static int kChunk(int np, int k) { return (int) Math.min(k, Math.max(KC, PACK_FLOATS / np / KC * KC)); }

    /** Up to 4 KC blocks deep and NC wide (256 × 1024 or 1024 × 256): B's block fills bBlock floats. */
    private static int nc(int kChunk, int bBlock) { return Math.clamp(bBlock / Math.min(kChunk, 4 * KC) / NR * NR, NR, NC); }

    private static int kGroup(int nc, int bBlock) { return Math.max(KC, bBlock / nc / KC * KC); }

    private static void multiply(Parallel p, boolean split, MemorySegment out, long outFirst, MemorySegment a,
                                 long aFirst, MemorySegment b, long bFirst, MatmulForm form, boolean accumulate,
                                 int m, int n, int k, MemorySegment bias, boolean relu, MemorySegment gelu,
                                 int bBlock) {
        boolean parallel = split && p.threads() > 1 && (long) m * n * k >= PARALLEL_MIN_MACS;
        int threads = parallel ? p.threads() : 1;
        int np = ceilDiv(n, NR) * NR;
        int kChunk = kChunk(np, k), nc = nc(kChunk, bBlock), kGroup = kGroup(nc, bBlock);
        // Column groups only where rows alone cannot feed the threads: every group packs A again.
        int colBlocks = Math.min(np / NR, ceilDiv(2 * threads, ceilDiv(m, MC))), rowTiles = ceilDiv(m, MR);
        // At least two tasks per thread where rows allow, and a multiple of the threads, so none idles.
        int rowBlocks = Math.max(ceilDiv(m, MC), ceilDiv(2 * threads, colBlocks));
        rowBlocks = Math.min(rowTiles, ceilDiv(rowBlocks, threads) * threads);
        Workspace own = p.workspace();
        Dims d = own.dims;
        d.bp = own.packB(Math.multiplyExact(kChunk, np));
        d.m = m; d.n = n; d.k = k; d.np = np; d.form = form;
        d.rowBlocks = rowBlocks; d.colBlocks = colBlocks; d.nc = nc; d.kGroup = kGroup;
        d.bias = bias; d.relu = relu; d.gelu = gelu; d.bStart = own.bStart();
        d.p = p; d.a = a; d.b = b; d.c = out; d.aFirst = aFirst; d.bFirst = bFirst; d.cFirst = outFirst;
        d.panels = np / NR;
        int tasks = rowBlocks * colBlocks;
        for (int k0 = 0; k0 < k; k0 += kChunk) {
            d.kStart = k0;
            d.kLen = Math.min(kChunk, k - k0);
            d.load = accumulate || k0 > 0;
            int packTasks = ceilDiv(d.kLen, KC) * d.panels;
            if (parallel) {
                p.forEach(packTasks, d.packTask);
                p.forEach(tasks, d.tileTask);
            } else {
                // The same tasks in the same order, on this thread (a batch entry's product, thousands per ViT step).
                for (int t = 0; t < packTasks; t++) packPanel(d, t / d.panels, t % d.panels);
                for (int t = 0; t < tasks; t++) task(own, d, t);
            }
        }
        d.a = d.b = d.c = d.bias = d.gelu = null;   // no reference kept to the caller's buffers between products
    }

    /**
     * Packs panel {@code panel} of KC block {@code kb} of the chunk in flight (from d.kStart):
     * bp[s + kb·KC·np + panel·kcLen·NR + kk·NR + j] = B(kStart + kb·KC + kk, panel·NR + j), zero for j ≥ n, where
     * s = d.bStart puts every B vector of the tiles on a cache line.
     */
    private static void packPanel(Dims d, int kb, int panel) {
        float[] bp = d.bp;
        MemorySegment b = d.b;
        int kc0 = kb * KC, kcLen = Math.min(KC, d.kLen - kc0), j0 = panel * NR, nv = Math.min(NR, d.n - j0);
        int dst = d.bStart + kc0 * d.np + panel * kcLen * NR;
        long kFirst = d.kStart + kc0;
        if (d.form != MatmulForm.NT) {                    // b is (k, n): a panel row is a contiguous run
            for (int kk = 0; kk < kcLen; kk++) {
                int o = dst + kk * NR;
                long src = (d.bFirst + (kFirst + kk) * d.n + j0) * Float.BYTES;
                if (nv == NR) {                           // vectors: a bulk copy call costs more for 128 bytes
                    for (int q = 0; q < NR; q += L) {
                        FloatVector.fromMemorySegment(S, b, src + (long) q * Float.BYTES, BO).intoArray(bp, o + q);
                    }
                } else {
                    MemorySegment.copy(b, F, src, bp, o, nv);
                    Arrays.fill(bp, o + nv, o + NR, 0f);
                }
            }
        } else {                                          // b is (n, k): read along k, write down the panel
            for (int j = 0; j < NR; j++) {
                if (j < nv) {
                    long src = d.bFirst + (long) (j0 + j) * d.k + kFirst;
                    for (int kk = 0; kk < kcLen; kk++) bp[dst + kk * NR + j] = b.getAtIndex(F, src + kk);
                } else {
                    for (int kk = 0; kk < kcLen; kk++) bp[dst + kk * NR + j] = 0f;
                }
            }
        }
    }

    /**
     * Task t of the grid: its rows × columns of out, over the K chunk in flight [kStart, kStart + kLen); d.load:
     * add to what out holds (accumulate, or an earlier chunk), else overwrite it.
     */
    private static void task(Workspace w, Dims d, int t) {
        MemorySegment c = d.c, a = d.a;
        float[] bp = d.bp;
        int kStart = d.kStart, kLen = d.kLen;
        boolean load = d.load;
        long cFirst = d.cFirst;
        int rb = t / d.colBlocks, cb = t % d.colBlocks, rowTiles = ceilDiv(d.m, MR);
        int i0 = (int) ((long) rowTiles * rb / d.rowBlocks) * MR;
        int i1 = Math.min(d.m, (int) ((long) rowTiles * (rb + 1) / d.rowBlocks) * MR);
        int width = ceilDiv(d.np / NR, d.colBlocks) * NR, j0 = cb * width, j1 = Math.min(d.n, j0 + width);
        int tiles = ceilDiv(i1 - i0, MR);
        for (int g0 = 0; g0 < kLen; g0 += d.kGroup) {
            int g1 = Math.min(kLen, g0 + d.kGroup), blocks = ceilDiv(g1 - g0, KC);
            // The row block's A, packed once per group and reused by every column block (A from L2).
            float[] ap = w.packA(tiles * blocks * MR * KC);
            int as = w.aStart();
            for (int p = 0; p < tiles; p++) {
                for (int q = 0; q < blocks; q++) {
                    int kc0 = g0 + q * KC;
                    packA(ap, as + (p * blocks + q) * MR * KC, a, d, i0 + p * MR, kStart + kc0, Math.min(KC, kLen - kc0));
                }
            }
            // One KC block: each tile goes to C at once (a C block in ct would only crowd L1: B's panel
            // streams 32 KiB through it beside A's 14 KiB). Several: the row tile's C block accumulates in ct.
            int cw = blocks == 1 ? NR : d.nc;
            for (int jb = j0; jb < j1; jb += cw) {
                int je = Math.min(j1, jb + cw), cs = ceilDiv(je - jb, NR) * NR + (blocks == 1 ? 0 : CT_PAD);
                float[] ct = w.ct(MR * cs);
                int c0 = w.ctStart();
                // MR rows at a time through the group: their C block accumulates in ct (L1) from one KC
                // block to the next, and reaches C once per group.
                for (int p = 0; p < tiles; p++) {
                    // The row-major tile's first block overwrites ct; TN's k-major tiles add to it.
                    if (d.form == MatmulForm.TN) Arrays.fill(ct, c0, c0 + MR * cs, 0f);
                    for (int q = 0; q < blocks; q++) {
                        int kc0 = g0 + q * KC;
                        panelRow(ap, as + (p * blocks + q) * MR * KC, bp, d, jb, je, kc0, Math.min(KC, kLen - kc0), ct,
                                c0, cs, w.tile, q == 0);
                    }
                    int i = i0 + p * MR, mr = Math.min(MR, d.m - i);
                    if (load || g0 > 0) addRows(c, cFirst, ct, c0, cs, d.n, i, jb, je, mr);
                    else if (d.bias != null) storeRowsBias(c, ct, c0, cs, d.n, i, jb, je, mr, d.bias, d.relu, d.gelu);
                    else storeRows(c, cFirst, ct, c0, cs, d.n, i, jb, je, mr);
                }
            }
        }
    }

    /**
     * ct[c0 + r·cs + (j − j0) + c] += the tile of rows [.., + MR) and columns j + c, for every NR-wide panel j of
     * [j0, j1), over one KC block: the packed A micro-panel stays in L1 while B's panels stream from L2. A
     * method of its own, called thousands of times per product, so that the JIT compiles it whole and early
     * rather than only as on-stack replacement of {@link #task}.
     */
    private static void panelRow(float[] ap, int aOff, float[] bp, Dims d, int j0, int j1, int kc0, int kcLen,
                                 float[] ct, int c0, int cs, float[] tile, boolean first) {
        for (int j = j0; j < j1; j += NR) {
            int bOff = d.bStart + kc0 * d.np + j / NR * kcLen * NR, cOff = c0 + j - j0;
            if (d.form == MatmulForm.TN) {
                MatmulMicrokernel.tileKMajor(ap, aOff, bp, bOff, kcLen, tile);
                addTile(ct, cOff, cs, tile);
            } else if (first) {
                MatmulMicrokernel.tileFirst(ap, aOff, bp, bOff, kcLen, ct, cOff, cs);
            } else {
                MatmulMicrokernel.tile(ap, aOff, bp, bOff, kcLen, ct, cOff, cs);
            }
        }
    }

    /** ct[o + r·cs + c] += tile[r·NR + c] for r < MR, c < NR: a k-major tile into the C block. */
    private static void addTile(float[] ct, int o, int cs, float[] tile) {
        for (int r = 0; r < MR; r++) {
            for (int c = 0; c < NR; c += L) {
                FloatVector.fromArray(S, ct, o + r * cs + c).add(FloatVector.fromArray(S, tile, r * NR + c))
                        .intoArray(ct, o + r * cs + c);
            }
        }
    }

    /** out[i + r][j] += ct[c0 + r·cs + j − j0] for r < mr, j0 ≤ j < j1 (j1 ≤ n); out starts cFirst floats in. */
    private static void addRows(MemorySegment c, long cFirst, float[] ct, int c0, int cs, int n, int i, int j0, int j1,
                                int mr) {
        int w = j1 - j0, vecEnd = w / L * L;
        for (int r = 0; r < mr; r++) {
            long row = (cFirst + (long) (i + r) * n + j0) * Float.BYTES;
            for (int j = 0; j < vecEnd; j += L) {
                long o = row + (long) j * Float.BYTES;
                FloatVector.fromMemorySegment(S, c, o, BO).add(FloatVector.fromArray(S, ct, c0 + r * cs + j))
                        .intoMemorySegment(c, o, BO);
            }
            for (int j = vecEnd; j < w; j++) {
                long o = row + (long) j * Float.BYTES;
                c.set(F, o, c.get(F, o) + ct[c0 + r * cs + j]);
            }
        }
    }

    /**
     * out[i + r][j] = ct[c0 + r·cs + j − j0] for r < mr, j0 ≤ j < j1 (j1 ≤ n), out starting cFirst floats in. Whole
     * vectors, not a bulk copy per row: at the training shapes a row here is one tile's 32 floats, and a copy call per
     * 128 bytes cost more.
     */
    private static void storeRows(MemorySegment c, long cFirst, float[] ct, int c0, int cs, int n, int i, int j0,
                                  int j1, int mr) {
        int w = j1 - j0, vecEnd = w / L * L;
        for (int r = 0; r < mr; r++) {
            long row = (cFirst + (long) (i + r) * n + j0) * Float.BYTES;
            for (int j = 0; j < vecEnd; j += L) {
                FloatVector.fromArray(S, ct, c0 + r * cs + j).intoMemorySegment(c, row + (long) j * Float.BYTES, BO);
            }
            if (vecEnd < w) MemorySegment.copy(ct, c0 + r * cs + vecEnd, c, F, row + (long) vecEnd * Float.BYTES, w - vecEnd);
        }
    }

    /**
     * out[i + r][j] = ct[c0 + r·cs + j − j0] + bias[j], then max(·, 0) when relu: {@link #storeRows} with a linear
     * layer's epilogue, the roundings of BiasReluCpu (one add, then Math.max semantics) per element; with
     * {@code gelu} not null, each stored row then goes through GeluCpu.forwardKeep in place (GELU′ into gelu). A
     * linear layer's out starts at its segment's start ({@link #multiplyBias} is never a batch entry's).
     */
    private static void storeRowsBias(MemorySegment c, float[] ct, int c0, int cs, int n, int i, int j0, int j1, int mr,
                                      MemorySegment bias, boolean relu, MemorySegment gelu) {
        int w = j1 - j0, vecEnd = w / L * L;
        for (int r = 0; r < mr; r++) {
            long row = ((long) (i + r) * n + j0) * Float.BYTES;
            for (int j = 0; j < vecEnd; j += L) {
                FloatVector v = FloatVector.fromArray(S, ct, c0 + r * cs + j)
                        .add(FloatVector.fromMemorySegment(S, bias, (long) (j0 + j) * Float.BYTES, BO));
                if (relu) v = v.max(0f);
                v.intoMemorySegment(c, row + (long) j * Float.BYTES, BO);
            }
            for (int j = vecEnd; j < w; j++) {
                float v = ct[c0 + r * cs + j] + bias.getAtIndex(F, j0 + j);
                c.set(F, row + (long) j * Float.BYTES, relu ? Math.max(v, 0f) : v);
            }
            if (gelu != null) {
                long first = (long) (i + r) * n + j0;
                GeluCpu.forwardKeep(c, gelu, c, first, first + w);
            }
        }
    }

    /**
     * Packs the A micro-panel of rows [i, i + MR) and depths [kFirst, kFirst + kcLen), zero rows past m, in
     * the layout of the stored A so that every form's pack is a copy: NN, NT (a is (m, k)) row-major,
     * ap[aOff + r·KC + kk] = A(i + r, kFirst + kk); TN (a is (k, m)) k-major, ap[aOff + kk·MR + r], read by
     * {@link MatmulMicrokernel#tileKMajor}. Either way the panel spans MR·KC floats. (A transpose of TN's A into
     * the row-major layout, by lane permutes in L × L blocks, cost 17 % of a TN product: the k-major copy stays.)
     */
    private static void packA(float[] ap, int aOff, MemorySegment a, Dims d, int i, long kFirst, int kcLen) {
        int rows = Math.min(MR, d.m - i);
        if (d.form != MatmulForm.TN) {                    // a row of the panel is a contiguous run of a
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(a, F, (d.aFirst + (long) (i + r) * d.k + kFirst) * Float.BYTES, ap, aOff + r * KC,
                        kcLen);
            }
            for (int r = rows; r < MR; r++) Arrays.fill(ap, aOff + r * KC, aOff + r * KC + kcLen, 0f);
        } else if (rows == MR && i + L <= d.m) {
            copyKMajorRuns(ap, aOff, a, (d.aFirst + kFirst * d.m + i) * Float.BYTES, (long) d.m * Float.BYTES, kcLen);
        } else {                                          // the right edge of a: gather, zero rows past m
            for (int kk = 0; kk < kcLen; kk++) {
                long src = d.aFirst + (kFirst + kk) * d.m + i;
                int o = aOff + kk * MR;
                for (int r = 0; r < rows; r++) ap[o + r] = a.getAtIndex(F, src + r);
                for (int r = rows; r < MR; r++) ap[o + r] = 0f;
            }
        }
    }

    /**
     * ap[aOff + kk·MR + r] = the float at {@code src + kk·stride + r·4} for kk < kcLen, r < MR: MR contiguous
     * floats of TN's a per k, one vector each. A full vector of L ≥ MR lanes: the L − MR extra floats land in
     * the next k's slot, which the next copy overwrites, or past the panel (Workspace.packA keeps L floats of
     * slack). Masked loads and stores would avoid that but profiled slower than the scalar gathers (per-lane
     * bounds checks). A method of its own: inside packA, C2 stopped inlining the vector calls (they boxed).
     */
    private static void copyKMajorRuns(float[] ap, int aOff, MemorySegment a, long src, long stride, int kcLen) {
        for (int kk = 0; kk < kcLen; kk++) {
            FloatVector.fromMemorySegment(S, a, src + kk * stride, BO).intoArray(ap, aOff + kk * MR);
        }
    }

    static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    /**
     * One thread's reusable working memory: the A pack, the C block of a row tile, and the B pack (each grown to
     * the largest seen, then kept), each used from a start index that puts it on a 64-byte line
     * ({@link ArrayAlignment}; the line's floats of room come on top of what a caller asks for). The starts are read
     * when an array is allocated, never again: reading them at every task put a downcall into {@code task}, whose
     * compiled code then ran a 4096 × 256 × 256 product 13 % slower. Owned by a
     * {@link Parallel}, one per thread.
     */
    static final class Workspace {
        private float[] ap = new float[0], bp = new float[0], ct = new float[0], sums = new float[0];
        private float[] smallA = new float[0], smallB = new float[0], smallT = new float[0];
        private int aStart, bStart, ctStart;
        private MemorySegment partials = MemorySegment.NULL;
        /** The geometry of the product this thread runs. */
        private final Dims dims = new Dims();
        /** One MR × NR tile of the k-major (TN) register tile, before it is added to ct. */
        final float[] tile = new float[MR * NR];

        /**
         * An A pack buffer with room for {@code floats} from {@link #aStart}, plus L floats of slack for TN's vector
         * copies; contents undefined.
         */
        float[] packA(int floats) {
            if (ap.length < floats + L + ArrayAlignment.LINE_FLOATS) {
                ap = new float[floats + L + ArrayAlignment.LINE_FLOATS];
                aStart = ArrayAlignment.alignedStart(ap);
            }
            return ap;
        }

        /** Where the A pack starts in {@link #packA}'s array. */
        int aStart() { return aStart; }

        /** The C block buffer of a row tile, room for {@code floats} from {@link #ctStart}; contents undefined. */
        float[] ct(int floats) {
            if (ct.length < floats + ArrayAlignment.LINE_FLOATS) {
                ct = new float[floats + ArrayAlignment.LINE_FLOATS];
                ctStart = ArrayAlignment.alignedStart(ct);
            }
            return ct;
        }

        /** Where the C block starts in {@link #ct}'s array. */
        int ctStart() { return ctStart; }

        /** A B pack buffer with room for {@code floats} from {@link #bStart}; contents undefined. */
        float[] packB(int floats) {
            if (bp.length < floats + ArrayAlignment.LINE_FLOATS) {
                bp = new float[floats + ArrayAlignment.LINE_FLOATS];
                bStart = ArrayAlignment.alignedStart(bp);
            }
            return bp;
        }

        /** Where the B pack starts in {@link #packB}'s array. */
        int bStart() { return bStart; }

        /** The partial products of a split over k ({@link MatmulSplitK}), at least {@code floats}; contents undefined. */
        MemorySegment partials(long floats) {
            if (partials.byteSize() < floats * Float.BYTES) partials = Arena.ofAuto().allocate(floats * Float.BYTES, 64);
            return partials;
        }

        /** {@link MatmulSmall}'s copy of a, at least {@code floats}; contents undefined. */
        float[] smallA(int floats) {
            if (smallA.length < floats) smallA = new float[floats];
            return smallA;
        }

        /** {@link MatmulSmall}'s copy of b as k rows, at least {@code floats}; contents undefined. */
        float[] smallB(int floats) {
            if (smallB.length < floats) smallB = new float[floats];
            return smallB;
        }

        /** {@link MatmulSmall}'s copy of an NT product's b as stored, before its transpose; contents undefined. */
        float[] smallT(int floats) {
            if (smallT.length < floats) smallT = new float[floats];
            return smallT;
        }

        /** Partial column sums of a row-blocked reduction ({@link BiasReluCpu#backward}), at least {@code floats}; contents undefined. */
        float[] sums(int floats) {
            if (sums.length < floats) sums = new float[floats];
            return sums;
        }
    }
}
