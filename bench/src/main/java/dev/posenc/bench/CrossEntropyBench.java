package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.LossCpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link LossCpu#crossEntropy} (mean over rows, from logits) and its backward at the classifier head of a
 * ViT step ({@link OpShape}: batch rows of classes). Scores are µs per call; PyTorch's peer is
 * {@code F.cross_entropy} and its backward on the same shape (bench/pytorch/op_families.py). At these sizes
 * the call overhead is much of the time, on both sides. Each trial first checks both kernels against their
 * scalar twins.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CrossEntropyBench extends OpBenchState {
    static final double RTOL = 1e-6, BACKWARD_RTOL = 1e-5;

    Tensor logits, dLogits;
    int[] labels;

    @Override
    void prepare(OpShape s, String benchmark) {
        Shape head = Shape.of(s.batch(), s.classes());
        logits = new Rng(11).normal(arena, head, 0f, 3f);
        dLogits = Tensor.zeros(arena, head);
        labels = new int[s.batch()];
        for (int r = 0; r < labels.length; r++) labels[r] = (int) (Rng.unit(13, r) * s.classes());
        check(head);
    }

    @Benchmark
    public double forward() { return LossCpu.crossEntropy(p, logits, labels); }

    /** Adds into dLogits, as the tape's gradient buffers; dLoss = 1, the loss being the root. */
    @Benchmark
    public void backward() { LossCpu.crossEntropyBackward(p, dLogits, logits, labels, 1f); }

    private void check(Shape head) {
        TwinCheck.require("cross entropy vs twin", LossCpu.crossEntropyScalar(logits, labels), forward(), RTOL);
        Tensor dT = Tensor.zeros(arena, head);
        backward();
        LossCpu.crossEntropyBackwardScalar(dT, logits, labels, 1f);
        TwinCheck.require("cross entropy backward vs twin", dT, dLogits, BACKWARD_RTOL);
    }
}
