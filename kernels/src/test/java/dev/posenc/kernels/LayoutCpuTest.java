package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posenc.core.LayoutKernels;
import dev.posenc.core.Rng;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LayoutCpu} against its twin, the host loop every backend inherits: equal bit for bit. */
class LayoutCpuTest {
    private static final LayoutKernels HOST = new LayoutKernels() {};

    /** (B, T, H·dh) → (B, H, T, dh) with B 3, H 5, T 7 and a head width dh (17: a vector and a tail; 3: a tail only). */
    private static RunLayout headsSplit(int dh) {
        int b = 3, h = 5, t = 7;
        return new RunLayout(new int[] {b, h, t}, 0, new long[] {(long) h * t * dh, (long) t * dh, dh},
                0, new long[] {(long) t * h * dh, dh, (long) h * dh}, dh);
    }

    /** A slice of token 2 out of (4, 9, 33) into (4, 33), at a destination offset: offsets and one-run rows. */
    private static RunLayout sliceToken() {
        return new RunLayout(new int[] {1, 1, 4}, 0, new long[] {0, 0, 33}, 2 * 33, new long[] {0, 0, 9 * 33}, 33);
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void movesAndAddsLikeTheHostLoop(int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(11);
            for (RunLayout l : List.of(headsSplit(17), headsSplit(3), headsSplit(64), sliceToken())) {
                long srcSize = l.extent(false), dstSize = l.extent(true);
                Tensor src = rng.normal(arena, Shape.of((int) srcSize));
                Tensor start = rng.normal(arena, Shape.of((int) dstSize));
                for (boolean accumulate : new boolean[] {false, true}) {
                    Tensor want = Tensor.zeros(arena, start.shape()), got = Tensor.zeros(arena, start.shape());
                    want.copyFrom(start);
                    got.copyFrom(start);
                    HOST.copyRuns(want, src, l, accumulate);
                    LayoutCpu.copyRuns(p, got, src, l, accumulate);
                    assertArrayEquals(want.toArray(), got.toArray(), "accumulate " + accumulate + ", len " + l.len());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void largeMovesSplitOverThreadsWithoutChangingABit(int threads) {
        // B 64, H 4, T 50, dh 16: the train-vit heads at half batch, above the split threshold
        int b = 64, h = 4, t = 50, dh = 16;
        RunLayout l = new RunLayout(new int[] {b, h, t}, 0, new long[] {(long) h * t * dh, (long) t * dh, dh},
                0, new long[] {(long) t * h * dh, dh, (long) h * dh}, dh);
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Tensor x = new Rng(3).normal(arena, Shape.of(b, t, h * dh)), y = Tensor.zeros(arena, Shape.of(b, h, t, dh));
            Tensor back = Tensor.zeros(arena, x.shape()), want = Tensor.zeros(arena, x.shape());
            LayoutCpu.copyRuns(p, y, x, l, false);
            LayoutCpu.copyRuns(p, back, y, l.transposed(), true);     // 0 + x, moved there and back
            HOST.copyRuns(want, x, new RunLayout(new int[] {1, 1, 1}, 0, new long[3], 0, new long[3], (int) x.size()), false);
            assertArrayEquals(want.toArray(), back.toArray());
        }
    }

    @Test
    void aLayoutOutsideTheTensorsIsRefused() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor small = Tensor.zeros(arena, Shape.of(10)), src = Tensor.zeros(arena, Shape.of(3 * 5 * 7 * 17));
            assertThrows(IllegalArgumentException.class, () -> LayoutCpu.copyRuns(p, small, src, headsSplit(17), false));
        }
    }
}
