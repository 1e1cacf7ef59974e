import java.lang.reflect.*;
import java.util.*;
import java.util.concurrent.*;
// ns per point·log2(h) of FftStages.run on (h, b) columns, T threads concurrently (each its own arrays)
public class StageProbe {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]), b = Integer.parseInt(a[1]);
        int[] hs = Arrays.stream(a, 2, a.length).mapToInt(Integer::parseInt).toArray();
        Class<?> st = Class.forName("dev.posenc.kernels.FftStages");
        Class<?> pl = Class.forName("dev.posenc.core.FftPlan");
        Method run = st.getDeclaredMethod("run", pl, float[].class, float[].class, float[].class, float[].class, int.class);
        run.setAccessible(true);
        Method of = pl.getMethod("of", int.class);
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        for (int round = 0; round < 3; round++) {
            for (int h : hs) {
                Object plan = of.invoke(null, h);
                int reps = Math.max(3, (int) (4e8 / ((double) h * b * Math.log(h) / Math.log(2) * 8)));
                List<Future<Double>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) fs.add(ex.submit(() -> {
                    float[] xr = new float[h * b], xi = new float[h * b], yr = new float[h * b], yi = new float[h * b];
                    Random r = new Random(1); for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat(); xi[i] = r.nextFloat(); }
                    double best = 1e18;
                    for (int k = 0; k < reps; k++) { long t0 = System.nanoTime(); run.invoke(null, plan, xr, xi, yr, yi, b); best = Math.min(best, System.nanoTime() - t0); }
                    return best;
                }));
                double worst = 0; for (var f : fs) worst = Math.max(worst, f.get());
                double lg = Math.log(h) / Math.log(2);
                System.out.printf("round %d h=%6d b=%d threads=%d: min %.3f ms, %.3f ns per point·log2h%n", round, h, b, threads, worst / 1e6, worst / (h * (double) b * lg));
            }
        }
        ex.shutdown();
    }
}
