package dev.posenc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** {@link RunLayout} and the host {@link LayoutKernels#copyRuns}, worked by hand. */
class RunLayoutTest {
    private static final LayoutKernels HOST = new LayoutKernels() {};

    @Test
    void runsSitWhereTheStridesSay() {
        // counts (2, 1, 3): run r = i·3 + k; dst offsets 1 + 6i + 2k, src offsets 10i + k
        RunLayout l = new RunLayout(new int[] {2, 1, 3}, 1, new long[] {6, 0, 2}, 0, new long[] {10, 0, 1}, 2);
        assertEquals(6, l.runs());
        assertEquals(1 + 6 + 4, l.dstAt(5));
        assertEquals(10 + 2, l.srcAt(5));
        assertEquals(1 + 6 + 4 + 2, l.extent(true));
        assertEquals(l.srcAt(4), l.transposed().dstAt(4));
    }

    @Test
    void copyMovesAndAccumulateAddsTheTranspose() {
        try (Arena arena = Arena.ofConfined()) {
            // a 2 × 3 transpose in runs of one float: dst (3, 2) from src (2, 3)
            Tensor src = Tensor.of(arena, Shape.of(2, 3), 1, 2, 3, 4, 5, 6), dst = Tensor.zeros(arena, Shape.of(3, 2));
            RunLayout t = new RunLayout(new int[] {1, 2, 3}, 0, new long[] {0, 1, 2}, 0, new long[] {0, 3, 1}, 1);
            HOST.copyRuns(dst, src, t, false);
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, dst.toArray());
            HOST.copyRuns(src, dst, t.transposed(), true);          // src += transpose back = 2·src
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, src.toArray());
            Tensor small = Tensor.zeros(arena, Shape.of(5));
            assertThrows(IllegalArgumentException.class, () -> HOST.copyRuns(small, src, t, false));
        }
    }
}
