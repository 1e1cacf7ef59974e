package dev.posenc.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The weights-multiplied pair agrees with the other route: Linear then LinearRelu, forward and all five
 * weight gradients and the input's, within float rounding of the reassociated sums; and it gives the same bits on
 * 1 and 2 threads (products large enough to split, so both paths run). Central differences: the
 * {@code linear_pair_relu} case of GradCheckSuite.
 */
class LinearPairReluTest {
    /** Reassociating sums of ~60 products of N(0, 1) values: a few float ulps of the largest partial sums. */
    private static final float ATOL = 2e-4f, RTOL = 2e-4f;

    @Test
    void agreesWithLinearThenLinearRelu() {
        float[][] fused = run(1, (t, v) -> LinearPairRelu.apply(t, v[0], v[1], v[2], v[3], v[4]));
        float[][] unfused = run(1, (t, v) -> LinearRelu.apply(t, Linear.apply(t, v[0], v[1], v[2]), v[3], v[4]));
        String[] names = {"y", "dg0", "dW1", "db1", "dW2", "db2"};
        for (int i = 0; i < fused.length; i++) {
            float scale = 0;
            for (float u : unfused[i]) scale = Math.max(scale, Math.abs(u));
            for (int j = 0; j < fused[i].length; j++) {
                float a = fused[i][j], e = unfused[i][j];
                int ii = i, jj = j;
                assertTrue(Math.abs(a - e) <= ATOL * scale + RTOL * Math.abs(e),
                        () -> "%s[%d]: fused %s, unfused %s".formatted(names[ii], jj, a, e));
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        BiFunction<Tape, Var[], Var> pair = (t, v) -> LinearPairRelu.apply(t, v[0], v[1], v[2], v[3], v[4]);
        float[][] one = run(1, pair), two = run(2, pair);
        for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], two[i], "result " + i);
    }

    /**
     * y, dg0 (the gradient of the pair's input's input), dW1, db1, dW2, db2 after one backward of mse(y, 0) on a
     * reused tape (the second step runs on stale step memory). 1501 rows: the N-row products split over the threads.
     */
    private static float[][] run(int threads, BiFunction<Tape, Var[], Var> pair) {
        try (Backend be = new CpuBackend(threads); Arena arena = Arena.ofShared(); Tape tape = new Tape(be)) {
            Rng rng = new Rng(43);
            Tensor g0 = rng.normal(arena, Shape.of(1501, 37)), w1 = rng.normal(arena, Shape.of(29, 37));
            Tensor b1 = rng.normal(arena, Shape.of(29)), w2 = rng.normal(arena, Shape.of(67, 29));
            Tensor b2 = rng.normal(arena, Shape.of(67)), target = Tensor.zeros(arena, Shape.of(1501, 67));
            float[][] out = null;
            for (int step = 0; step < 2; step++) {
                tape.reset();
                Var vg0 = tape.variable(g0);
                Var g = Elementwise.scale(tape, vg0, 0.5f);
                Var[] v = {g, param(arena, w1), param(arena, b1), param(arena, w2), param(arena, b2)};
                Var y = pair.apply(tape, v);
                tape.backward(Losses.mse(tape, y, tape.constant(target)));
                out = new float[][] {y.value().toArray(), vg0.grad().toArray(), v[1].grad().toArray(),
                        v[2].grad().toArray(), v[3].grad().toArray(), v[4].grad().toArray()};
            }
            return out;
        }
    }

    private static Var param(Arena arena, Tensor value) {
        return Var.parameter(value, Tensor.zeros(arena, value.shape()));
    }
}
