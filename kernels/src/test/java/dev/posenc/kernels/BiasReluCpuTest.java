package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
                Shape.of(2100, 33))) {
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
