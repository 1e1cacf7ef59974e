package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Launch maths by hand: the numbers the .cu headers promise. No GPU needed. */
class LaunchConfigTest {
    @Test
    void gridStrideCoversSmallInputsAndCapsLargeOnes() {
        assertEquals(new LaunchConfig(1, 1, 1, 256, 1, 1, 0), LaunchConfig.gridStride(0));
        assertEquals(1, LaunchConfig.gridStride(256).gridX());
        assertEquals(2, LaunchConfig.gridStride(257).gridX());
        assertEquals(1024, LaunchConfig.gridStride(1L << 40).gridX());
    }

    @Test
    void perElementHasOneThreadPerElement() {
        // fourier_forward at N = 2^18, K = 128: exactly 131072 blocks
        LaunchConfig c = LaunchConfig.perElement((1L << 18) * 128);
        assertEquals(131072, c.gridX());
        assertTrue(c.threads() >= (1L << 18) * 128);
        assertEquals(3, LaunchConfig.perElement(513).gridX());
    }

    @Test
    void splitKSplitsOnlyThinProductsOverLongK() {
        // dW of Tancik's last layer at N = 2^18: out (3, 256) is 4 tiles; 66 slices reach 264 blocks, each 3972 rows
        assertEquals(66, LaunchConfig.splitK(3, 256, 1 << 18, 1));
        // a grid that already fills the GPU (32 × 32 tiles), a batch, or a short K: no split
        assertEquals(1, LaunchConfig.splitK(2048, 2048, 1 << 18, 1));
        assertEquals(1, LaunchConfig.splitK(3, 256, 1 << 18, 2));
        assertEquals(1, LaunchConfig.splitK(3, 256, 1023, 1));
        // every slice keeps at least SPLIT_K_MIN_SLICE rows
        assertEquals(4, LaunchConfig.splitK(64, 64, 4 * LaunchConfig.SPLIT_K_MIN_SLICE + 7, 1));
    }

    /**
     * Which products of a training step the shape-only heuristic splits (issue 14). The NT products of fit-image and
     * the ViT are forward layers y = x·Wᵀ (K = fan-in ≤ 256) and batched attention scores (K = head dim): none is
     * K-long, so none is split; their weight gradients are TN and are. An NT product is K-long where its output is
     * small and both operands' rows are long: the NTK Gram J·Jᵀ (K = parameter count) or dA of a TN-form product.
     */
    @Test
    void splitKPicksTheLongKProductsOfATrainingStepAndLeavesTheRest() {
        assertEquals(1, LaunchConfig.splitK(16384, 256, 256, 1));        // fit-image hidden layer, NT forward
        assertEquals(1, LaunchConfig.splitK(1 << 18, 3, 256, 1));        // fit-image output layer, NT forward
        assertEquals(1, LaunchConfig.splitK(128 * 50, 64, 64, 1));       // ViT q/k/v, NT forward (B·T rows)
        assertEquals(1, LaunchConfig.splitK(50, 50, 16, 128 * 4));       // ViT scores, batched NT
        assertEquals(17, LaunchConfig.splitK(256, 256, 1 << 18, 1));     // fit-image dW (TN): 16 tiles, K = N
        assertEquals(12, LaunchConfig.splitK(64, 128, 128 * 50, 1));     // a ViT dW (TN), K = B·T = 6400: ≥ 512 each
        assertEquals(17, LaunchConfig.splitK(256, 256, 140_074, 1));     // NTK Gram J·Jᵀ (NT), K = parameters
    }

    @Test
    void matmulTilesAre64Square() {
        assertEquals(new LaunchConfig(2, 2, 1, 16, 16, 1, 0), LaunchConfig.matmul(70, 65, 1, false));
        assertEquals(new LaunchConfig(2, 2, 3, 128, 1, 1, 0), LaunchConfig.matmul(70, 65, 3, true));
        assertEquals(new LaunchConfig(1, 1, 1, 16, 16, 1, 0), LaunchConfig.matmul(64, 64, 1, false));
    }

    @Test
    void columnChunksKeepAtMost1024ChunksOfWholeWarps() {
        assertEquals(64, LaunchConfig.rowsPerChunk(301));
        assertEquals(new LaunchConfig(2, 5, 1, 32, 8, 1, 0), LaunchConfig.columnChunks(301, 37));
        int rows = 1 << 20, chunk = LaunchConfig.rowsPerChunk(rows);
        assertEquals(1024, chunk);
        assertEquals(0, chunk % 8);
        assertTrue(LaunchConfig.columnChunks(rows, 128).gridY() <= 1024);
        assertEquals(1024, LaunchConfig.rowsPerChunk(1024 * 1024 - 5));   // ceil(1048571/1024) = 1024
        assertEquals(1032, LaunchConfig.rowsPerChunk(1024 * 1025 + 1));   // 1026 rounded up to a multiple of 8
    }

    @Test
    void lffSharedMemoryByHand() {
        // M=2 F=256 H=64 D=64: 128·2 + 64·256 + 64 + 64·64 + 64 + 128·65 = 29184 floats
        assertEquals(29184L * 4, LaunchConfig.lffSharedBytes(2, 256, 64, 64));
        LaunchConfig c = LaunchConfig.lff(1 << 18, 2, 256, 64, 64);
        assertEquals(2048, c.gridX());
        assertEquals(116736, c.sharedBytes());
        var e = assertThrows(IllegalArgumentException.class, () -> LaunchConfig.lff(10, 2, 1024, 64, 64));
        assertTrue(e.getMessage().startsWith("lff: weights: expected at most"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.lff(10, 2, 256, 128, 64));
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.lff(10, 9, 256, 64, 64));
    }

    @Test
    void attentionBlocksOf32Rows() {
        assertEquals(new LaunchConfig(128, 8, 1, 128, 1, 1, 0), LaunchConfig.attention(4096, 8, 64));
        assertEquals(2, LaunchConfig.attention(33, 1, 32).gridX());
        assertEquals(32768, LaunchConfig.attentionStaticSharedBytes(128));   // ptxas -v reports 32768 bytes smem
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.attention(64, 1, 48));
    }

    @Test
    void rejectsImpossibleLaunches() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 1, 1, 32, 32, 2, 0));
        assertTrue(e.getMessage().startsWith("block: expected 1..1024 threads"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 70000, 1, 32, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 1, 1, 32, 1, 1, 300 * 1024));
    }
}
