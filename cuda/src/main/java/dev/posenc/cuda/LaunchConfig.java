package dev.posenc.cuda;

/**
 * A kernel's launch shape: grid, block, dynamic shared memory. The factories hold the launch maths of every
 * family (the same numbers the .cu headers state), as plain Java so it is tested without a GPU
 * (LaunchConfigTest). Grid and block limits are checked here, not discovered as CUDA_ERROR_INVALID_VALUE.
 */
public record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {
    /** Threads per block for the 1-D kernels (element-wise, reductions, softmax rows, Fourier forward). */
    public static final int BLOCK = 256;
    /** Grid-stride kernels stop growing the grid here: 1024 blocks of 256 keep 132 SMs × 8 blocks busy. */
    public static final int MAX_STRIDE_BLOCKS = 1024;
    /** Matmul output tile (64×64) and the TF32 variant's block of 4 warps. */
    public static final int MATMUL_TILE = 64;
    /** Rows one LFF block encodes (one per thread). */
    public static final int LFF_ROWS = 128;
    /** Rows (queries or keys) per attention block: 32 quads of 4 threads. */
    public static final int ATTENTION_ROWS = 32;
    /** The most coordinates M the Fourier and LFF kernels accept (their register and shared arrays). */
    public static final int MAX_M = 8;
    /** Opt-in shared memory per block on sm_90 (227 KiB); more needs smaller weights. */
    public static final int MAX_SHARED_BYTES = 227 * 1024;
    static final int MAX_GRID_YZ = 65535;

    public LaunchConfig {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || gridY > MAX_GRID_YZ || gridZ > MAX_GRID_YZ) throw new IllegalArgumentException(
                "grid: expected x >= 1 and 1 <= y, z <= 65535, got (%d, %d, %d)".formatted(gridX, gridY, gridZ));
        if (blockX < 1 || blockY < 1 || blockZ < 1 || (long) blockX * blockY * blockZ > 1024) throw new IllegalArgumentException(
                "block: expected 1..1024 threads, got (%d, %d, %d)".formatted(blockX, blockY, blockZ));
        if (sharedBytes < 0 || sharedBytes > MAX_SHARED_BYTES) throw new IllegalArgumentException(
                "sharedBytes: expected 0..%d, got %d".formatted(MAX_SHARED_BYTES, sharedBytes));
    }

    public long threads() { return (long) gridX * gridY * gridZ * blockX * blockY * blockZ; }

    /** Grid-stride loop over n elements: ceil(n / 256) blocks, at most 1024 (at least one, even for n = 0). */
    public static LaunchConfig gridStride(long n) {
        return new LaunchConfig((int) Math.clamp((n + BLOCK - 1) / BLOCK, 1, MAX_STRIDE_BLOCKS), 1, 1, BLOCK, 1, 1, 0);
    }

    /** One thread per element: ceil(n / 256) blocks of 256. */
    public static LaunchConfig perElement(long n) {
        return new LaunchConfig(Math.max(1, Cuda.ceilDiv(n, BLOCK)), 1, 1, BLOCK, 1, 1, 0);
    }

    /** One block of 256 threads per row (softmax, layer norm, cross-entropy). */
    public static LaunchConfig perRow(int rows) { return new LaunchConfig(Math.max(1, rows), 1, 1, BLOCK, 1, 1, 0); }

    /** One warp per row, 8 rows per block of (32, 8) (sum_cols, fourier_backward_dx, attn_bwd_rowdot). */
    public static LaunchConfig warpPerRow(long rows) {
        return new LaunchConfig(Math.max(1, Cuda.ceilDiv(rows, 8)), 1, 1, 32, 8, 1, 0);
    }

    /**
     * Column sums over (rows, cols) in row chunks: (ceil(cols / 32), chunks) blocks of (32, 8). The chunk
     * count is at most 1024 and each chunk a multiple of 8 rows; see {@link #rowsPerChunk}.
     */
    public static LaunchConfig columnChunks(int rows, int cols) {
        int chunk = rowsPerChunk(rows);
        return new LaunchConfig(Math.max(1, Cuda.ceilDiv(cols, 32)), Math.max(1, Cuda.ceilDiv(rows, chunk)), 1, 32, 8, 1, 0);
    }

    /** Rows per chunk for {@link #columnChunks}: ceil(rows / 1024) rounded up to 8, at least 64. */
    public static int rowsPerChunk(int rows) {
        int chunk = Math.max(64, Cuda.ceilDiv(rows, 1024));
        return Math.toIntExact(((long) chunk + 7) / 8 * 8);
    }

    /** Tiled SGEMM (SIMT or TF32): (ceil(n / 64), ceil(m / 64), batch) blocks; 256 or 128 threads. */
    public static LaunchConfig matmul(int m, int n, int batch, boolean tf32) {
        return tf32
                ? new LaunchConfig(Math.max(1, Cuda.ceilDiv(n, MATMUL_TILE)), Math.max(1, Cuda.ceilDiv(m, MATMUL_TILE)),
                        Math.max(1, batch), 128, 1, 1, 0)
                : new LaunchConfig(Math.max(1, Cuda.ceilDiv(n, MATMUL_TILE)), Math.max(1, Cuda.ceilDiv(m, MATMUL_TILE)),
                        Math.max(1, batch), 16, 16, 1, 0);
    }

    /** Blocks a product should offer before split-K stops paying: two per SM of an H100 (132 SMs). */
    public static final int SPLIT_K_TARGET_BLOCKS = 264;
    /** The least K one split may cover: below this the reduction costs more than the parallelism gains. */
    public static final int SPLIT_K_MIN_SLICE = 512;

    /**
     * How many K slices a product of (m, n) outputs over k should be split into: 1 while its grid already fills
     * the GPU, else enough slices to reach {@link #SPLIT_K_TARGET_BLOCKS} blocks, each slice at least
     * {@link #SPLIT_K_MIN_SLICE} deep. From the shape alone, for the TN and NT forms alike. A weight gradient
     * dW = dOutᵀ·x (TN) at N = 2¹⁸ is a (64×64)-block grid of 1–16 blocks that looped over all of K serially (issue
     * 14): split, it fills the machine. The NT products of a training step are forward layers (K = fan-in) and
     * batched attention scores and are left alone; a Gram J·Jᵀ (K = parameters) is split.
     */
    public static int splitK(int m, int n, int k, int batch) {
        long blocks = (long) Math.max(1, Cuda.ceilDiv(n, MATMUL_TILE)) * Math.max(1, Cuda.ceilDiv(m, MATMUL_TILE))
                * Math.max(1, batch);
        if (batch > 1 || blocks >= SPLIT_K_TARGET_BLOCKS) return 1;
        long wanted = (SPLIT_K_TARGET_BLOCKS + blocks - 1) / blocks;
        return (int) Math.max(1, Math.min(wanted, Math.min(MAX_GRID_YZ, k / SPLIT_K_MIN_SLICE)));
    }

    /** Fourier dw: (ceil(k / 32), row chunks) blocks of (32, 8), as {@link #columnChunks} over (n, k). */
    public static LaunchConfig fourierDw(int n, int k) { return columnChunks(n, k); }

    /**
     * Dynamic shared memory of the fused LFF encoder, in bytes: the weights wr (F/2·M), w1 (H·F), b1 (H),
     * w2 (D·H), b2 (D) plus a 128 × (D + 1) staging tile for coalesced output stores.
     */
    public static long lffSharedBytes(int m, int f, int h, int d) {
        long floats = (long) (f / 2) * m + (long) h * f + h + (long) d * h + d + (long) LFF_ROWS * (d + 1);
        return floats * Float.BYTES;
    }

    /** The fused LFF encoder over n rows; throws when the weights do not fit in shared memory. */
    public static LaunchConfig lff(int n, int m, int f, int h, int d) {
        if (m < 1 || m > MAX_M) throw new IllegalArgumentException("lff: m: expected 1..8, got " + m);
        if (h != 32 && h != 64) throw new IllegalArgumentException("lff: h: expected 32 or 64 (compiled variants), got " + h);
        if (f < 2 || f % 2 != 0) throw new IllegalArgumentException("lff: f: expected an even number >= 2, got " + f);
        long bytes = lffSharedBytes(m, f, h, d);
        if (bytes > MAX_SHARED_BYTES) throw new IllegalArgumentException(
                "lff: weights: expected at most %d bytes of shared memory, got %d (m=%d f=%d h=%d d=%d)"
                        .formatted(MAX_SHARED_BYTES, bytes, m, f, h, d));
        return new LaunchConfig(Math.max(1, Cuda.ceilDiv(n, LFF_ROWS)), 1, 1, LFF_ROWS, 1, 1, (int) bytes);
    }

    /** Flash attention (forward, dK/dV, dQ): (ceil(t / 32), batch·heads) blocks of 128; static shared memory. */
    public static LaunchConfig attention(int t, int bh, int d) {
        if (d != 32 && d != 64 && d != 128) throw new IllegalArgumentException(
                "attention: head dim: expected 32, 64 or 128, got " + d);
        return new LaunchConfig(Math.max(1, Cuda.ceilDiv(t, ATTENTION_ROWS)), Math.max(1, bh), 1, 128, 1, 1, 0);
    }

    /** Static shared memory the attention kernels declare: two 32 × d float tiles. */
    public static int attentionStaticSharedBytes(int d) { return 2 * ATTENTION_ROWS * d * Float.BYTES; }
}
