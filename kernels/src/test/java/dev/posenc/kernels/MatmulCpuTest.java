package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatmulCpuTest {
    /** Both sides sum k float products of N(0,1) values, in a different association (FMA vs mul+add). */
    static final double ATOL = 1e-4;
    /** ~ k·2⁻²⁴ for k ≤ 300: the rounding drift of a float sum in any order. */
    static final double RTOL = 2e-5;

    /** k = 4400 terms: sums of magnitude ~70 drift by a few k·2⁻²⁴ ulps in any order. */
    static final double DEEP_ATOL = 1e-3, DEEP_RTOL = 1e-4;

    static Parallel parallel;

    @BeforeAll static void start() { parallel = new Parallel(2); }

    @AfterAll static void stop() { parallel.close(); }

    /**
     * (m, n, k): primes, and sizes just around the tiles (14 × 32 with AVX-512, 4 × 24 with AVX2) and the
     * blocks (KC 256; NC 1024 columns: n = 1100 makes two column blocks).
     */
    static Stream<Arguments> shapes() {
        int[][] mnk = {{1, 1, 1}, {3, 5, 17}, {17, 31, 5}, {67, 131, 45}, {4, 64, 16}, {5, 65, 17}, {4, 24, 16},
                       {7, 25, 9}, {3, 63, 255}, {129, 65, 257}, {127, 127, 256}, {31, 200, 513}, {260, 17, 31},
                       {1, 300, 70}, {14, 32, 16}, {15, 33, 257}, {13, 31, 7}, {28, 64, 256}, {200, 1100, 30},
                       {700, 3, 256}, {600, 256, 3}, {301, 4, 5}, {299, 45, 1}};   // the last four: MatmulNarrow
        List<Arguments> cases = new ArrayList<>();
        for (int[] s : mnk) {
            for (MatmulForm form : MatmulForm.values()) {
                for (boolean acc : new boolean[] {false, true}) cases.add(Arguments.of(s[0], s[1], s[2], form, acc));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{3} m={0} n={1} k={2} accumulate={4}")
    @MethodSource("shapes")
    void vectorMatchesScalarTwin(int m, int n, int k, MatmulForm form, boolean accumulate) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(m * 31L + n * 7L + k);
            Tensor a = rng.normal(arena, form == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
            Tensor b = rng.normal(arena, form == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
            Tensor start = rng.normal(arena, Shape.of(m, n));  // overwritten unless accumulating
            Tensor expected = Tensor.zeros(arena, m, n), actual = Tensor.zeros(arena, m, n);
            expected.copyFrom(start);
            actual.copyFrom(start);
            MatmulCpu.matmulScalar(expected, a, b, form, accumulate);
            MatmulCpu.matmul(parallel, actual, a, b, form, accumulate);
            Compare c = Compare.of(expected, actual, ATOL, RTOL);
            assertTrue(c.ok(), c::describe);
        }
    }

    @ParameterizedTest(name = "{0} accumulate={1}")
    @MethodSource("forms")
    void batchedMatchesScalarTwin(MatmulForm form, boolean accumulate) {
        // Entries reach every path at an offset into their tensors: scalar, blocked, narrow (NT n = 3, NN k = 3),
        // TN split over k (k > 4096, narrow and blocked slices), and split over threads (2 entries of 2.4M MACs).
        int[][] bmnk = {{3, 5, 17, 9}, {2, 67, 70, 33}, {5, 31, 16, 64}, {3, 40, 3, 50}, {3, 40, 50, 3},
                {2, 3, 40, 4200}, {2, 24, 24, 4200}};
        try (Arena arena = Arena.ofShared()) {
            for (int[] s : bmnk) {
                int batch = s[0], m = s[1], n = s[2], k = s[3];
                Rng rng = new Rng(batch + 11L * m);
                Tensor a = rng.normal(arena, form == MatmulForm.TN ? Shape.of(batch, k, m) : Shape.of(batch, m, k));
                Tensor b = rng.normal(arena, form == MatmulForm.NT ? Shape.of(batch, n, k) : Shape.of(batch, k, n));
                Tensor expected = rng.normal(arena, Shape.of(batch, m, n));
                Tensor actual = Tensor.zeros(arena, Shape.of(batch, m, n));
                actual.copyFrom(expected);
                MatmulCpu.batchedMatmulScalar(expected, a, b, form, accumulate);
                MatmulCpu.batchedMatmul(parallel, actual, a, b, form, accumulate);
                Compare c = k > 1024 ? Compare.of(expected, actual, DEEP_ATOL, DEEP_RTOL)
                        : Compare.of(expected, actual, ATOL, RTOL);
                assertTrue(c.ok(), c::describe);
            }
        }
    }

    static Stream<Arguments> forms() {
        return Stream.of(MatmulForm.values()).flatMap(f -> Stream.of(Arguments.of(f, false), Arguments.of(f, true)));
    }

    /** A large enough product to take the blocked, multi-threaded path with several K chunks and edges. */
    @Test
    void deepProductSpansKChunks() {
        // n = 1000 pads to 1008 (AVX2) or 1024 (AVX-512) packed columns: K chunks of 2^22 / 1024 = 4096
        // deep, so k = 4400 spans two chunks, the last one partial.
        int m = 2, n = 1000, k = 4400;
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(3);
            Tensor a = rng.normal(arena, Shape.of(k, m)), b = rng.normal(arena, Shape.of(k, n));
            Tensor expected = Tensor.zeros(arena, m, n), actual = Tensor.full(arena, Shape.of(m, n), Float.NaN);
            MatmulCpu.matmulScalar(expected, a, b, MatmulForm.TN, false);
            MatmulCpu.matmul(parallel, actual, a, b, MatmulForm.TN, false);
            Compare c = Compare.of(expected, actual, DEEP_ATOL, DEEP_RTOL);
            assertTrue(c.ok(), c::describe);
        }
    }

    /**
     * The same bits on 1 and 2 threads, for every form: tasks split rows, columns and (TN with a long k) depths
     * at points that depend on the shape alone, and partial sums over depth are added in a fixed order. Shapes:
     * a tall-skinny product (NN/NT of a training step), TN with k = 5000 and a small output (a weight gradient,
     * split over k), a wide one (column groups), and a deep one spanning K chunks.
     */
    /**
     * TN with at most 4 output rows and a k long enough to split (an RGB layer's weight gradient) takes
     * MatmulSplitK's narrow slices (no packing, one FMA chain per element): against the twin, accumulating or not;
     * n = 45 and 33 end in a scalar tail, 64 does not.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("narrowTnShapes")
    void narrowTnMatchesScalarTwin(int m, int n, int k) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(m * 31L + n * 7L + k);
            Tensor a = rng.normal(arena, Shape.of(k, m)), b = rng.normal(arena, Shape.of(k, n));
            Tensor start = rng.normal(arena, Shape.of(m, n));
            for (boolean accumulate : new boolean[] {false, true}) {
                Tensor expected = Tensor.zeros(arena, m, n), actual = Tensor.zeros(arena, m, n);
                expected.copyFrom(start);
                actual.copyFrom(start);
                MatmulCpu.matmulScalar(expected, a, b, MatmulForm.TN, accumulate);
                MatmulCpu.matmul(parallel, actual, a, b, MatmulForm.TN, accumulate);
                Compare c = Compare.of(expected, actual, DEEP_ATOL, DEEP_RTOL);
                assertTrue(c.ok(), c::describe);
            }
        }
    }

    static Stream<Arguments> narrowTnShapes() {
        return Stream.of(Arguments.of(3, 45, 8300), Arguments.of(1, 33, 4100), Arguments.of(4, 64, 4096));
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
    @MethodSource("threadShapes")
    void oneAndTwoThreadsGiveTheSameBits(MatmulForm form, int m, int n, int k) {
        try (Arena arena = Arena.ofShared(); Parallel one = new Parallel(1)) {
            Rng rng = new Rng(m + 7L * n + 13L * k);
            Tensor a = rng.normal(arena, form == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
            Tensor b = rng.normal(arena, form == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
            Tensor start = rng.normal(arena, Shape.of(m, n));
            for (boolean accumulate : new boolean[] {false, true}) {
                Tensor out1 = Tensor.zeros(arena, m, n), out2 = Tensor.zeros(arena, m, n);
                out1.copyFrom(start);
                out2.copyFrom(start);
                MatmulCpu.matmul(one, out1, a, b, form, accumulate);
                MatmulCpu.matmul(parallel, out2, a, b, form, accumulate);
                assertArrayEquals(out1.toArray(), out2.toArray(), "accumulate=" + accumulate);
            }
        }
    }

    static Stream<Arguments> threadShapes() {
        List<Arguments> cases = new ArrayList<>();
        int[][] mnk = {{700, 96, 64}, {40, 37, 5000}, {30, 1100, 200}, {3, 20, 9000}, {3, 45, 8300}, {4, 64, 4096},
                       {2000, 3, 256}, {2000, 256, 3}};
        for (int[] s : mnk) for (MatmulForm f : MatmulForm.values()) cases.add(Arguments.of(f, s[0], s[1], s[2]));
        return cases.stream();
    }

    /**
     * Every register tile against plain loops, whichever the machine's SIMD width selects for the driver:
     * the AVX-512 tiles are thereby also checked on AVX2 machines, and the 4 × 3 tile on AVX-512 ones.
     * A is a packed micro-panel (row r at r·KC), B a panel read from bOff = nr.
     */
    @ParameterizedTest(name = "{0}x{1} vectors")
    @MethodSource("tileShapes")
    void everyRegisterTileMatchesLoops(int mr, int vectors) {
        int nr = vectors * MatmulMicrokernel.L, kc = 37, kcMax = MatmulMicrokernel.KC;
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(mr);
            float[] ap = rng.normal(arena, Shape.of(mr, kcMax)).toArray();
            float[] panel = rng.normal(arena, Shape.of(kc + 1, nr)).toArray();
            float[] ct = new float[mr * nr + 1];
            ct[mr * nr] = 42f;                                              // past the tile: must stay
            switch (mr * 10 + vectors) {
                case 142 -> MatmulMicrokernel.tile14x2(ap, 0, panel, nr, kc, ct, 0, nr);
                case 43 -> MatmulMicrokernel.tile4x3(ap, 0, panel, nr, kc, ct, 0, nr);
                default -> throw new IllegalArgumentException("no tile " + mr + "x" + vectors);
            }
            float[] expected = new float[mr * nr + 1];
            expected[mr * nr] = 42f;
            for (int r = 0; r < mr; r++) {
                for (int j = 0; j < nr; j++) {
                    float s = 0f;
                    for (int k = 0; k < kc; k++) s += ap[r * kcMax + k] * panel[(1 + k) * nr + j];  // bOff = nr
                    expected[r * nr + j] = s;
                }
            }
            Compare c = Compare.of(expected, ct, ATOL, RTOL);
            assertTrue(c.ok(), c::describe);
        }
    }

    /** The k-major tiles (TN's A layout, row r of step k at k·MR + r) give what the row-major ones give, bit for bit. */
    @ParameterizedTest(name = "{0}x{1} vectors")
    @MethodSource("tileShapes")
    void kMajorTilesEqualRowMajorTiles(int mr, int vectors) {
        int nr = vectors * MatmulMicrokernel.L, kc = 37, kcMax = MatmulMicrokernel.KC;
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(mr + 1);
            float[] ap = rng.normal(arena, Shape.of(mr, kcMax)).toArray(), apK = new float[mr * kcMax];
            for (int r = 0; r < mr; r++) for (int k = 0; k < kcMax; k++) apK[k * mr + r] = ap[r * kcMax + k];
            float[] panel = rng.normal(arena, Shape.of(kc + 1, nr)).toArray();
            float[] rowMajor = new float[mr * nr], kMajor = new float[mr * nr];
            switch (mr * 10 + vectors) {
                case 142 -> {
                    MatmulMicrokernel.tile14x2(ap, 0, panel, nr, kc, rowMajor, 0, nr);
                    MatmulMicrokernel.tile14x2K(apK, 0, panel, nr, kc, kMajor);
                }
                case 43 -> {
                    MatmulMicrokernel.tile4x3(ap, 0, panel, nr, kc, rowMajor, 0, nr);
                    MatmulMicrokernel.tile4x3K(apK, 0, panel, nr, kc, kMajor);
                }
                default -> throw new IllegalArgumentException("no tile " + mr + "x" + vectors);
            }
            assertArrayEquals(rowMajor, kMajor);
        }
    }

    /**
     * tileFirst overwrites its tile of ct whatever ct held, with the bits tile adds to a zeroed ct; then tile adds
     * a second block on top, as a group of two KC blocks does. C block row stride 45 (not the tile width).
     */
    @Test
    void firstTileOverwritesAndTileAccumulates() {
        int mr = MatmulMicrokernel.MR, nr = MatmulMicrokernel.NR, kc = 29, kcMax = MatmulMicrokernel.KC, cs = nr + 13;
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(5);
            float[] ap = rng.normal(arena, Shape.of(mr, kcMax)).toArray();
            float[] panel = rng.normal(arena, Shape.of(kc, nr)).toArray();
            float[] garbage = rng.normal(arena, Shape.of(mr, cs)).toArray(), zeroed = new float[mr * cs];
            float[] first = garbage.clone();
            MatmulMicrokernel.tileFirst(ap, 0, panel, 0, kc, first, 0, cs);
            MatmulMicrokernel.tile(ap, 0, panel, 0, kc, zeroed, 0, cs);
            for (int r = 0; r < mr; r++) {
                for (int j = 0; j < cs; j++) {
                    float expected = j < nr ? zeroed[r * cs + j] : garbage[r * cs + j];   // columns past the tile stay
                    assertEquals(expected, first[r * cs + j], "row " + r + " column " + j);
                }
            }
            float[] twice = first.clone();
            MatmulMicrokernel.tile(ap, 0, panel, 0, kc, twice, 0, cs);
            for (int r = 0; r < mr; r++) {
                for (int j = 0; j < nr; j++) {
                    double sum = 0;
                    for (int k = 0; k < kc; k++) sum += (double) ap[r * kcMax + k] * panel[k * nr + j];
                    assertEquals(2 * sum, twice[r * cs + j], ATOL + RTOL * Math.abs(2 * sum));
                }
            }
        }
    }

    static Stream<Arguments> tileShapes() {
        return Stream.of(Arguments.of(14, 2), Arguments.of(4, 3));
    }

    /** Worked by hand: [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]; TN reads a as [[1,3],[2,4]]. */
    /**
     * linear (bias, and ReLU, applied as the product stores its tiles) gives the bits of the product, then
     * addRowBroadcast, then relu, on 1 and 2 threads: k = 37 and 512 store once (one and two KC blocks), k = 1100
     * spans groups (the pass after the product), 9 × 5 × 7 takes the scalar path; n = 45 has a vector tail.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("linearShapes")
    void linearEqualsProductThenBiasThenRelu(int m, int n, int k) {
        try (Arena arena = Arena.ofShared(); Parallel one = new Parallel(1)) {
            Rng rng = new Rng(m + n + k);
            Tensor x = rng.normal(arena, Shape.of(m, k)), w = rng.normal(arena, Shape.of(n, k));
            Tensor b = rng.normal(arena, Shape.of(n));
            for (boolean relu : new boolean[] {false, true}) {
                Tensor expected = Tensor.zeros(arena, Shape.of(m, n));
                MatmulCpu.matmul(parallel, expected, x, w, MatmulForm.NT, false);
                ElementwiseCpu.addRowBroadcast(parallel, expected, expected, b);
                if (relu) ActivationCpu.unary(parallel, UnaryOp.RELU, expected, expected);
                for (Parallel p : new Parallel[] {one, parallel}) {
                    Tensor y = rng.normal(arena, Shape.of(m, n));         // stale contents: every element is written
                    MatmulCpu.linear(p, y, x, w, b, relu);
                    assertArrayEquals(expected.toArray(), y.toArray(), "relu=" + relu + " threads=" + p.threads());
                }
            }
        }
    }

    static Stream<Arguments> linearShapes() {
        return Stream.of(Arguments.of(301, 45, 37), Arguments.of(257, 67, 512), Arguments.of(61, 33, 1100),
                Arguments.of(9, 5, 7), Arguments.of(700, 3, 256));
    }

    @Test
    void handWorkedTwoByTwo() {
        try (Arena arena = Arena.ofShared()) {
            Tensor a = Tensor.of(arena, Shape.of(2, 2), 1, 2, 3, 4), b = Tensor.of(arena, Shape.of(2, 2), 5, 6, 7, 8);
            Tensor out = Tensor.zeros(arena, 2, 2);
            MatmulCpu.matmul(parallel, out, a, b, MatmulForm.NN, false);
            assertArrayEquals(new float[] {19, 22, 43, 50}, out.toArray());
            MatmulCpu.matmul(parallel, out, a, b, MatmulForm.TN, false);   // [[1,3],[2,4]]·b
            assertArrayEquals(new float[] {26, 30, 38, 44}, out.toArray());
            MatmulCpu.matmul(parallel, out, a, b, MatmulForm.NT, true);    // += a·[[5,7],[6,8]] = [[17,23],[39,53]]
            assertArrayEquals(new float[] {43, 53, 77, 97}, out.toArray());
        }
    }

    /** The same by hand through the blocked path: a 20×20 ones matrix times 2·I scales it by 2 exactly. */
    @Test
    void handWorkedBlockedPath() {
        try (Arena arena = Arena.ofShared()) {
            int n = 20;
            Tensor ones = Tensor.full(arena, Shape.of(n, n), 1f), twoI = Tensor.zeros(arena, n, n);
            for (int i = 0; i < n; i++) twoI.set(i, i, 2f);
            Tensor out = Tensor.zeros(arena, n, n);
            MatmulCpu.matmul(parallel, out, ones, twoI, MatmulForm.NT, false);
            float[] twos = new float[n * n];
            java.util.Arrays.fill(twos, 2f);
            assertArrayEquals(twos, out.toArray());
        }
    }

    @Test
    void badShapesNameOpArgumentExpectedAndActual() {
        try (Arena arena = Arena.ofShared()) {
            Tensor a = Tensor.zeros(arena, 3, 5), b = Tensor.zeros(arena, 4, 2), out = Tensor.zeros(arena, 3, 2);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> MatmulCpu.matmul(parallel, out, a, b, MatmulForm.NN, false));
            assertMessage(e, "matmul", "b", "inner dimension 5", "(4, 2)");
            Tensor b2 = Tensor.zeros(arena, 5, 2), wrongOut = Tensor.zeros(arena, 2, 3);
            e = assertThrows(IllegalArgumentException.class,
                    () -> MatmulCpu.matmul(parallel, wrongOut, a, b2, MatmulForm.NN, false));
            assertMessage(e, "matmul", "out", "(3, 2)", "(2, 3)");
            Tensor square = Tensor.zeros(arena, 4, 4);
            e = assertThrows(IllegalArgumentException.class,
                    () -> MatmulCpu.matmul(parallel, square, square, square, MatmulForm.NN, false));
            assertMessage(e, "matmul", "out", "apart from a", "overlapping");
            Tensor a3 = Tensor.zeros(arena, 2, 3, 5), b3 = Tensor.zeros(arena, 3, 5, 4);
            e = assertThrows(IllegalArgumentException.class,
                    () -> MatmulCpu.batchedMatmul(parallel, Tensor.zeros(arena, 2, 3, 4), a3, b3, MatmulForm.NN, false));
            assertMessage(e, "batchedMatmul", "b", "batch size 2", "(3, 5, 4)");
            e = assertThrows(IllegalArgumentException.class,
                    () -> MatmulCpu.batchedMatmul(parallel, Tensor.zeros(arena, 2, 3, 4), a, b, MatmulForm.NN, false));
            assertMessage(e, "batchedMatmul", "a", "3-D", "(3, 5)");
        }
    }

    private static void assertMessage(IllegalArgumentException e, String... parts) {
        for (String part : parts) assertTrue(e.getMessage().contains(part), () -> "missing '" + part + "' in: " + e.getMessage());
    }
}
