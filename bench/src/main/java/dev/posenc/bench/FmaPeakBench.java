package dev.posenc.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The machine's float32 FMA peak through the Vector API: 12 independent FMA chains of
 * SPECIES_PREFERRED (enough to cover FMA latency × throughput: 4 cycles × 2 units = 8, with margin), on 1
 * and 2 threads. The secondary metric {@code gflop} is the peak in GFLOP/s (summed over threads); the
 * ceiling against which {@link MatmulBench}'s GFLOP/s read.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FmaPeakBench {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Iterations per call: 12 · 2 · lanes · 2^16 flops, about 0.2 ms at peak. */
    static final int ITERATIONS = 1 << 16;
    static final double GFLOP_PER_CALL = 12.0 * 2 * S.length() * ITERATIONS * 1e-9;

    /** Per-thread operands (from fields, so the JIT cannot fold them) and the GFLOP counter. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Chains {
        float mul = 0.999999f, add = 1e-7f;
        /** GFLOP done; JMH reports it per second. */
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() { gflop = 0; }
    }

    @Benchmark
    @Threads(1)
    public float oneThread(Chains c) { return chains(c); }

    @Benchmark
    @Threads(2)
    public float twoThreads(Chains c) { return chains(c); }

    private static float chains(Chains c) {
        FloatVector m = FloatVector.broadcast(S, c.mul), d = FloatVector.broadcast(S, c.add);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = a0.fma(m, d); a1 = a1.fma(m, d); a2 = a2.fma(m, d); a3 = a3.fma(m, d);
            a4 = a4.fma(m, d); a5 = a5.fma(m, d); a6 = a6.fma(m, d); a7 = a7.fma(m, d);
            a8 = a8.fma(m, d); a9 = a9.fma(m, d); a10 = a10.fma(m, d); a11 = a11.fma(m, d);
        }
        c.gflop += GFLOP_PER_CALL;
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
