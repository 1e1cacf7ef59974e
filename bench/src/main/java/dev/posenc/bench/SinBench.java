package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.Rng;
import dev.posenc.kernels.SinCos;
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
 * sin over 1M floats in [−100, 100): {@link SinCos} against the JDK's {@code lanewise(SIN)} (Intel SVML
 * where available) and scalar {@code Math.sin}. Scores are floats per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SinBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int COUNT = 1 << 20;
    float[] in, result;

    @Setup(Level.Trial)
    public void setUp() {
        in = new float[COUNT];
        result = new float[COUNT];
        for (int i = 0; i < COUNT; i++) in[i] = (float) (200 * Rng.unit(9, i) - 100);
        sinCos();
        for (int i = 0; i < COUNT; i++) {
            if (Math.abs(result[i] - Math.sin(in[i])) > 1e-7) throw new IllegalStateException("SinCos.sin at " + in[i]);
        }
    }

    @Benchmark @OperationsPerInvocation(COUNT)
    public float[] sinCos() {
        for (int i = 0; i < COUNT; i += S.length()) SinCos.sin(FloatVector.fromArray(S, in, i)).intoArray(result, i);
        return result;
    }

    @Benchmark @OperationsPerInvocation(COUNT)
    public float[] lanewiseSin() {
        for (int i = 0; i < COUNT; i += S.length()) {
            FloatVector.fromArray(S, in, i).lanewise(VectorOperators.SIN).intoArray(result, i);
        }
        return result;
    }

    @Benchmark @OperationsPerInvocation(COUNT)
    public float[] mathSin() {
        for (int i = 0; i < COUNT; i++) result[i] = (float) Math.sin(in[i]);
        return result;
    }
}
