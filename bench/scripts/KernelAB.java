package dev.posenc.kernels;

import dev.posenc.core.*;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Issue 13, session 6 (step6): each kernel change of the lff fit-image step against the route it replaced, at the
 * step's shapes (16,384 rows), alternated old/new in one process, CPU time per call: the calling thread's on one
 * thread (median of CALLS calls), the whole process's on more (mean of a batch of CALLS calls: that clock ticks
 * coarsely). Prints the ROUNDS medians of each side. In package dev.posenc.kernels to reach the package-private
 * old routes (MatmulBlocked for the narrow shapes). Not part of the build:
 * <pre>
 * javac --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar -d /tmp/kab bench/scripts/KernelAB.java
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
 *     -cp bench/target/benchmarks.jar:/tmp/kab dev.posenc.kernels.KernelAB ROUNDS CALLS [all|relu|gelu|gelu2|fourier|narrow] [THREADS]
 * </pre>
 * The GELU rows are not representative (see bench/RESULTS.md, session 6): in this harness GeluCpu's loops ran at
 * about half their speed inside the step, whichever side called them.
 */
public class KernelAB {
    interface Body { void run(); }
    static final com.sun.management.ThreadMXBean T = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static boolean process;

    /** CPU ms per call: the calling thread's on one thread, the process's (every thread) on more. */
    static long cpu() { return process ? OS.getProcessCpuTime() : T.getCurrentThreadCpuTime(); }

    static double time(Body b, int calls) {
        if (process) {                                  // the process clock ticks coarsely: the mean of a batch
            long c0 = cpu();
            for (int i = 0; i < calls; i++) b.run();
            return (cpu() - c0) / 1e6 / calls;
        }
        double[] t = new double[calls];
        for (int i = 0; i < calls; i++) { long c0 = cpu(); b.run(); t[i] = (cpu() - c0) / 1e6; }
        Arrays.sort(t);
        return t[calls / 2];
    }

    static void ab(String name, Body old, Body neu, int rounds, int calls) {
        for (int w = 0; w < 30; w++) { old.run(); neu.run(); }
        double[] o = new double[rounds], n = new double[rounds];
        for (int r = 0; r < rounds; r++) { o[r] = time(old, calls); n[r] = time(neu, calls); }
        Arrays.sort(o); Arrays.sort(n);
        System.out.printf("%-40s old %s  new %s  median old %.2f new %.2f ms (%.0f %%)%n", name, Arrays.toString(o), Arrays.toString(n),
                o[rounds / 2], n[rounds / 2], 100 * (n[rounds / 2] / o[rounds / 2] - 1));
    }

    public static void main(String[] a) {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 5, calls = a.length > 1 ? Integer.parseInt(a[1]) : 20;
        String which = a.length > 2 ? a[2] : "all";
        int threads = a.length > 3 ? Integer.parseInt(a[3]) : 1;
        process = threads > 1;
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(1);
            int n = 16384;
            Tensor y = rng.normal(arena, Shape.of(n, 256)), dy = rng.normal(arena, Shape.of(n, 256)), dz = Tensor.zeros(arena, n, 256);
            BiasReluCpu.forward(p, y, y, Tensor.zeros(arena, Shape.of(256)));
            Tensor db = Tensor.zeros(arena, Shape.of(256));
            if (which.equals("all") || which.equals("relu")) ab("relu backward + bias grad (16384x256)",
                    () -> { ActivationCpu.unaryBackward(p, UnaryOp.RELU, dz, dy, y, y, false); ReduceCpu.sumRows(p, db, dz, 1f, false); },
                    () -> BiasReluCpu.backward(p, dz, db, dy, y, false), rounds, calls);
            Tensor r = rng.normal(arena, Shape.of(n, 512)), w1 = rng.normal(arena, Shape.of(256, 512)), b1 = rng.normal(arena, Shape.of(256));
            Tensor h = Tensor.zeros(arena, n, 256), g = Tensor.zeros(arena, n, 256), d = Tensor.zeros(arena, n, 256), dh = Tensor.zeros(arena, n, 256);
            if (which.equals("all") || which.equals("gelu")) ab("linear 512->256 + GELU fwd + bwd",
                    () -> { MatmulCpu.linear(p, h, r, w1, b1, false); ActivationCpu.unary(p, UnaryOp.GELU_ERF, g, h);
                            ActivationCpu.unaryBackward(p, UnaryOp.GELU_ERF, dh, dy, h, g, false); },
                    () -> { LinearGeluCpu.forward(p, g, d, r, w1, b1); LinearGeluCpu.backward(p, dh, dy, d, false); }, rounds, calls);
            if (which.equals("gelu2")) {
                ab("linear 512->256 alone vs linearGelu fwd", () -> MatmulCpu.linear(p, h, r, w1, b1, false),
                        () -> LinearGeluCpu.forward(p, g, d, r, w1, b1), rounds, calls);
                ab("GELU fwd pass vs bwd-kept pass", () -> ActivationCpu.unary(p, UnaryOp.GELU_ERF, g, h),
                        () -> LinearGeluCpu.backward(p, dh, dy, d, false), rounds, calls);
                ab("GELU bwd pass vs bwd-kept pass", () -> ActivationCpu.unaryBackward(p, UnaryOp.GELU_ERF, dh, dy, h, g, false),
                        () -> LinearGeluCpu.backward(p, dh, dy, d, false), rounds, calls);
            }
            Tensor xy = rng.uniform(arena, Shape.of(n, 2), 0f, 1f), wr = rng.normal(arena, Shape.of(256, 2), 0f, 10f);
            Tensor out = Tensor.zeros(arena, n, 512), dw = Tensor.zeros(arena, 256, 2);
            FourierCpu.forward(p, out, xy, wr, 1f);
            if (which.equals("all") || which.equals("fourier")) ab("fourier backward 16384x2 -> 512, scale 1",
                    () -> FourierCpu.backward(p, null, dw, r, xy, wr, 1f),
                    () -> FourierCpu.backward(p, null, dw, r, xy, wr, out, 1f), rounds, calls);
            Tensor w3 = rng.normal(arena, Shape.of(3, 256)), b3 = rng.normal(arena, Shape.of(3)), o3 = Tensor.zeros(arena, n, 3);
            if (which.equals("all") || which.equals("narrow")) {
                ab("NT 16384x256 -> 3 with bias",
                        () -> MatmulBlocked.multiplyBias(p, o3.data(), y.data(), w3.data(), MatmulForm.NT, b3.data(), false, n, 3, 256),
                        () -> MatmulCpu.linear(p, o3, y, w3, b3, false), rounds, calls);
                ab("NN 16384x3 -> 256",
                        () -> MatmulBlocked.multiply(p, true, dz, o3, w3, MatmulForm.NN, false, n, 256, 3),
                        () -> MatmulCpu.matmul(p, dz, o3, w3, MatmulForm.NN, false), rounds, calls);
            }
        }
    }
}
