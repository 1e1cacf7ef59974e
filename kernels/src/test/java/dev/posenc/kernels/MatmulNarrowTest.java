package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MatmulNarrow's vector loops against their twins, bit for bit (the twins run the same operations lane by lane);
 * against plain loops with a tolerance in MatmulCpuTest (vectorMatchesScalarTwin, 1 and 2 threads).
 */
class MatmulNarrowTest {
    static Parallel parallel;

    @BeforeAll static void start() { parallel = new Parallel(2); }

    @AfterAll static void stop() { parallel.close(); }

    /** (m, narrow side, other side): the RGB layer; one output; k or n below a vector (tail only); odd tails. */
    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(700, 3, 256), Arguments.of(517, 1, 37), Arguments.of(301, 4, 5),
                Arguments.of(1000, 2, 33));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void ntMatchesTwin(int m, int n, int k) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(m + 3L * n + 5L * k);
            Tensor a = rng.normal(arena, Shape.of(m, k)), b = rng.normal(arena, Shape.of(n, k));
            Tensor bias = rng.normal(arena, Shape.of(n)), start = rng.normal(arena, Shape.of(m, n));
            for (int mode = 0; mode < 4; mode++) {          // plain, bias, bias + relu, accumulate
                boolean withBias = mode == 1 || mode == 2, relu = mode == 2, accumulate = mode == 3;
                Tensor expected = Tensor.zeros(arena, m, n), actual = Tensor.zeros(arena, m, n);
                expected.copyFrom(start);
                actual.copyFrom(start);
                MatmulNarrow.ntScalar(expected.data(), a.data(), b.data(), withBias ? bias.data() : null, relu,
                        accumulate, m, n, k);
                MatmulNarrow.nt(parallel, true, actual.data(), a.data(), b.data(), withBias ? bias.data() : null, relu,
                        accumulate, m, n, k);
                assertArrayEquals(expected.toArray(), actual.toArray(), "mode " + mode);
            }
        }
    }

    @ParameterizedTest(name = "m={0} k={1} n={2}")
    @MethodSource("shapes")
    void nnMatchesTwin(int m, int k, int n) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(m + 7L * n + 11L * k);
            Tensor a = rng.normal(arena, Shape.of(m, k)), b = rng.normal(arena, Shape.of(k, n));
            Tensor start = rng.normal(arena, Shape.of(m, n));
            for (boolean accumulate : new boolean[] {false, true}) {
                Tensor expected = Tensor.zeros(arena, m, n), actual = Tensor.zeros(arena, m, n);
                expected.copyFrom(start);
                actual.copyFrom(start);
                MatmulNarrow.nnScalar(expected.data(), a.data(), b.data(), accumulate, m, n, k);
                MatmulNarrow.nn(parallel, true, actual.data(), a.data(), b.data(), accumulate, m, n, k);
                assertArrayEquals(expected.toArray(), actual.toArray(), "accumulate=" + accumulate);
            }
        }
    }

    /**
     * By hand, through MatmulCpu (200·20·2 multiply-adds: past the scalar cut-off): a (200 × 20) of ones against
     * b = two rows of 2s and −1s (2 × 20): every output row is [40, −20]; then NN with k = 2: 40·2 + (−20)·(−1) = 100.
     */
    @Test
    void handWorked() {
        try (Arena arena = Arena.ofShared()) {
            int m = 200, k = 20;
            Tensor a = Tensor.full(arena, Shape.of(m, k), 1f), b = Tensor.zeros(arena, 2, k);
            for (int j = 0; j < k; j++) {
                b.set(0, j, 2f);
                b.set(1, j, -1f);
            }
            Tensor y = Tensor.zeros(arena, m, 2);
            MatmulCpu.matmul(parallel, y, a, b, MatmulForm.NT, false);
            float[] rows = new float[2 * m];
            for (int r = 0; r < m; r++) {
                rows[2 * r] = 40f;
                rows[2 * r + 1] = -20f;
            }
            assertArrayEquals(rows, y.toArray());
            Tensor x = Tensor.zeros(arena, m, k);
            MatmulCpu.matmul(parallel, x, y, b, MatmulForm.NN, false);    // 40·2 + (−20)·(−1) = 100
            float[] hundreds = new float[m * k];
            java.util.Arrays.fill(hundreds, 100f);
            assertArrayEquals(hundreds, x.toArray());
        }
    }
}
