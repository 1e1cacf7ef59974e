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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused hidden layer gives the numbers of Linear then ReLU, forward and every gradient, bit for bit, on 1
 * and 2 threads, at 37 rows (within one of BiasReluCpu's row blocks: db's sum in sumRows' order) (its gradient check against central differences is the {@code linear_relu} case of
 * GradCheckSuite). x is an op's output, as in an MLP, so its gradient is a fresh step-local one.
 */
class LinearReluTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void equalsLinearThenReluBitForBit(int threads) {
        float[][] fused = run(threads, 67, (t, v) -> LinearRelu.apply(t, v[0], v[1], v[2]));
        float[][] unfused = run(threads, 67, (t, v) -> Activations.relu(t, Linear.apply(t, v[0], v[1], v[2])));
        for (int i = 0; i < fused.length; i++) assertArrayEquals(unfused[i], fused[i], "result " + i);
    }

    /**
     * Returns y, dx0 (the input of the layer's input), dW, db after one backward of mse(y, 0) on a reused tape: x0
     * (37, 19), a layer of {@code outDims} outputs. Shared with LinearGeluTest.
     */
    static float[][] run(int threads, int outDims, BiFunction<Tape, Var[], Var> layer) {
        try (Backend be = new CpuBackend(threads); Arena arena = Arena.ofShared(); Tape tape = new Tape(be)) {
            Rng rng = new Rng(41);
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
