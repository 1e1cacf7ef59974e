package dev.posenc.bench;

import dev.posenc.core.Compare;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.analysis.ntk.Grid;
import dev.posenc.models.analysis.ntk.NaiveNtk;
import dev.posenc.models.analysis.ntk.NtkNetwork;
import dev.posenc.models.analysis.ntk.StructuredNtk;
import dev.posenc.models.nn.Mlp;
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
 * The empirical NTK of fit-image's model (Gaussian features, m = 256 so 512 inputs, then 3 × [Dense(256) + ReLU]
 * + Dense(3); f = channel 0 before the sigmoid) on N = 1024 points of [0, 1), float32:
 * <ul>
 *   <li>structured: {@link StructuredNtk}, K = Σ_l (X_l X_lᵀ + 1) ⊙ (G_l G_lᵀ) with the engine's matmul,
 *       ≈ 2.1·10⁹ multiply-adds (issue 9's target: under 0.5 s on 2 cores);</li>
 *   <li>naive: {@link NaiveNtk}, one tape backward per point into J (N × 263,940, 1.1 GB), then J·Jᵀ,
 *       ≈ 2.8·10¹¹ multiply-adds.</li>
 * </ul>
 * Each trial first checks structured against naive on 64 of the points (1e-4 of the kernel's scale).
 * The PyTorch peer is {@code bench/pytorch/ntk.py}. Run: {@code ./posenc bench ntk -f 1 -wi 1 -i 3}.
 *
 * <p>On a machine shared with other work the wall time says more about the load than about the code, so
 * {@link #main} also measures the process CPU time per kernel (all threads), which the load barely changes:
 * {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.posenc.bench.NtkBench structured 20}. On an idle machine wall ≈ CPU / threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class NtkBench {
    @Param({"1024"}) public int n;
    @Param({"structured", "naive"}) public String impl;
    @Param({"2"}) public int threads;

    /** Float routes summing ~10⁵ products in different orders: 1e-4 of the kernel's largest entry. */
    static final double CHECK_TOL = 1e-4;

    private Arena arena;
    private CpuBackend backend;
    private NtkNetwork net;
    private Tensor x, k;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        backend = new CpuBackend(threads);
        net = NtkNetwork.create("gaussian", 1, 10, 6, Mlp.TANCIK_HIDDEN, 0);
        x = new Grid(1, n).positions(arena);
        k = Tensor.zeros(arena, Shape.of(n, n));
        check();
    }

    /** Fails the trial before any timing if the two routes disagree on the first 64 points. */
    private void check() {
        int m = Math.min(64, n);
        Tensor sub = x.rowRange(0, m), a = Tensor.zeros(arena, Shape.of(m, m)), b = Tensor.zeros(arena, Shape.of(m, m));
        StructuredNtk.compute(backend, net, sub, a);
        NaiveNtk.compute(backend, net, sub, b);
        float[] expected = b.toArray();
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        Compare c = Compare.of(expected, a.toArray(), CHECK_TOL * scale, 0);
        if (!c.ok()) throw new IllegalStateException("structured NTK disagrees with J·Jᵀ: " + c.describe());
    }

    @Benchmark
    public Tensor kernel() {
        if (impl.equals("structured")) StructuredNtk.compute(backend, net, x, k);
        else NaiveNtk.compute(backend, net, x, k);
        return k;
    }

    /** args: impl (structured|naive), repetitions; prints the median and range of wall and CPU ms per kernel. */
    public static void main(String[] args) {
        NtkBench b = new NtkBench();
        b.n = 1024;
        b.threads = 2;
        b.impl = args.length > 0 ? args[0] : "structured";
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        b.setUp();
        try {
            for (int i = 0; i < Math.max(2, reps / 4); i++) b.kernel();      // warm-up: JIT
            double[] wall = new double[reps], cpu = new double[reps];
            for (int i = 0; i < reps; i++) {
                long w0 = System.nanoTime(), c0 = os.getProcessCpuTime();
                b.kernel();
                wall[i] = (System.nanoTime() - w0) / 1e6;
                cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
            }
            java.util.Arrays.sort(wall);
            java.util.Arrays.sort(cpu);
            System.out.printf("NtkBench %s n=%d threads=%d, %d runs: wall median %.1f ms [%.1f, %.1f], CPU median %.1f ms [%.1f, %.1f]%n",
                    b.impl, b.n, b.threads, reps, wall[reps / 2], wall[0], wall[reps - 1], cpu[reps / 2], cpu[0], cpu[reps - 1]);
        } finally {
            b.tearDown();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
        backend.close();
        arena.close();
    }
}
