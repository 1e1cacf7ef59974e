package dev.posenc.kernels;
import dev.posenc.core.FftPlan;
import java.util.*;
import java.util.concurrent.*;
import java.lang.management.*;
// in-place radix-4 DIF (Gentleman–Sande) on (h, b) columns vs FftStages (Stockham, out of place); T threads at once.
// Compile with kernels/target/classes and core/target/classes on the class path (package dev.posenc.kernels);
// run: java --add-modules=jdk.incubator.vector -XX:-TieredCompilation -cp ... dev.posenc.kernels.InPlaceProbe THREADS 16 ROUNDS h...
public class InPlaceProbe {
    // the probe's own copy of the in-place DIF became FftInPlace.dif (same loops); it calls that now
    static void dif(FftPlan plan, float[] re, float[] im, int b) { FftInPlace.dif(plan, re, im, b); }
    static int[] positions(FftPlan plan) { return FftInPlace.positions(plan); }
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]), b = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        int[] hs = Arrays.stream(a, 3, a.length).mapToInt(Integer::parseInt).toArray();
        for (int h : hs) {
            FftPlan plan = FftPlan.of(h); int[] pos = positions(plan);
            float[] xr = new float[h*b], xi = new float[h*b]; Random r = new Random(3);
            for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat()-0.5f; xi[i] = r.nextFloat()-0.5f; }
            float[] ar = xr.clone(), ai = xi.clone(), br = new float[h*b], bi = new float[h*b];
            boolean inY = FftStages.run(plan, ar, ai, br, bi, b);
            float[] pr = inY ? br : ar, pi = inY ? bi : ai;
            float[] cr = xr.clone(), ci = xi.clone(); dif(plan, cr, ci, b);
            double num = 0, den = 0;
            for (int k = 0; k < h; k++) for (int l = 0; l < b; l++) { int u = k*b+l, v = pos[k]*b+l; num += Math.pow(pr[u]-cr[v],2)+Math.pow(pi[u]-ci[v],2); den += pr[u]*pr[u]+pi[u]*pi[u]; }
            System.out.printf("h=%d rel rms diff stockham vs in-place dif %.2e%n", h, Math.sqrt(num/den));
        }
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            for (int h : hs) for (int impl = 0; impl < 2; impl++) {
                final int im = (impl + round) % 2;
                FftPlan plan = FftPlan.of(h);
                int reps = Math.max(3, (int) (2e8 / ((double) h * b * Math.log(h) / Math.log(2) * 8)));
                List<Future<double[]>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) fs.add(ex.submit(() -> {
                    float[] xr = new float[h * b], xi = new float[h * b], yr = new float[h * b], yi = new float[h * b];
                    Random r = new Random(1); for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat(); xi[i] = r.nextFloat(); }
                    double best = 1e18, bestCpu = 1e18;
                    for (int k = 0; k < reps; k++) {
                        long c0 = tm.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                        if (im == 0) FftStages.run(plan, xr, xi, yr, yi, b); else dif(plan, xr, xi, b);
                        best = Math.min(best, System.nanoTime() - t0); bestCpu = Math.min(bestCpu, tm.getCurrentThreadCpuTime() - c0);
                        if ((k & 7) == 7) for (int i = 0; i < xr.length; i++) { xr[i] = 0.25f; xi[i] = 0.5f; }
                    }
                    return new double[] {best, bestCpu};
                }));
                double worst = 0, worstCpu = 0; for (var f : fs) { double[] v = f.get(); worst = Math.max(worst, v[0]); worstCpu = Math.max(worstCpu, v[1]); }
                double lg = Math.log(h) / Math.log(2), pts = h * (double) b * lg;
                System.out.printf("round %d h=%6d b=%d threads=%d %-8s: min wall %.3f ms (%.3f ns/pt·log2h), min cpu %.3f%n", round, h, b, threads, im == 0 ? "stockham" : "inplace", worst / 1e6, worst / pts, worstCpu / pts);
            }
        }
        ex.shutdown();
        System.out.println("load " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
