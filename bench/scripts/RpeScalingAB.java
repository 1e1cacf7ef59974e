import java.lang.management.*;
import java.lang.reflect.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;
// kernel-rpe forward + backward (AttentionScaling.measure, as RpeScalingInterleaved) of two builds in ONE JVM: each
// jar in its own class loader, the two alternated at every n of every round (which goes first alternates too), so both
// see the same load; beside wall time, the process CPU time of each run (not inflated by other jobs' preemption).
// Each build keeps one tape per n, touched once untimed and reset between runs (as RpeScalingInterleaved and
// attention-scaling do), so the first touch of ~360 MB at n = 65536 is not in the figures.
// Prints per build the medians and the per-round doubling ratios, of wall and of CPU time.
// Run (e.g. main's jar against this branch's, both built with ./posenc bench --list and copied aside):
//   java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED bench/scripts/RpeScalingAB.java \
//        A.jar B.jar rounds n...                (e.g. before.jar after.jar 3 4096 8192 16384 32768 65536)
public class RpeScalingAB {
    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[2]);
        int[] ns = Arrays.stream(a, 3, a.length).mapToInt(Integer::parseInt).toArray();
        String[] jars = {a[0], a[1]};
        Object[] be = new Object[2]; Method[] measure = new Method[2]; Object kind[] = new Object[2];
        Object[][] tapes = new Object[2][ns.length];
        for (int j = 0; j < 2; j++) {
            ClassLoader cl = new URLClassLoader(new URL[] {Path.of(jars[j]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> cb = cl.loadClass("dev.posenc.kernels.CpuBackend");
            be[j] = cb.getConstructor(int.class).newInstance(Integer.getInteger("threads", 2));   // -Dthreads=1 for one-thread CPU time
            Class<?> ak = cl.loadClass("dev.posenc.models.seq.AttentionKind");
            kind[j] = Arrays.stream(ak.getEnumConstants()).filter(e -> ((Enum<?>) e).name().equals("KERNEL_RPE")).findFirst().orElseThrow();
            Class<?> as = cl.loadClass("dev.posenc.models.seq.AttentionScaling");
            Class<?> bk = cl.loadClass("dev.posenc.core.Backend");
            Class<?> tape = cl.loadClass("dev.posenc.autograd.Tape");
            measure[j] = as.getMethod("measure", bk, tape, ak, int.class, int.class, int.class, long.class);
            for (int i = 0; i < ns.length; i++) tapes[j][i] = tape.getConstructor(bk).newInstance(be[j]);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int w = 0; w < 3; w++) for (int j = 0; j < 2; j++) measure[j].invoke(null, be[j], tapes[j][0], kind[j], ns[0], 64, 64, 0L);
        for (int i = 0; i < ns.length; i++) for (int j = 0; j < 2; j++) measure[j].invoke(null, be[j], tapes[j][i], kind[j], ns[i], 64, 64, 0L);
        double[][][] wall = new double[2][ns.length][rounds], cpu = new double[2][ns.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < ns.length; i++) {
                for (int jj = 0; jj < 2; jj++) {
                    int j = (r + i + jj) % 2;   // alternate which goes first
                    long p0 = os.getProcessCpuTime();
                    double[] t = (double[]) measure[j].invoke(null, be[j], tapes[j][i], kind[j], ns[i], 64, 64, (long) r + 1);
                    wall[j][i][r] = t[1]; cpu[j][i][r] = (os.getProcessCpuTime() - p0) / 1e6;
                }
            }
            StringBuilder sb = new StringBuilder("round " + r + " (load " + String.format("%.1f", os.getSystemLoadAverage()) + "):");
            for (int i = 0; i < ns.length; i++) sb.append(String.format(" n=%d A %.0f/%.0f B %.0f/%.0f", ns[i], wall[0][i][r], cpu[0][i][r], wall[1][i][r], cpu[1][i][r]));
            System.out.println(sb + "   (wall/cpu ms)");
        }
        for (int j = 0; j < 2; j++) {
            System.out.println((j == 0 ? "A " : "B ") + jars[j]);
            for (int i = 0; i < ns.length; i++) {
                String ratio = "";
                if (i > 0) {
                    double[] q = new double[rounds], qc = new double[rounds];
                    for (int r = 0; r < rounds; r++) { q[r] = wall[j][i][r] / wall[j][i-1][r]; qc[r] = cpu[j][i][r] / cpu[j][i-1][r]; }
                    ratio = String.format("wall ratio med %.2f (%.2f–%.2f), of medians %.2f; cpu ratio med %.2f", med(q), Arrays.stream(q).min().getAsDouble(), Arrays.stream(q).max().getAsDouble(), med(wall[j][i]) / med(wall[j][i-1]), med(qc));
                }
                System.out.printf("  n=%-6d wall med %8.1f min %8.1f  cpu med %8.1f  %s%n", ns[i], med(wall[j][i]), Arrays.stream(wall[j][i]).min().getAsDouble(), med(cpu[j][i]), ratio);
            }
        }
        for (int j = 0; j < 2; j++) {
            for (Object t : tapes[j]) ((AutoCloseable) t).close();
            ((AutoCloseable) be[j]).close();
        }
    }
    static double med(double[] x) { double[] s = x.clone(); Arrays.sort(s); return s.length % 2 == 1 ? s[s.length/2] : (s[s.length/2-1] + s[s.length/2]) / 2; }
}
