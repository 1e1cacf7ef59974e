package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.Rng;
import dev.posenc.kernels.Exp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Exp} (the one exp every CPU kernel uses, bitwise equal across JIT tiers) against the Vector API's
 * {@code lanewise(EXP)} (a vector math library call once C2 compiles, a per-lane fallback before) and
 * {@code Math.exp}, over 2²⁰ arguments in [−20, 5] (softmax and GELU's ranges).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ExpBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int COUNT = 1 << 20;
    float[] in, result;

    @Setup(Level.Trial)
    public void setUp() {
        in = new float[COUNT];
        result = new float[COUNT];
        for (int i = 0; i < COUNT; i++) in[i] = (float) (25 * Rng.unit(11, i) - 20);
        own();
        for (int i = 0; i < COUNT; i++) {
            double want = Math.exp(in[i]);
            if (Math.abs(result[i] - want) > 1.05 * Math.ulp((float) want)) {   // Exp's stated bound
                throw new IllegalStateException("Exp.exp at " + in[i]);
            }
        }
    }

    @Benchmark @OperationsPerInvocation(COUNT)
    public float[] own() {
        for (int i = 0; i < COUNT; i += S.length()) Exp.exp(FloatVector.fromArray(S, in, i)).intoArray(result, i);
        return result;
    }

    @Benchmark @OperationsPerInvocation(COUNT)
    public float[] lanewiseExp() {
        for (int i = 0; i < COUNT; i += S.length()) {
            FloatVector.fromArray(S, in, i).lanewise(VectorOperators.EXP).intoArray(result, i);
        }
        return result;
    }

    @Benchmark @OperationsPerInvocation(COUNT)
    public float[] mathExp() {
        for (int i = 0; i < COUNT; i++) result[i] = (float) Math.exp(in[i]);
        return result;
    }
}
