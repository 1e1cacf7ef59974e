package dev.posenc.bench;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * out (M×N) = a (M×K) · b (K×N), float32, posenc's {@code MatmulCpu} against OpenBLAS sgemm on the same
 * off-heap tensors. Square sizes, and the tall-skinny product of this project (65536 points × 256 features
 * times a 256 × 256 layer). Reported as time per product; GFLOP/s = 2·M·N·K / time, printed as a table by
 * {@link #main}:
 * <pre>
 * OPENBLAS_CORETYPE=SkylakeX java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     dev.posenc.bench.MatmulBench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 * ({@code org.openjdk.jmh.Main MatmulBench} runs the same benchmarks, without the GFLOP/s table.)
 * Set OPENBLAS_CORETYPE=SkylakeX on AVX-512 machines (toolchain.md §6); leave it unset on AVX2 ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBench {
    /** M x K x N. */
    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "65536x256x256", "4096x256x256",
            "16384x256x256", "256x16384x256"})
    public String mkn;

    @Param({"1", "2"})
    public int threads;

    /**
     * The stored form (see {@link MatmulForm}): NN, NT = a·bᵀ with b stored (N×K), TN = aᵀ·b with a stored
     * (K×M). The training step runs all three: forward NT, backward NN (dx) and TN (dW, K = rows of the batch).
     */
    @Param({"NN"})
    public String form;

    @Param({"posenc", "openblas"})
    public String impl;

    /** posenc and OpenBLAS sum k products in different orders: allow the float drift of a k-term sum. */
    static final double CHECK_ATOL = 1e-3, CHECK_RTOL = 1e-4;

    private Arena arena;
    private CpuBackend backend;
    private Runnable product;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = parse(mkn);
        int m = s[0], k = s[1], n = s[2];
        arena = Arena.ofShared();
        Rng rng = new Rng(1);
        MatmulForm f = MatmulForm.valueOf(form);
        Tensor a = rng.normal(arena, f == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
        Tensor b = rng.normal(arena, f == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
        Tensor out = Tensor.zeros(arena, m, n), reference = Tensor.zeros(arena, m, n);
        backend = new CpuBackend(threads);
        OpenBlasPeer.threads(threads);
        OpenBlasPeer peer = new OpenBlasPeer(out, a, b, f);
        // Fails the trial before any timing if the two disagree.
        backend.matmul(out, a, b, f, false);
        new OpenBlasPeer(reference, a, b, f).run(false);
        Compare c = Compare.of(reference, out, CHECK_ATOL * Math.sqrt(k), CHECK_RTOL);
        if (!c.ok()) throw new IllegalStateException("posenc matmul disagrees with OpenBLAS at " + mkn + " " + form + ": " + c.describe());
        product = switch (impl) {
            case "posenc" -> () -> backend.matmul(out, a, b, f, false);
            case "openblas" -> () -> peer.run(false);
            default -> throw new IllegalArgumentException("impl: expected posenc or openblas, got " + impl);
        };
    }

    private static final ThreadMXBean CLOCKS = ManagementFactory.getThreadMXBean();

    /**
     * The benchmark thread's CPU time over the measured products, beside JMH's wall time. On one thread it is the
     * product's whole CPU time: on a shared machine it leaves out the time other processes hold the core, so it
     * is the clock to compare with an in-process CPU-time harness (bench/RESULTS.md, "JMH against the harness").
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuClock {
        public long cpuNanos, products;
    }

    @Benchmark
    public void product(CpuClock clock) {
        long c0 = CLOCKS.getCurrentThreadCpuTime();      // about 1 µs, under 1 % of the smallest case (256³)
        product.run();
        clock.cpuNanos += CLOCKS.getCurrentThreadCpuTime() - c0;
        clock.products++;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }

    /** (M, K, N) from "MxKxN". */
    static int[] parse(String mkn) {
        String[] p = mkn.split("x");
        if (p.length != 3) throw new IllegalArgumentException("mkn: expected MxKxN, got " + mkn);
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    /** Runs this class's benchmarks with JMH's command-line options, then prints GFLOP/s per case. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        var options = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) options.include(MatmulBench.class.getSimpleName());
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.printf("%n%-16s %4s %7s %-9s %10s %9s %14s%n", "MxKxN", "form", "threads", "impl", "ms/op", "GFLOP/s",
                "GFLOP/s (cpu)");
        for (RunResult r : results) {
            var p = r.getParams();
            int[] s = parse(p.getParam("mkn"));
            double ms = r.getPrimaryResult().getScore(), flop = 2.0 * s[0] * s[1] * s[2];
            var aux = r.getSecondaryResults();
            // The caller's CPU time is the product's only on one thread (OpenBLAS and posenc both use the caller).
            String cpu = p.getParam("threads").equals("1") && aux.containsKey("cpuNanos")
                    ? "%.1f".formatted(flop * aux.get("products").getScore() / aux.get("cpuNanos").getScore()) : "";
            System.out.printf("%-16s %4s %7s %-9s %10.3f %9.1f %14s%n", p.getParam("mkn"), p.getParam("form"), p.getParam("threads"),
                    p.getParam("impl"), ms, flop / (ms * 1e-3) * 1e-9, cpu);
        }
    }
}
