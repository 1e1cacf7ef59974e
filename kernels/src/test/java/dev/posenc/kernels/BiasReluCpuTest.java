package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused bias + ReLU against its scalar twin and against the unfused kernels it replaces (addRowBroadcast,
 * then relu): equal bit for bit, the same roundings. Shapes with ragged vector tails, one column, and more rows
 * than one thread's chunk.
 */
class BiasReluCpuTest {
    static Stream<Arguments> shapesThreads() {
        List<Arguments> args = new ArrayList<>();
        for (Shape s : List.of(Shape.of(1, 1), Shape.of(5, 3), Shape.of(37, 67), Shape.of(3, 131), Shape.of(17, 256),
                Shape.of(2100, 33), Shape.of(600, 256))) {
            for (int threads : new int[] {1, 2}) args.add(Arguments.of(s, threads));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("shapesThreads")
    void forwardEqualsItsTwinAndTheUnfusedKernels(Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(31);
            Tensor z = rng.normal(arena, shape), b = rng.normal(arena, Shape.of(shape.dim(1)));
            Tensor y = Tensor.zeros(arena, shape), twin = Tensor.zeros(arena, shape), unfused = Tensor.zeros(arena, shape);
            BiasReluCpu.forward(p, y, z, b);
            BiasReluCpu.forwardScalar(twin, z, b);
            ElementwiseCpu.addRowBroadcast(p, unfused, z, b);
            ActivationCpu.unary(p, UnaryOp.RELU, unfused, unfused);
            assertArrayEquals(twin.toArray(), y.toArray());
            assertArrayEquals(unfused.toArray(), y.toArray());
            BiasReluCpu.forward(p, z, z, b);                          // in place
            assertArrayEquals(y.toArray(), z.toArray());
        }
    }

    /**
     * The one-pass backward against its twin (bit for bit, 1 and 2 threads give the same bits), dz against the relu
     * backward (bit for bit), and db against sumRows: bit for bit up to one block of rows, within float rounding
     * beyond (summed by blocks). 2100 and 600 rows span several blocks with a ragged last one.
     */
    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @MethodSource("shapesThreads")
    void backwardEqualsItsTwinAndTheUnfusedKernels(Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(37);
            Tensor y = rng.normal(arena, shape), dy = rng.normal(arena, shape);
            BiasReluCpu.forward(p, y, y, Tensor.zeros(arena, Shape.of(shape.dim(1))));    // y ≥ 0, zeros included
            Tensor start = rng.normal(arena, Shape.of(shape.dim(1)));
            for (boolean accumulate : new boolean[] {false, true}) {
                Tensor dz = rng.normal(arena, shape), twinDz = Tensor.zeros(arena, shape), relu = Tensor.zeros(arena, shape);
                Tensor db = Tensor.zeros(arena, start.shape()), twinDb = Tensor.zeros(arena, start.shape());
                Tensor sums = Tensor.zeros(arena, start.shape());
                db.copyFrom(start);
                twinDb.copyFrom(start);
                sums.copyFrom(start);
                BiasReluCpu.backward(p, dz, db, dy, y, accumulate);
                BiasReluCpu.backwardScalar(twinDz, twinDb, dy, y, accumulate);
                ActivationCpu.unaryBackward(p, UnaryOp.RELU, relu, dy, y, y, false);
                ReduceCpu.sumRows(p, sums, relu, 1f, accumulate);
                assertArrayEquals(twinDz.toArray(), dz.toArray());
                assertArrayEquals(twinDb.toArray(), db.toArray());
                assertArrayEquals(relu.toArray(), dz.toArray());
                if (shape.dim(0) <= BiasReluCpu.BLOCK_ROWS) assertArrayEquals(sums.toArray(), db.toArray());
                Compare c = Compare.of(sums, db, 1e-5, 1e-5);    // ≤ 2100 terms of N(0,1): drift ~ √R·2⁻²⁴·|terms|
                assertTrue(c.ok(), c::describe);
            }
        }
    }

    /** Worked by hand: z = [[1, −2], [−0.5, 3]], b = [0.25, 1]. */
    @Test
    void aCaseWorkedByHand() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(2)) {
            Tensor z = Tensor.of(arena, Shape.of(2, 2), 1, -2, -0.5f, 3), b = Tensor.of(arena, Shape.of(2), 0.25f, 1);
            Tensor y = Tensor.zeros(arena, Shape.of(2, 2));
            BiasReluCpu.forward(p, y, z, b);
            assertArrayEquals(new float[] {1.25f, 0, 0, 4}, y.toArray());     // z + b = [[1.25, −1], [−0.25, 4]]
        }
    }

    @Test
    void badShapesAreRejected() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor z = Tensor.zeros(arena, Shape.of(3, 4));
            assertThrows(IllegalArgumentException.class,
                    () -> BiasReluCpu.forward(p, z, z, Tensor.zeros(arena, Shape.of(3))));
            assertThrows(IllegalArgumentException.class,
                    () -> BiasReluCpu.forward(p, Tensor.zeros(arena, Shape.of(4, 3)), z, Tensor.zeros(arena, Shape.of(4))));
        }
    }
}
