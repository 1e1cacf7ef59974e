package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReduceCpuTest {
    /** sumRows adds each column's rows in the same order, in float, as its twin: bit-exact. */
    private static final double EXACT = 0;
    /** Unit roundoff of float: the a-priori summation bound is |error| ≤ n·u·Σ|x| for any order of n adds. */
    private static final double U = 0x1p-24;

    /** Odd shapes; (67, 1031) and (1031, 67) are over the parallel threshold of sumRows and sumCols. */
    static Stream<Arguments> shapesAndThreads() {
        List<Shape> shapes = List.of(Shape.of(1, 1), Shape.of(3, 1), Shape.of(1, 3), Shape.of(1, 17), Shape.of(17, 31),
                Shape.of(67, 131), Shape.of(1000, 17), Shape.of(5, 7, 19), Shape.of(67, 1031), Shape.of(1031, 67));
        List<Arguments> args = new ArrayList<>();
        for (Shape s : shapes) for (int threads : new int[] {1, 2}) args.add(Arguments.of(s, threads));
        return args.stream();
    }

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("shapesAndThreads")
    void sumRowsMatchesItsTwinExactly(Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(31);
            Tensor in = rng.normal(arena, shape);
            Shape outShape = Shape.of(shape.cols());
            for (boolean accumulate : new boolean[] {false, true}) {
                Tensor out = rng.normal(arena, outShape), ref = Tensor.zeros(arena, outShape);
                ref.copyFrom(out);
                ReduceCpu.sumRows(p, out, in, 1f / 3, accumulate);
                ReduceCpu.sumRowsScalar(ref, in, 1f / 3, accumulate);
                Compare c = Compare.of(ref, out, EXACT, EXACT);
                assertTrue(c.ok(), () -> "accumulate " + accumulate + ": " + c.describe());
            }
        }
    }

    /** Row sums: lane partials change the order, so both twins are held to the summation bound of a double sum. */
    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("shapesAndThreads")
    void sumColsMatchesADoubleSumWithinTheSummationBound(Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(32);
            Tensor in = rng.normal(arena, shape);
            int rows = shape.rows(), cols = shape.cols();
            Shape outShape = Shape.of(rows);
            for (boolean accumulate : new boolean[] {false, true}) {
                Tensor start = rng.normal(arena, outShape);
                Tensor out = Tensor.zeros(arena, outShape), ref = Tensor.zeros(arena, outShape);
                out.copyFrom(start);
                ref.copyFrom(start);
                ReduceCpu.sumCols(p, out, in, 0.25f, accumulate);
                ReduceCpu.sumColsScalar(ref, in, 0.25f, accumulate);
                for (int r = 0; r < rows; r++) {
                    double exact = 0, abs = 0;
                    for (int c = 0; c < cols; c++) {
                        exact += in.get(r, c);
                        abs += Math.abs(in.get(r, c));
                    }
                    double base = accumulate ? start.get(r) : 0;
                    double want = base + 0.25 * exact;
                    // n·u·Σ|x| for the sum, scaled by 0.25 (exact), plus one rounding of the final fma or product
                    double bound = 0.25 * cols * U * abs + U * Math.abs(want) + 1e-30;
                    float vector = out.get(r), twin = ref.get(r);
                    assertTrue(Math.abs(vector - want) <= bound, "vector [%d]: want %s, got %s".formatted(r, want, vector));
                    assertTrue(Math.abs(twin - want) <= bound, "twin [%d]: want %s, got %s".formatted(r, want, twin));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("sumSizes")
    void sumMatchesItsDoubleTwin(int n, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Tensor in = new Rng(33).normal(arena, Shape.of(n), 0.5f, 1f);
            double abs = 0;
            for (float v : in.toArray()) abs += Math.abs(v);
            double got = ReduceCpu.sum(p, in), want = ReduceCpu.sumScalar(in);
            // float lane partials over blocks of SUM_BLOCK: at most SUM_BLOCK adds in float per element's path
            double bound = ReduceCpu.SUM_BLOCK * U * abs + 1e-12 * abs;
            assertTrue(Math.abs(got - want) <= bound, "sum: want %s, got %s, bound %s".formatted(want, got, bound));
        }
    }

    static Stream<Arguments> sumSizes() {
        List<Arguments> args = new ArrayList<>();
        for (int n : new int[] {1, 3, 17, 31, 67 * 131, 1000 * 17, (int) (2 * ReduceCpu.MIN_CHUNK + 37)}) {
            for (int threads : new int[] {1, 2}) args.add(Arguments.of(n, threads));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("sumSizes")
    void allFiniteFindsEveryNonFiniteValue(int n, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Tensor in = new Rng(34).normal(arena, Shape.of(n));
            in.set(0, Float.MAX_VALUE);                              // the largest finite value is finite
            assertTrue(ReduceCpu.allFinite(p, in));
            assertTrue(ReduceCpu.allFiniteScalar(in));
            long[] positions = {0, n / 2, n - 1};                    // first vector, middle, the tail
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (long i : positions) {
                    float saved = in.get(i);
                    in.set(i, bad);
                    assertFalse(ReduceCpu.allFinite(p, in), bad + " at " + i);
                    assertFalse(ReduceCpu.allFiniteScalar(in), bad + " at " + i);
                    in.set(i, saved);
                }
            }
        }
    }

    @Test
    void handWorkedValues() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor in = Tensor.of(arena, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
            Tensor cols = Tensor.zeros(arena, 3), rows = Tensor.zeros(arena, 2);
            ReduceCpu.sumRows(p, cols, in, 1, false);
            assertArrayEquals(new float[] {5, 7, 9}, cols.toArray());
            ReduceCpu.sumRows(p, cols, in, 0.5f, true);              // means added to the sums
            assertArrayEquals(new float[] {7.5f, 10.5f, 13.5f}, cols.toArray());
            ReduceCpu.sumCols(p, rows, in, 1, false);
            assertArrayEquals(new float[] {6, 15}, rows.toArray());
            ReduceCpu.sumCols(p, rows, in, 1f / 3, false);           // means
            assertArrayEquals(new float[] {2, 5}, rows.toArray());
            assertEquals(21.0, ReduceCpu.sum(p, in));
            // A float total would lose a 1 next to 2^25 (its ulp is 4); blocks meet in double, so they survive.
            Tensor big = Tensor.zeros(arena, 2 * ReduceCpu.SUM_BLOCK + 3);
            big.set(0, 0x1p25f);
            big.set(ReduceCpu.SUM_BLOCK, 1);                         // the second block
            big.set(big.size() - 1, 1);                              // the tail
            assertEquals(0x1p25 + 2, ReduceCpu.sum(p, big));
        }
    }

    @Test
    void sumRowsOfAThreeDimensionalTensorFoldsLeadingAxes() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor in = Tensor.of(arena, Shape.of(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
            Tensor out = Tensor.zeros(arena, 2);
            ReduceCpu.sumRows(p, out, in, 1, false);
            assertArrayEquals(new float[] {16, 20}, out.toArray());
        }
    }

    @Test
    void badShapesNameTheOpArgumentAndBothShapes() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor in = Tensor.zeros(arena, 3, 5);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ReduceCpu.sumRows(p, Tensor.zeros(arena, 3), in, 1, false));
            assertEquals("sumRows: out: expected 5 elements (in is (3, 5)), got (3,)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ReduceCpu.sumColsScalar(Tensor.zeros(arena, 5), in, 1, true));
            assertEquals("sumCols: out: expected 3 elements (in is (3, 5)), got (5,)", e.getMessage());
        }
    }
}
