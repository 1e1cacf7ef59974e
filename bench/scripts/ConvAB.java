// A/B of two builds of the kernels module in one JVM: each build's classes in a class loader of its own (core shared),
// the DARTS toy's convolution-family ops (ConvInterleaved's cases) alternated A, B, A, B … so both see the same load.
// Prints per op, shape and pass the median over rounds of A and B and the median of the per-round ratios A/B.
// Run (classes of build A and B, e.g. a checkout of main compiled to /tmp/old-classes, and kernels/target/classes):
//   java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
//        -cp core/target/classes bench/scripts/ConvAB.java A_CLASSES B_CLASSES [threads] [rounds] [op...]
import dev.posenc.core.Backend;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class ConvAB {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    static boolean cpu;

    public static void main(String[] args) throws Exception {
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        cpu = threads == 1;
        List<String> ops = args.length > 4 ? Arrays.asList(args).subList(4, args.length) : List.of("conv3x3", "conv1x1");
        Backend[] be = new Backend[2];
        for (int i = 0; i < 2; i++) {
            ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[i]).toUri().toURL()}, ConvAB.class.getClassLoader());
            be[i] = (Backend) cl.loadClass("dev.posenc.kernels.CpuBackend").getConstructor(int.class).newInstance(threads);
        }
        try (Arena arena = Arena.ofShared()) {
            List<String> names = new ArrayList<>();
            List<Runnable[]> runs = new ArrayList<>();   // per case: {fwdA, fwdB, bwdA, bwdB}
            for (String op : ops)
                for (int[] cs : new int[][] {{8, 14}, {16, 7}}) {
                    Runnable[] a = make(be[0].conv(), arena, op, cs[0], cs[1]), b = make(be[1].conv(), arena, op, cs[0], cs[1]);
                    names.add("%-9s %2dx%-3d".formatted(op, cs[0], cs[1]));
                    runs.add(new Runnable[] {a[0], b[0], a[1], b[1]});
                }
            for (Runnable[] r : runs) for (int i = 0; i < 400; i++) for (Runnable x : r) x.run();
            double[][][] t = new double[runs.size()][4][rounds];
            for (int r = 0; r < rounds; r++)
                for (int c = 0; c < runs.size(); c++) for (int k = 0; k < 4; k++) t[c][k][r] = time(runs.get(c)[k]);
            System.out.printf("%d threads (%s), %d rounds, µs per call: A median, B median, per-round A/B median [min, max]%n",
                    threads, cpu ? "thread CPU time" : "wall clock", rounds);
            for (int c = 0; c < runs.size(); c++)
                for (int pass = 0; pass < 2; pass++) {
                    double[] ra = t[c][2 * pass], rb = t[c][2 * pass + 1], q = new double[rounds];
                    for (int r = 0; r < rounds; r++) q[r] = ra[r] / rb[r];
                    System.out.printf("%s %-8s A %8.1f  B %8.1f  A/B %.2f [%.2f, %.2f]%n", names.get(c), pass == 0 ? "forward" : "backward",
                            median(ra), median(rb), median(q), Arrays.stream(q).min().orElse(0), Arrays.stream(q).max().orElse(0));
                }
        }
    }

    static double median(double[] v) { double[] s = v.clone(); Arrays.sort(s); return s[s.length / 2]; }

    static long now() { return cpu ? MX.getCurrentThreadCpuTime() : System.nanoTime(); }

    static double time(Runnable r) {
        int n = 1;
        while (true) {
            long t0 = now();
            for (int i = 0; i < n; i++) r.run();
            long dt = now() - t0;
            if (dt > 50_000_000L) return dt / 1e3 / n;
            n *= 2;
        }
    }

    static Runnable[] make(ConvKernels k, Arena arena, String op, int c, int s) {
        ConvGeometry g = switch (op) {
            case "dw3x3d2" -> new ConvGeometry(3, 1, 2, 2);
            case "conv1x1" -> ConvGeometry.of(1, 1, 0);
            default -> ConvGeometry.of(3, 1, 1);
        };
        Rng rng = new Rng(5);
        Tensor x = rng.normal(arena, Shape.of(64, c, s, s));
        Tensor w = op.startsWith("dw") ? rng.normal(arena, Shape.of(c, 3, 3)) : rng.normal(arena, Shape.of(c, c, g.kernel(), g.kernel()));
        Tensor out = Tensor.zeros(arena, x.shape()), dOut = rng.normal(arena, x.shape()), dx = Tensor.zeros(arena, x.shape());
        Tensor dw = Tensor.zeros(arena, w.shape()), mean = Tensor.zeros(arena, c), rstd = Tensor.zeros(arena, c);
        Runnable fwd = switch (op) {
            case "conv3x3", "conv1x1" -> () -> k.conv2d(out, x, w, g);
            case "dw3x3", "dw3x3d2" -> () -> k.depthwiseConv2d(out, x, w, g);
            case "avgpool" -> () -> k.avgPool2d(out, x, g);
            case "maxpool" -> () -> k.maxPool2d(out, x, g);
            default -> () -> k.batchNorm2d(out, mean, rstd, x, 1e-5f);
        };
        Runnable bwd = switch (op) {
            case "conv3x3", "conv1x1" -> () -> k.conv2dBackward(dx, dw, dOut, x, w, g);
            case "dw3x3", "dw3x3d2" -> () -> k.depthwiseConv2dBackward(dx, dw, dOut, x, w, g);
            case "avgpool" -> () -> k.avgPool2dBackward(dx, dOut, g);
            case "maxpool" -> () -> k.maxPool2dBackward(dx, dOut, x, g);
            default -> () -> k.batchNorm2dBackward(dx, dOut, x, rstd);
        };
        return new Runnable[] {fwd, bwd};
    }
}
