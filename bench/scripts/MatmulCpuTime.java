import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The in-process harness of the "JMH against the harness" comparison (bench/RESULTS.md, issue 13, gemm 14:40–16:30):
 * one posenc product timed call by call with both clocks, wall time and the thread's CPU time, after a 3 s warm-up;
 * prints the overall rate (total flop / total time) and the median [min, max] per call, in GFLOP/s.
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
 *     -cp bench/target/benchmarks.jar bench/scripts/MatmulCpuTime.java M K N [FORM] [THREADS] [CALLS]
 * </pre>
 * With TID_FILE set, it writes its timing thread's id there after the warm-up and waits 1.5 s, so that a shell can
 * move that one thread to SCHED_FIFO on one core (bench/scripts/matmul_clocks.sh): the JIT's threads stay free to
 * finish compiling (a whole JVM under SCHED_FIFO on one core starves them, and the product then runs uncompiled).
 */
public class MatmulCpuTime {
    public static void main(String[] args) throws Exception {
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        MatmulForm f = MatmulForm.valueOf(args.length > 3 ? args[3] : "NN");
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1, calls = args.length > 5 ? Integer.parseInt(args[5]) : 300;
        var clocks = ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared(); CpuBackend be = new CpuBackend(threads)) {
            Rng rng = new Rng(1);
            Tensor a = rng.normal(arena, f == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
            Tensor b = rng.normal(arena, f == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
            Tensor out = Tensor.zeros(arena, m, n);
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) be.matmul(out, a, b, f, false);
            String tidFile = System.getenv("TID_FILE");
            if (tidFile != null) {
                String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
                Files.writeString(Path.of(tidFile), self.substring(self.lastIndexOf('/') + 1));
                Thread.sleep(1500);
            }
            double flop = 2.0 * m * n * k;
            double[] wall = new double[calls], cpu = new double[calls];
            long wallSum = 0, cpuSum = 0;
            for (int r = 0; r < calls; r++) {
                long c0 = clocks.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                be.matmul(out, a, b, f, false);
                long dw = System.nanoTime() - t0, dc = clocks.getCurrentThreadCpuTime() - c0;
                wallSum += dw;
                cpuSum += dc;
                wall[r] = flop / dw;
                cpu[r] = flop / dc;
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            System.out.printf("%dx%dx%d %s threads %d: overall wall %.1f cpu %.1f GFLOP/s; per call wall %.1f [%.1f, %.1f], "
                    + "cpu %.1f [%.1f, %.1f]%n", m, k, n, f, threads, flop * calls / wallSum, flop * calls / cpuSum,
                    wall[calls / 2], wall[0], wall[calls - 1], cpu[calls / 2], cpu[0], cpu[calls - 1]);
        }
    }
}
