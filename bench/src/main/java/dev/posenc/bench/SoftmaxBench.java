package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.SoftmaxCpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link SoftmaxCpu#softmax} and its backward over the attention scores of a ViT step ({@link OpShape}:
 * batch·heads·tokens rows of tokens), the softmax of the materialised attention route. Scores are µs per
 * call; PyTorch's peer is {@code torch.softmax(x, -1)} and its backward on the same shape
 * (bench/pytorch/op_families.py). Each trial first checks both kernels against their scalar twins.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SoftmaxBench extends OpBenchState {
    static final double RTOL = 1e-5, BACKWARD_RTOL = 1e-4;

    Tensor in, out, dOut, dIn;

    @Override
    void prepare(OpShape s, String benchmark) {
        Shape scores = Shape.of(s.entries() * s.tokens(), s.tokens());
        Rng rng = new Rng(5);
        in = rng.normal(arena, scores, 0f, 3f);
        dOut = rng.normal(arena, scores);
        out = Tensor.zeros(arena, scores);
        dIn = Tensor.zeros(arena, scores);
        check(scores);
    }

    @Benchmark
    public void forward() { SoftmaxCpu.softmax(p, out, in); }

    /** Adds into dIn, as the tape's gradient buffers. */
    @Benchmark
    public void backward() { SoftmaxCpu.softmaxBackward(p, dIn, dOut, out); }

    private void check(Shape scores) {
        Tensor outT = Tensor.zeros(arena, scores), dInT = Tensor.zeros(arena, scores);
        forward();
        SoftmaxCpu.softmaxScalar(outT, in);
        TwinCheck.require("softmax vs twin", outT, out, RTOL);
        backward();
        SoftmaxCpu.softmaxBackwardScalar(dInT, dOut, outT);
        TwinCheck.require("softmax backward vs twin", dInT, dIn, BACKWARD_RTOL);
    }
}
