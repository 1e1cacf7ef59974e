package dev.posenc.bench;

import java.lang.foreign.Arena;

import dev.posenc.kernels.CpuBackend;
import dev.posenc.kernels.Parallel;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What every op-family bench shares: the {@code shape} ({@link OpShape}) and {@code threads} parameters, a
 * backend on that many threads, and an arena for the tensors, closed after the trial. The one trial setup is
 * here, so it opens these before the subclass's {@link #prepare} allocates and checks its twins (JMH does not
 * order a superclass's {@code @Setup} against a subclass's).
 */
@State(Scope.Benchmark)
public abstract class OpBenchState {
    @Param({"vit", "large"})
    String shape;

    @Param({"1", "2"})
    int threads;

    CpuBackend backend;
    Parallel p;
    Arena arena;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        backend = new CpuBackend(threads);
        p = backend.parallel();
        arena = Arena.ofShared();
        prepare(OpShape.of(shape), params.getBenchmark());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }

    /**
     * Allocates the operands in {@link #arena} and checks the kernels about to be timed against their twins.
     *
     * @param benchmark the fully qualified benchmark method, for setups that differ by method
     */
    abstract void prepare(OpShape s, String benchmark);
}
