package dev.posenc.kernels;

import dev.posenc.core.*;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** Times the split TN product of fit-image's weight gradients (out 256 × N, a and b 16384 × 256/N) on THREADS threads: process CPU and wall per call, inputs rotating over 4 sets. */
public class TnTune {
    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]), calls = Integer.parseInt(a[1]), threads = Integer.parseInt(a[2]), n = Integer.parseInt(a[3]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(1);
            int sets = 4;
            Tensor[] x = new Tensor[sets], dz = new Tensor[sets];
            for (int s = 0; s < sets; s++) { x[s] = rng.normal(arena, Shape.of(16384, n)); dz[s] = rng.normal(arena, Shape.of(16384, 256)); }
            Tensor dw = Tensor.zeros(arena, Shape.of(256, n));
            for (int i = 0; i < 20; i++) MatmulCpu.matmul(p, dw, dz[i % sets], x[i % sets], MatmulForm.TN, true);
            double[] cpu = new double[rounds], wall = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long c0 = cpu(os, threads), t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) MatmulCpu.matmul(p, dw, dz[i % sets], x[i % sets], MatmulForm.TN, true);
                cpu[r] = (cpu(os, threads) - c0) / 1e6 / calls; wall[r] = (System.nanoTime() - t0) / 1e6 / calls;
            }
            Arrays.sort(cpu); Arrays.sort(wall);
            System.out.printf("TN 256x%d k 16384, %d thr: CPU %.2f ms (%s) wall %.2f%n", n, threads, cpu[rounds / 2], Arrays.toString(cpu), wall[rounds / 2]);
        }
    }
    static final com.sun.management.ThreadMXBean T = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static long cpu(com.sun.management.OperatingSystemMXBean os, int threads) {
        return threads == 1 ? T.getCurrentThreadCpuTime() : os.getProcessCpuTime();
    }
}
