package dev.posenc.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused layer gives the numbers of Linear then GELU, forward and every gradient, bit for bit, on 1 and 2
 * threads: at 37 × 19 → 67 (the blocked product, GELU in its epilogue) and at 37 × 19 → 3 (the narrow product, GELU
 * as a pass after it). Its gradient check against central differences is the {@code linear_gelu} case of
 * GradCheckSuite. x is an op's output, so its gradient is a fresh step-local one.
 */
class LinearGeluTest {
    @ParameterizedTest
    @CsvSource({"1, 67", "2, 67", "1, 3", "2, 3", "2, 600"})
    void equalsLinearThenGeluBitForBit(int threads, int out) {
        float[][] fused = run(threads, out, (t, v) -> LinearGelu.apply(t, v[0], v[1], v[2]));
        float[][] unfused = run(threads, out, (t, v) -> Activations.gelu(t, Linear.apply(t, v[0], v[1], v[2])));
        for (int i = 0; i < fused.length; i++) assertArrayEquals(unfused[i], fused[i], "result " + i);
    }

    /** Returns y, dx0 (the input of the layer's input), dW, db after one backward of mse(y, 0) on a reused tape. */
    private static float[][] run(int threads, int outDims, BiFunction<Tape, Var[], Var> layer) {
        try (Backend be = new CpuBackend(threads); Arena arena = Arena.ofShared(); Tape tape = new Tape(be)) {
            Rng rng = new Rng(43);
            Tensor x0 = rng.normal(arena, Shape.of(37, 19)), w = rng.normal(arena, Shape.of(outDims, 19));
            Tensor b = rng.normal(arena, Shape.of(outDims)), target = Tensor.zeros(arena, Shape.of(37, outDims));
            float[][] out = null;
            for (int step = 0; step < 2; step++) {                    // the second step runs on stale step memory
                tape.reset();
                Var vx0 = tape.variable(x0);
                Var x = Elementwise.scale(tape, vx0, 1.5f);
                Var vw = Var.parameter(w, Tensor.zeros(arena, w.shape()));
                Var vb = Var.parameter(b, Tensor.zeros(arena, b.shape()));
                Var y = layer.apply(tape, new Var[] {x, vw, vb});
                tape.backward(Losses.mse(tape, y, tape.constant(target)));
                out = new float[][] {y.value().toArray(), vx0.grad().toArray(), vw.grad().toArray(), vb.grad().toArray()};
            }
            return out;
        }
    }
}
