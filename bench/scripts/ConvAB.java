// A/B of two builds of the kernels module in one JVM: each build's classes in a class loader of its own (core shared),
// the DARTS toy's convolution-family ops (ConvCases.java) alternated A, B, A, B … so both see the same load.
// Prints per op, shape and pass the median over rounds of A and B and the median of the per-round ratios A/B.
// The cases and the timed loop are ConvCases.java's (same folder: the launcher compiles it too); both builds must have
// the kernels a case calls (maxpool: the kept-argmax API, since d6831c3). Run (classes of build A and B, e.g. an older
// commit's kernels sources compiled to /tmp/old-classes, and kernels/target/classes):
//   java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
//        -cp core/target/classes bench/scripts/ConvAB.java A_CLASSES B_CLASSES [threads] [rounds] [op...]
import dev.posenc.core.Backend;
import java.lang.foreign.Arena;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class ConvAB {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        ConvCases.cpu = threads == 1;
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
                    var a = ConvCases.make(be[0].conv(), arena, op, cs[0], cs[1], rounds);
                    var b = ConvCases.make(be[1].conv(), arena, op, cs[0], cs[1], rounds);
                    names.add("%-9s %2dx%-3d".formatted(op, cs[0], cs[1]));
                    runs.add(new Runnable[] {a.fwd(), b.fwd(), a.bwd(), b.bwd()});
                }
            for (Runnable[] r : runs) for (int i = 0; i < 400; i++) for (Runnable x : r) x.run();
            double[][][] t = new double[runs.size()][4][rounds];
            for (int r = 0; r < rounds; r++)
                for (int c = 0; c < runs.size(); c++) for (int k = 0; k < 4; k++) t[c][k][r] = ConvCases.time(runs.get(c)[k]);
            System.out.printf("%d threads (%s), %d rounds, µs per call: A median, B median, per-round A/B median [min, max]%n",
                    threads, ConvCases.cpu ? "thread CPU time" : "wall clock", rounds);
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
}
