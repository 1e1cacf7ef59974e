package dev.posenc.kernels;
import dev.posenc.core.FftPlan;
import java.util.*;
import java.util.concurrent.*;
import java.lang.management.*;
// FftInPlace.dif + dit on (h, b) columns, breadth first (budget 0: the old schedule) against depth-first blocks of
// 256 KB / 512 KB / 1 MB; T threads at once, each its own arrays; min over reps of thread CPU and wall, ns per point·log2h.
// run: java --add-modules=jdk.incubator.vector -XX:-TieredCompilation -cp kernels/target/classes:core/target/classes:DIR \
//        dev.posenc.kernels.BlockProbe7 THREADS ROUNDS h:b...
public class BlockProbe7 {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]);
        long[] budgets = {0, 1 << 18, 1 << 19, 1 << 20};
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            for (int ai = 2; ai < a.length; ai++) {
                int h = Integer.parseInt(a[ai].split(":")[0]), b = Integer.parseInt(a[ai].split(":")[1]);
                FftPlan plan = FftPlan.of(h);
                StringBuilder sb = new StringBuilder(String.format("round %d h=%6d b=%2d T=%d ns/pt·log2h (cpu, wall):", round, h, b, threads));
                for (int bi = 0; bi < budgets.length; bi++) {
                    long budget = budgets[(bi + round) % budgets.length];
                    int reps = Math.max(4, (int) (1e8 / ((double) h * b * 16)));
                    List<Future<double[]>> fs = new ArrayList<>();
                    for (int t = 0; t < threads; t++) fs.add(ex.submit(() -> {
                        float[] xr = new float[h * b], xi = new float[h * b];
                        Random r = new Random(1); for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat(); xi[i] = r.nextFloat(); }
                        double best = 1e18, bestCpu = 1e18;
                        for (int k = 0; k < reps; k++) {
                            long c0 = tm.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                            FftInPlace.dif(plan, xr, xi, b, budget); FftInPlace.dit(plan, xi, xr, b, budget);
                            best = Math.min(best, System.nanoTime() - t0); bestCpu = Math.min(bestCpu, tm.getCurrentThreadCpuTime() - c0);
                            float sc = 1f / (h * 2);
                            for (int i = 0; i < xr.length; i++) { xr[i] *= sc; xi[i] *= sc; }
                        }
                        return new double[] {best, bestCpu};
                    }));
                    double worst = 0, worstCpu = 0; for (var f : fs) { double[] v = f.get(); worst = Math.max(worst, v[0]); worstCpu = Math.max(worstCpu, v[1]); }
                    double pts = 2.0 * h * b * (Math.log(h) / Math.log(2));
                    sb.append(String.format("  %s %.3f %.3f", budget == 0 ? "breadth" : (budget >> 10) + "K", worstCpu / pts, worst / pts));
                }
                System.out.println(sb);
            }
        }
        ex.shutdown();
        System.out.println("load " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
