package dev.posenc.bench;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Toeplitz product T·x and its weight gradient through the FFT ({@code ToeplitzCpu} via the CPU backend),
 * one head, x (n, 64), n = 1k … 64k: the O(n log n) claim of Luo et al. 2021 §3.2 as a curve. Work per call:
 * 2·64 real transforms of L = 2·smooth(n) for the product, 3·64 + 1 for the gradient.
 * Run: {@code ./posenc bench toeplitz --quick}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ToeplitzBench {
    @Param({"1024", "4096", "16384", "65536"})
    int n;
    @Param({"64"})
    int c;
    @Param({"1", "2"})
    int threads;

    CpuBackend backend;
    Arena arena;
    Tensor w, x, out, dOut, dw;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(threads);
        arena = Arena.ofShared();
        Rng rng = new Rng(3);
        w = rng.uniform(arena, Shape.of(1, 2 * n - 1), 0.5f, 1.5f);
        x = rng.normal(arena, Shape.of(1, n, c));
        dOut = rng.normal(arena, Shape.of(1, n, c));
        out = Tensor.zeros(arena, 1, n, c);
        dw = Tensor.zeros(arena, 1, 2 * n - 1);
        checkRows();
    }

    /** Rows 0, n/2 and n − 1 of T·x against the O(n) sum each (double), before any timing. */
    private void checkRows() {
        backend.toeplitzMultiply(out, w, x);
        for (int i : new int[] {0, n / 2, n - 1}) {
            for (int cc = 0; cc < c; cc += 31) {
                double ref = 0, mag = 0;
                for (int j = 0; j < n; j++) {
                    double t = (double) w.get(i - j + n - 1) * x.get((long) j * c + cc);
                    ref += t;
                    mag += Math.abs(t);
                }
                if (Math.abs(out.get((long) i * c + cc) - ref) > 1e-4 * mag) throw new IllegalStateException(
                        "ToeplitzBench: row %d col %d is %s, expected %s".formatted(i, cc, out.get((long) i * c + cc), ref));
            }
        }
    }

    @Benchmark
    public void multiply() { backend.toeplitzMultiply(out, w, x); }

    @Benchmark
    public void weightGrad() { backend.toeplitzWeightGradAccumulate(dw, dOut, x); }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        backend.close();
    }
}
