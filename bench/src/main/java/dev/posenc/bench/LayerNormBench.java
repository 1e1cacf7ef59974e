package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.LayerNormCpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link LayerNormCpu} over the token rows of a ViT step ({@link OpShape}: R = batch·tokens rows of C = D), as
 * each block's two norms run it. Scores are µs per call; PyTorch's peer is {@code F.layer_norm} and its
 * backward on the same shape (bench/pytorch/op_families.py). backward adds into dIn, dGamma and dBeta.
 * Each trial first checks both kernels against their scalar twins.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class LayerNormBench extends OpBenchState {
    static final float EPS = 1e-5f;
    /** Forward rows agree to rounding; the backward's column sums run in other blocks. */
    static final double RTOL = 1e-5, BACKWARD_RTOL = 1e-4;

    Tensor in, gamma, beta, out, mean, rstd, dOut, dIn, dGamma, dBeta;

    @Override
    void prepare(OpShape s, String benchmark) {
        int rows = s.rows(), c = s.dim();
        Rng rng = new Rng(3);
        in = rng.normal(arena, Shape.of(rows, c), 0.5f, 2f);
        gamma = rng.normal(arena, Shape.of(c), 1f, 0.1f);
        beta = rng.normal(arena, Shape.of(c), 0f, 0.1f);
        dOut = rng.normal(arena, Shape.of(rows, c));
        out = Tensor.zeros(arena, rows, c);
        mean = Tensor.zeros(arena, rows);
        rstd = Tensor.zeros(arena, rows);
        dIn = Tensor.zeros(arena, rows, c);
        dGamma = Tensor.zeros(arena, c);
        dBeta = Tensor.zeros(arena, c);
        check(rows, c);
    }

    @Benchmark
    public void forward() { LayerNormCpu.forward(p, out, mean, rstd, in, gamma, beta, EPS); }

    @Benchmark
    public void backward() { LayerNormCpu.backward(p, dIn, dGamma, dBeta, dOut, in, mean, rstd, gamma); }

    private void check(int rows, int c) {
        Tensor outT = Tensor.zeros(arena, rows, c), meanT = Tensor.zeros(arena, rows), rstdT = Tensor.zeros(arena, rows);
        forward();
        LayerNormCpu.forwardScalar(outT, meanT, rstdT, in, gamma, beta, EPS);
        TwinCheck.require("layer norm forward vs twin", outT, out, RTOL);
        TwinCheck.require("layer norm rstd vs twin", rstdT, rstd, RTOL);
        Tensor dInT = Tensor.zeros(arena, rows, c), dGammaT = Tensor.zeros(arena, c), dBetaT = Tensor.zeros(arena, c);
        backward();
        LayerNormCpu.backwardScalar(dInT, dGammaT, dBetaT, dOut, in, meanT, rstdT, gamma);
        TwinCheck.require("layer norm backward dIn vs twin", dInT, dIn, BACKWARD_RTOL);
        TwinCheck.require("layer norm backward dGamma vs twin", dGammaT, dGamma, BACKWARD_RTOL);
        TwinCheck.require("layer norm backward dBeta vs twin", dBetaT, dBeta, BACKWARD_RTOL);
    }
}
