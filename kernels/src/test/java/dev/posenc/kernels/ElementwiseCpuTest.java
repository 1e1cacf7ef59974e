package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class ElementwiseCpuTest {
    /** The vector kernels do the same float operations as their twins, lane by lane: bit-exact. */
    private static final double EXACT = 0;

    /** Odd sizes for vector tails, 2-D shapes, and one size over the parallel threshold, on 1 and 2 threads. */
    static Stream<Arguments> shapesAndThreads() {
        List<Shape> shapes = List.of(Shape.of(1), Shape.of(3), Shape.of(17), Shape.of(31), Shape.of(67, 131),
                Shape.of(1000, 17), Shape.of(5, 7, 19), Shape.of((int) (2 * ElementwiseCpu.MIN_CHUNK + 37)));
        List<Arguments> args = new ArrayList<>();
        for (Shape s : shapes) for (int threads : new int[] {1, 2}) args.add(Arguments.of(s, threads));
        return args.stream();
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        Compare c = Compare.of(expected, actual, EXACT, EXACT);
        assertTrue(c.ok(), c::describe);
    }

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("shapesAndThreads")
    void binaryMapsMatchTheirTwins(Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(11);
            Tensor a = rng.normal(arena, shape), b = rng.normal(arena, shape);
            Tensor out = Tensor.zeros(arena, shape), ref = Tensor.zeros(arena, shape);
            ElementwiseCpu.add(p, out, a, b);
            ElementwiseCpu.addScalar(ref, a, b);
            assertSame(ref, out);
            ElementwiseCpu.sub(p, out, a, b);
            ElementwiseCpu.subScalar(ref, a, b);
            assertSame(ref, out);
            ElementwiseCpu.mul(p, out, a, b);
            ElementwiseCpu.mulScalar(ref, a, b);
            assertSame(ref, out);
        }
    }

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("shapesAndThreads")
    void scaleAxpyFillMatchTheirTwins(Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(12);
            Tensor a = rng.normal(arena, shape);
            Tensor out = Tensor.zeros(arena, shape), ref = Tensor.zeros(arena, shape);
            ElementwiseCpu.scale(p, out, a, -0.37f);
            ElementwiseCpu.scaleScalar(ref, a, -0.37f);
            assertSame(ref, out);

            Tensor y = rng.normal(arena, shape), yRef = Tensor.zeros(arena, shape);
            yRef.copyFrom(y);
            ElementwiseCpu.axpy(p, y, 1.7f, a);
            ElementwiseCpu.axpyScalar(yRef, 1.7f, a);
            assertSame(yRef, y);

            ElementwiseCpu.fill(p, out, 2.5f);
            ElementwiseCpu.fillScalar(ref, 2.5f);
            assertSame(ref, out);
            assertEquals(2.5f, out.get(out.size() - 1), "fill reaches the last element");
        }
    }

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("shapesAndThreads")
    void addRowBroadcastMatchesItsTwin(Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(13);
            Tensor a = rng.normal(arena, shape), row = rng.normal(arena, Shape.of(shape.cols()));
            Tensor out = Tensor.zeros(arena, shape), ref = Tensor.zeros(arena, shape);
            ElementwiseCpu.addRowBroadcast(p, out, a, row);
            ElementwiseCpu.addRowBroadcastScalar(ref, a, row);
            assertSame(ref, out);
        }
    }

    @Test
    void handWorkedValues() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor a = Tensor.of(arena, Shape.of(2, 2), 1, 2, 3, 4);
            Tensor b = Tensor.of(arena, Shape.of(2, 2), 10, 20, 30, 40);
            Tensor out = Tensor.zeros(arena, Shape.of(2, 2));
            ElementwiseCpu.add(p, out, a, b);
            assertArrayEquals(new float[] {11, 22, 33, 44}, out.toArray());
            ElementwiseCpu.sub(p, out, a, b);
            assertArrayEquals(new float[] {-9, -18, -27, -36}, out.toArray());
            ElementwiseCpu.mul(p, out, a, b);
            assertArrayEquals(new float[] {10, 40, 90, 160}, out.toArray());
            ElementwiseCpu.addRowBroadcast(p, out, a, Tensor.of(arena, Shape.of(2), 10, 20));
            assertArrayEquals(new float[] {11, 22, 13, 24}, out.toArray());
            ElementwiseCpu.scale(p, out, a, 0.5f);
            assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, out.toArray());
            ElementwiseCpu.axpy(p, out, 2, b);                      // y += 2·b, on top of the scaled a
            assertArrayEquals(new float[] {20.5f, 41, 61.5f, 82}, out.toArray());
        }
    }

    @Test
    void outputsMayAliasInputs() {
        Shape shape = Shape.of(7, 19);
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(2)) {
            Rng rng = new Rng(14);
            Tensor a = rng.normal(arena, shape), b = rng.normal(arena, shape), row = rng.normal(arena, Shape.of(19));
            Tensor ref = Tensor.zeros(arena, shape), x = Tensor.zeros(arena, shape);

            ElementwiseCpu.addScalar(ref, a, b);
            x.copyFrom(a);
            ElementwiseCpu.add(p, x, x, b);                         // out == a
            assertSame(ref, x);

            ElementwiseCpu.subScalar(ref, a, b);
            x.copyFrom(b);
            ElementwiseCpu.sub(p, x, a, x);                         // out == b
            assertSame(ref, x);

            ElementwiseCpu.mulScalar(ref, a, a);
            x.copyFrom(a);
            ElementwiseCpu.mul(p, x, x, x);                         // out == a == b
            assertSame(ref, x);

            ElementwiseCpu.addRowBroadcastScalar(ref, a, row);
            x.copyFrom(a);
            ElementwiseCpu.addRowBroadcast(p, x, x, row);
            assertSame(ref, x);

            ElementwiseCpu.scaleScalar(ref, a, 3f);
            x.copyFrom(a);
            ElementwiseCpu.scale(p, x, x, 3f);
            assertSame(ref, x);

            x.copyFrom(a);
            ElementwiseCpu.axpy(p, x, 1f, x);                       // y += y: doubles every element exactly
            ElementwiseCpu.scaleScalar(ref, a, 2f);
            assertSame(ref, x);
        }
    }

    @Test
    void axpyAcceptsSameSizeDifferentShape() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor y = Tensor.of(arena, Shape.of(2, 3), 1, 1, 1, 1, 1, 1);
            Tensor x = Tensor.of(arena, Shape.of(6), 0, 1, 2, 3, 4, 5);
            ElementwiseCpu.axpy(p, y, -1, x);
            assertArrayEquals(new float[] {1, 0, -1, -2, -3, -4}, y.toArray());
        }
    }

    @Test
    void badShapesNameTheOpArgumentAndBothShapes() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor a = Tensor.zeros(arena, 3, 5), t = Tensor.zeros(arena, 5, 3);
            assertMessage("add: b: expected (3, 5), got (5, 3)", () -> ElementwiseCpu.add(p, a, a, t));
            assertMessage("sub: out: expected (3, 5), got (5, 3)", () -> ElementwiseCpu.sub(p, t, a, a));
            assertMessage("mul: b: expected (3, 5), got (5, 3)", () -> ElementwiseCpu.mulScalar(a, a, t));
            assertMessage("scale: out: expected (3, 5), got (5, 3)", () -> ElementwiseCpu.scale(p, t, a, 2));
            assertMessage("addRowBroadcast: row: expected 5 elements (a is (3, 5)), got (3,)",
                    () -> ElementwiseCpu.addRowBroadcast(p, a, a, Tensor.zeros(arena, 3)));
            assertMessage("axpy: x: expected 15 elements (y is (3, 5)), got (4, 4)",
                    () -> ElementwiseCpu.axpy(p, a, 1, Tensor.zeros(arena, 4, 4)));
        }
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(expected, e.getMessage());
    }
}
