import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 13, gemm7: posenc's matrix product from two jars (old and new code) in one JVM, each jar in a class loader of
 * its own, alternated call batch by call batch (ABBA order per round), so that a moving load and the process's
 * cache and page draw hit both sides alike. Per shape it prints each side's GFLOP/s by wall time and by CPU time, the
 * median of the round medians, and new / old per round. CPU time: the timing thread's per call on one thread; on more,
 * the process's summed over the whole run (its clock ticks too coarsely for a round), so that ratio is one figure.
 * Not part of the build (single-file source launch):
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
 *     bench/scripts/MatmulJarAB.java OLD_JAR NEW_JAR ROUNDS CALLS THREADS 1024x1024x1024:NN [MxKxN:FORM ...]
 * </pre>
 */
public class MatmulJarAB {
    static final com.sun.management.ThreadMXBean T = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One jar's product on fixed random tensors of one shape. */
    record Side(String tag, Runnable product) {}

    static Side side(String tag, String jar, Arena arena, int m, int k, int n, String form, int threads) throws Throwable {
        String[] parts = jar.split(":");                     // a jar, or a class path of folders
        URL[] urls = new URL[parts.length];
        for (int i = 0; i < parts.length; i++) urls[i] = Path.of(parts[i]).toUri().toURL();
        ClassLoader cl = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        String probe = System.getProperty("ab.probe");      // gemm7's offset experiment (offset-probe.patch) on the new side
        if (probe != null && tag.equals("new")) {
            for (String field : new String[] {"probeA", "probeB", "probeC"}) {
                var fld = cl.loadClass("dev.posenc.kernels.MatmulBlocked").getDeclaredField(field);
                fld.setAccessible(true);
                fld.setInt(null, Integer.parseInt(probe));
            }
        }
        var lk = MethodHandles.publicLookup();
        Class<?> rngC = cl.loadClass("dev.posenc.core.Rng"), shapeC = cl.loadClass("dev.posenc.core.Shape");
        Class<?> tensorC = cl.loadClass("dev.posenc.core.Tensor"), formC = cl.loadClass("dev.posenc.core.MatmulForm");
        Class<?> beC = cl.loadClass("dev.posenc.kernels.CpuBackend");
        Object rng = lk.findConstructor(rngC, MethodType.methodType(void.class, long.class)).invoke(1L);
        MethodHandle shapeOf = lk.findStatic(shapeC, "of", MethodType.methodType(shapeC, int[].class)).asFixedArity();
        MethodHandle normal = lk.findVirtual(rngC, "normal", MethodType.methodType(tensorC, Arena.class, shapeC));
        boolean tn = form.equals("TN"), nt = form.equals("NT");
        Object a = normal.invoke(rng, arena, shapeOf.invoke(tn ? new int[]{k, m} : new int[]{m, k}));
        Object b = normal.invoke(rng, arena, shapeOf.invoke(nt ? new int[]{n, k} : new int[]{k, n}));
        Object out = normal.invoke(rng, arena, shapeOf.invoke(new int[]{m, n}));
        Object f = formC.getMethod("valueOf", String.class).invoke(null, form);
        Object be = lk.findConstructor(beC, MethodType.methodType(void.class, int.class)).invoke(threads);
        MethodHandle mm = lk.findVirtual(beC, "matmul", MethodType.methodType(void.class, tensorC, tensorC, tensorC, formC, boolean.class))
                .bindTo(be);
        return new Side(tag, () -> {
            try {
                mm.invoke(out, a, b, f, false);
            } catch (Throwable e) {
                throw new RuntimeException(e);
            }
        });
    }

    public static void main(String[] args) throws Throwable {
        String oldJar = args[0], newJar = args[1];
        int rounds = Integer.parseInt(args[2]), calls = Integer.parseInt(args[3]), threads = Integer.parseInt(args[4]);
        boolean process = threads > 1;
        for (String spec : Arrays.copyOfRange(args, 5, args.length)) {
            String[] mkn = spec.split(":")[0].split("x");
            String form = spec.split(":")[1];
            int m = Integer.parseInt(mkn[0]), k = Integer.parseInt(mkn[1]), n = Integer.parseInt(mkn[2]);
            double flop = 2.0 * m * n * k;
            try (Arena arena = Arena.ofShared()) {
                List<Side> sides = List.of(side("old", oldJar, arena, m, k, n, form, threads), side("new", newJar, arena, m, k, n, form, threads));
                long warm = System.nanoTime() + Long.getLong("ab.warmSeconds", 8) * 1_000_000_000L;   // both sides' C2 compiles done, even on a loaded machine
                while (System.nanoTime() < warm) for (Side s : sides) s.product().run();
                double[][] cpu = new double[2][rounds], wall = new double[2][rounds];
                long[] processNanos = new long[2], processProducts = new long[2];
                for (int r = 0; r < rounds; r++) {
                    int[] order = r % 2 == 0 ? new int[]{0, 1, 1, 0} : new int[]{1, 0, 0, 1};
                    List<List<Double>> c = List.of(new ArrayList<>(), new ArrayList<>()), w = List.of(new ArrayList<>(), new ArrayList<>());
                    for (int s : order) {
                        // One thread: the thread's CPU time per call. More: the process's, summed over every batch
                        // of the side (its clock ticks in ~10 ms, coarser than a batch), as CPU-seconds / threads.
                        int batch = (calls + 1) / 2;
                        long p0 = OS.getProcessCpuTime();
                        for (int q = 0; q < batch; q++) {
                            long c0 = T.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                            sides.get(s).product().run();
                            long dw = System.nanoTime() - t0, dc = T.getCurrentThreadCpuTime() - c0;
                            w.get(s).add(flop / dw);
                            if (!process) c.get(s).add(flop / Math.max(1, dc));
                        }
                        if (process) { processNanos[s] += OS.getProcessCpuTime() - p0; processProducts[s] += batch; }
                    }
                    for (int s = 0; s < 2; s++) { cpu[s][r] = process ? 1 : median(c.get(s)); wall[s][r] = median(w.get(s)); }
                }
                double[] ratioCpu = new double[rounds], ratioWall = new double[rounds];
                if (process) {                                   // one figure per side: the whole run's process CPU
                    for (int s = 0; s < 2; s++) Arrays.fill(cpu[s], flop * threads * processProducts[s] / processNanos[s]);
                }
                for (int r = 0; r < rounds; r++) { ratioCpu[r] = cpu[1][r] / cpu[0][r]; ratioWall[r] = wall[1][r] / wall[0][r]; }
                System.out.printf("%s%s threads %d, %d rounds x %d calls per side: old wall %.1f cpu %.1f, new wall %.1f cpu %.1f GFLOP/s"
                                + " (cpu: %s); new/old per round wall %.3f [%.3f, %.3f], cpu %.3f [%.3f, %.3f]%n",
                        spec, "", threads, rounds, calls, med(wall[0]), med(cpu[0]), med(wall[1]), med(cpu[1]), process ? "process CPU time / threads" : "thread CPU time",
                        med(ratioWall), q(ratioWall, 0.25), q(ratioWall, 0.75), med(ratioCpu), q(ratioCpu, 0.25), q(ratioCpu, 0.75));
            }
        }
    }

    static double median(List<Double> v) { return med(v.stream().mapToDouble(Double::doubleValue).toArray()); }
    static double med(double[] v) { return q(v, 0.5); }
    static double q(double[] v, double p) { double[] s = v.clone(); Arrays.sort(s); return s[(int) Math.round(p * (s.length - 1))]; }
}
