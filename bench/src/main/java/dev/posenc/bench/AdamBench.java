package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.AdamCpu;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.vit.Vit;
import dev.posenc.models.vit.VitConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One {@link AdamCpu#step} over a flat parameter slab, as the optimizer runs it (models.optim.Adam keeps
 * every trainable tensor in one slab, so a step is one call): {@code vit} has the default train-vit model's
 * parameter count, {@code large} 2²² ({@link OpShape}). Scores are µs per step; PyTorch's peer is
 * {@code torch.optim.Adam} over one tensor of the same size (bench/pytorch/op_families.py), its default
 * single-tensor loop. Each trial first checks the vector step against its scalar twin, bit for bit, as the
 * class promises.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AdamBench extends OpBenchState {
    static final AdamConfig CONFIG = AdamConfig.adam(1e-3f);

    Tensor param, grad, m, v;
    int step;

    @Override
    void prepare(OpShape s, String benchmark) {
        if (s == OpShape.VIT && vitParameters() != s.parameters()) throw new IllegalStateException(
                "OpShape.VIT.parameters: expected the train-vit model's %d, got %d (update it and op_families.py)"
                        .formatted(vitParameters(), s.parameters()));
        Rng rng = new Rng(17);
        Shape n = Shape.of(s.parameters());
        param = rng.normal(arena, n, 0f, 0.1f);
        grad = rng.normal(arena, n, 0f, 0.01f);
        m = Tensor.zeros(arena, n);
        v = Tensor.zeros(arena, n);
        check(n);
    }

    /** The step count grows across invocations, so the bias corrections change as in training. */
    @Benchmark
    public void step() { AdamCpu.step(p, param, grad, m, v, CONFIG, ++step); }

    /** Trainable floats of {@code ./posenc train-vit}'s default model. */
    static long vitParameters() {
        try (Vit vit = new Vit(VitConfig.defaults("lff"))) {
            return vit.store().all().stream().filter(ParameterStore.Parameter::trainable)
                    .mapToLong(q -> q.shape().size()).sum();
        }
    }

    private void check(Shape n) {
        Tensor paramT = Tensor.zeros(arena, n), mT = Tensor.zeros(arena, n), vT = Tensor.zeros(arena, n);
        paramT.copyFrom(param);
        for (int t = 0; t < 2; t++) {   // the second step reads moments the first wrote
            step();
            AdamCpu.stepScalar(paramT, grad, mT, vT, CONFIG, step);
        }
        TwinCheck.require("adam param vs twin", paramT, param, 0);
        TwinCheck.require("adam m vs twin", mT, m, 0);
        TwinCheck.require("adam v vs twin", vT, v, 0);
    }
}
