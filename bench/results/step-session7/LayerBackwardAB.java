package dev.posenc.kernels;

import dev.posenc.core.*;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Issue 13, session 7 (step7): a hidden layer's backward at fit-image's shape (N = 16,384, 256 → 256), the composed
 * route (BiasReluCpu.backward, then the NN and split-TN products: dz written and read back) against the fused one
 * (LinearReluBackwardCpu: ReLU′ in the packs, db from the TN pack), alternated in one process. CPU per call: the
 * calling thread's median on 1 thread, the process's mean over a batch on more. Inputs rotate over SETS layers'
 * worth of tensors (16 MiB each) so that each call finds its dy, y, x out of cache, as in a step. In package
 * dev.posenc.kernels for the package-private routes. Not part of the build:
 * <pre>
 * javac --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar -d /tmp/lab bench/scripts/LayerBackwardAB.java
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
 *     -cp bench/target/benchmarks.jar:/tmp/lab dev.posenc.kernels.LayerBackwardAB ROUNDS CALLS THREADS [relu|gelu]
 * </pre>
 */
public class LayerBackwardAB {
    interface Body { void run(int set); }
    static final com.sun.management.ThreadMXBean T = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static final int SETS = 4;
    static boolean process;
    static int next;

    static double time(Body b, int calls) {
        if (process) {
            long c0 = OS.getProcessCpuTime();
            for (int i = 0; i < calls; i++) b.run(next++ % SETS);
            return (OS.getProcessCpuTime() - c0) / 1e6 / calls;
        }
        double[] t = new double[calls];
        for (int i = 0; i < calls; i++) {
            long c0 = T.getCurrentThreadCpuTime();
            b.run(next++ % SETS);
            t[i] = (T.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(t);
        return t[calls / 2];
    }

    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]), calls = Integer.parseInt(a[1]), threads = Integer.parseInt(a[2]);
        String which = a.length > 3 ? a[3] : "relu";
        process = threads > 1;
        int n = 16384, out = 256, in = which.equals("gelu") ? 512 : 256;
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(1);
            Tensor[] x = new Tensor[SETS], y = new Tensor[SETS], dy = new Tensor[SETS], dx = new Tensor[SETS];
            for (int s = 0; s < SETS; s++) {
                x[s] = rng.normal(arena, Shape.of(n, in));
                y[s] = rng.normal(arena, Shape.of(n, out));
                dy[s] = rng.normal(arena, Shape.of(n, out));
                dx[s] = Tensor.zeros(arena, Shape.of(n, in));
                if (!which.equals("gelu")) BiasReluCpu.forward(p, y[s], y[s], Tensor.zeros(arena, Shape.of(out)));
            }
            Tensor w = rng.normal(arena, Shape.of(out, in)), dw = Tensor.zeros(arena, Shape.of(out, in));
            Tensor db = Tensor.zeros(arena, Shape.of(out)), dz = Tensor.zeros(arena, Shape.of(n, out));
            Body old, neu;
            if (which.equals("gelu")) {
                old = s -> {
                    LinearGeluCpu.backward(p, dz, dy[s], y[s], false);
                    ReduceCpu.sumRows(p, db, dz, 1f, true);
                    MatmulCpu.matmul(p, dx[s], dz, w, MatmulForm.NN, false);
                    MatmulCpu.matmul(p, dw, dz, x[s], MatmulForm.TN, true);
                };
                neu = s -> LinearBackwardCpu.gelu(p, dz, dx[s], false, dw, true, db, true, dy[s], y[s], x[s], w);
            } else {
                old = s -> {
                    BiasReluCpu.backward(p, dz, db, dy[s], y[s], true);
                    MatmulCpu.matmul(p, dx[s], dz, w, MatmulForm.NN, false);
                    MatmulCpu.matmul(p, dw, dz, x[s], MatmulForm.TN, true);
                };
                neu = s -> LinearBackwardCpu.relu(p, dz, dx[s], false, dw, true, db, true, dy[s], y[s], x[s], w);
            }
            for (int i = 0; i < 12; i++) { old.run(i % SETS); neu.run(i % SETS); }
            double[] o = new double[rounds], nw = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                o[r] = time(old, calls);
                nw[r] = time(neu, calls);
                System.out.printf("round %d: composed %.2f fused %.2f ms CPU per layer; %s%n", r, o[r], nw[r], load());
            }
            Arrays.sort(o); Arrays.sort(nw);
            System.out.printf("%s 16384 x %d -> %d, %d thread(s): median composed %.2f, fused %.2f ms CPU (%+.1f %%)%n",
                    which, in, out, threads, o[rounds / 2], nw[rounds / 2], 100 * (nw[rounds / 2] / o[rounds / 2] - 1));
        }
    }

    static String load() {
        return "load " + String.format("%.2f", OS.getSystemLoadAverage());
    }
}
