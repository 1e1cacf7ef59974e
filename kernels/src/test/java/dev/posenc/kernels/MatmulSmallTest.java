package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The batch entries' small-product path against the blocked driver (bit for bit) and the scalar twin. */
class MatmulSmallTest {
    /**
     * (m, n, k): the default ViT's heads (scores 50 × 50 × 16, P·V 50 × 16 × 50), both tile shapes (n ≥ 32 and
     * n < 32), rows that are not a multiple of the tile, a tail of columns, a single row and column.
     */
    static final int[][] SHAPES = {{50, 50, 16}, {50, 16, 50}, {17, 40, 33}, {9, 15, 7}, {1, 1, 5}, {31, 64, 256}};

    static Stream<Arguments> cases() {
        return Stream.of(MatmulForm.values()).flatMap(f -> Stream.of(SHAPES).flatMap(s ->
                Stream.of(Arguments.of(f, s[0], s[1], s[2], false), Arguments.of(f, s[0], s[1], s[2], true))));
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3} accumulate={4}")
    @MethodSource("cases")
    void matchesTheBlockedProductBitForBitAndTheTwinWithinRounding(MatmulForm form, int m, int n, int k,
                                                                    boolean accumulate) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Rng rng = new Rng(31L * m + 7L * n + k);
            // Two entries, each read and written at its offset in the 2-entry tensors.
            Tensor a = rng.normal(arena, form == MatmulForm.TN ? Shape.of(2, k, m) : Shape.of(2, m, k));
            Tensor b = rng.normal(arena, form == MatmulForm.NT ? Shape.of(2, n, k) : Shape.of(2, k, n));
            Tensor start = rng.normal(arena, Shape.of(2, m, n));
            Tensor small = Tensor.zeros(arena, 2, m, n), blocked = Tensor.zeros(arena, 2, m, n);
            small.copyFrom(start);
            blocked.copyFrom(start);
            for (int e = 0; e < 2; e++) {
                long ae = (long) e * m * k, be = (long) e * k * n, oe = (long) e * m * n;
                MatmulSmall.multiply(p.workspace(), small.data(), oe, a.data(), ae, b.data(), be, form, accumulate,
                        m, n, k);
                MatmulBlocked.multiplySplittingK(p, false, blocked.data(), oe, a.data(), ae, b.data(), be, form,
                        accumulate, m, n, k);
            }
            assertArrayEquals(blocked.toArray(), small.toArray(), "bit for bit with the blocked driver");

            Tensor expected = Tensor.zeros(arena, 2, m, n);
            expected.copyFrom(start);
            MatmulCpu.batchedMatmulScalar(expected, a, b, form, accumulate);
            double grow = Math.sqrt(k);   // the twin sums with a multiply and an add per term, not an FMA
            Compare c = Compare.of(expected, small, MatmulCpuTest.ATOL * grow, MatmulCpuTest.RTOL * grow);
            assertTrue(c.ok(), c::describe);
        }
    }

    @Test
    void takesOnlyProductsOneBlockDeepAndSmall() {
        assertTrue(MatmulSmall.takes(50, 50, 16));
        assertFalse(MatmulSmall.takes(50, 50, MatmulMicrokernel.KC + 1));
        assertFalse(MatmulSmall.takes(256, 256, 256));
    }
}
