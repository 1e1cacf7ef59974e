package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.kernels.ActivationCpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The exact (erf) GELU the ViT's MLP runs, {@link ActivationCpu#unary} with {@link UnaryOp#GELU_ERF}, and its
 * backward, over the MLP's hidden activations ({@link OpShape}: batch·tokens rows of MLP width). Scores are
 * µs per call; PyTorch's peer is {@code F.gelu} (approximate='none') and its backward on the same shape
 * (bench/pytorch/op_families.py). Each trial first checks both kernels against their scalar twins.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GeluBench extends OpBenchState {
    static final double RTOL = 1e-6, BACKWARD_RTOL = 1e-6;

    Tensor in, out, dOut, dIn;

    @Override
    void prepare(OpShape s, String benchmark) {
        Shape hidden = Shape.of(s.rows(), s.mlp());
        Rng rng = new Rng(7);
        in = rng.normal(arena, hidden, 0f, 2f);
        dOut = rng.normal(arena, hidden);
        out = Tensor.zeros(arena, hidden);
        dIn = Tensor.zeros(arena, hidden);
        check(hidden);
    }

    @Benchmark
    public void forward() { ActivationCpu.unary(p, UnaryOp.GELU_ERF, out, in); }

    @Benchmark
    public void backward() { ActivationCpu.unaryBackward(p, UnaryOp.GELU_ERF, dIn, dOut, in, out); }

    private void check(Shape hidden) {
        Tensor outT = Tensor.zeros(arena, hidden), dInT = Tensor.zeros(arena, hidden);
        forward();
        ActivationCpu.unaryScalar(UnaryOp.GELU_ERF, outT, in);
        TwinCheck.require("gelu vs twin", outT, out, RTOL);
        backward();
        ActivationCpu.unaryBackwardScalar(UnaryOp.GELU_ERF, dInT, dOut, in, outT);
        TwinCheck.require("gelu backward vs twin", dInT, dIn, BACKWARD_RTOL);
    }
}
