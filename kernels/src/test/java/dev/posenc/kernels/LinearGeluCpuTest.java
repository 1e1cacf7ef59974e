package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import java.lang.foreign.Arena;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Linear + GELU with GELU′ kept: bit for bit the unfused kernels (linear, then GELU forward; the GELU backward of
 * ones for GELU′), on 1 and 2 threads; against its twin within the product's rounding. Shapes: the epilogue path
 * (k ≤ one group: 301 × 37 → 45 with a vector tail, 257 × 512 → 67), the pass after the product (k = 1100 spans
 * groups), the narrow product (n = 3).
 */
class LinearGeluCpuTest {
    /** The product's twin sums without FMA: ~k·2⁻²⁴ relative drift, through GELU′ ≤ 1.13. */
    static final double ATOL = 1e-4, RTOL = 1e-4;

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(301, 45, 37), Arguments.of(257, 67, 512), Arguments.of(61, 33, 1100),
                Arguments.of(700, 3, 256));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void equalsUnfusedKernelsAndTwin(int m, int n, int k) {
        try (Arena arena = Arena.ofShared(); Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            Rng rng = new Rng(m + 3L * n + k);
            Tensor x = rng.normal(arena, Shape.of(m, k)), w = rng.normal(arena, Shape.of(n, k));
            Tensor b = rng.normal(arena, Shape.of(n)), dy = rng.normal(arena, Shape.of(m, n));
            Tensor h = Tensor.zeros(arena, m, n), y = Tensor.zeros(arena, m, n), d = Tensor.zeros(arena, m, n);
            Tensor ones = Tensor.full(arena, Shape.of(m, n), 1f), dh = Tensor.zeros(arena, m, n);
            MatmulCpu.linear(two, h, x, w, b, false);
            ActivationCpu.unary(two, UnaryOp.GELU_ERF, y, h);
            ActivationCpu.unaryBackward(two, UnaryOp.GELU_ERF, d, ones, h, y, false);
            ActivationCpu.unaryBackward(two, UnaryOp.GELU_ERF, dh, dy, h, y, false);
            for (Parallel p : new Parallel[] {one, two}) {
                Tensor fy = rng.normal(arena, Shape.of(m, n)), fd = rng.normal(arena, Shape.of(m, n));  // stale
                Tensor fdh = rng.normal(arena, Shape.of(m, n));
                LinearGeluCpu.forward(p, fy, fd, x, w, b);
                LinearGeluCpu.backward(p, fdh, dy, fd, false);
                assertArrayEquals(y.toArray(), fy.toArray(), "y, threads " + p.threads());
                assertArrayEquals(d.toArray(), fd.toArray(), "GELU′, threads " + p.threads());
                assertArrayEquals(dh.toArray(), fdh.toArray(), "dh, threads " + p.threads());
            }
            Tensor ty = Tensor.zeros(arena, m, n), td = Tensor.zeros(arena, m, n), tdh = Tensor.zeros(arena, m, n);
            LinearGeluCpu.forwardScalar(ty, td, x, w, b);
            Compare cy = Compare.of(ty, y, ATOL, RTOL), cd = Compare.of(td, d, ATOL, RTOL);
            assertTrue(cy.ok(), cy::describe);
            assertTrue(cd.ok(), cd::describe);
            LinearGeluCpu.backwardScalar(tdh, dy, d, false);        // given the same GELU′: bit for bit
            assertArrayEquals(dh.toArray(), tdh.toArray());
            Tensor acc = rng.normal(arena, Shape.of(m, n)), accTwin = Tensor.zeros(arena, m, n);
            accTwin.copyFrom(acc);
            LinearGeluCpu.backward(two, acc, dy, d, true);
            LinearGeluCpu.backwardScalar(accTwin, dy, d, true);
            assertArrayEquals(accTwin.toArray(), acc.toArray(), "accumulate");
        }
    }

    /** By hand: h = 0 gives GELU 0 and GELU′ ½; x = 0 rows make h = b. b = [0, 0] over 200 × 20 zeros → 2 outputs. */
    @Test
    void zeroPreActivationGivesHalfSlope() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(2)) {
            int m = 200, k = 20, n = 2;
            Tensor x = Tensor.zeros(arena, m, k), w = Tensor.full(arena, Shape.of(n, k), 1f), b = Tensor.zeros(arena, Shape.of(n));
            Tensor y = Tensor.zeros(arena, m, n), d = Tensor.zeros(arena, m, n);
            LinearGeluCpu.forward(p, y, d, x, w, b);
            for (int i = 0; i < m * n; i++) {
                assertEquals(0f, y.get(i));
                assertEquals(0.5f, d.get(i));
            }
        }
    }
}
