// kernel-rpe forward + backward per n as attention-scaling runs it (one head, dv 64, PRF m 64): the medians of wall
// time, process CPU time (all threads) and the main thread's CPU time (the serial parts plus its share of the tasks).
// CPU time is not inflated by preemption, so on a loaded machine it still shows how the work grows with n, and
// 2·main − process estimates the serial work. Lengths interleaved per round, as in RpeScalingInterleaved.
// Run: java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
//        bench/scripts/RpeCpuTime.java <threads> <rounds> <n...>        (e.g. 2 3 8192 16384 32768)
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.seq.AttentionKind;
import dev.posenc.models.seq.AttentionScaling;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

public class RpeCpuTime {
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]);
        int[] ns = Arrays.stream(a, 2, a.length).mapToInt(Integer::parseInt).toArray();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var tm = ManagementFactory.getThreadMXBean();
        double[][] wall = new double[ns.length][rounds], cpu = new double[ns.length][rounds], main = new double[ns.length][rounds];
        try (CpuBackend be = new CpuBackend(threads)) {
            for (int w = 0; w < 2; w++) AttentionScaling.measure(be, AttentionKind.KERNEL_RPE, ns[0], 64, 64, 0);
            for (int r = 0; r < rounds; r++) for (int i = 0; i < ns.length; i++) {
                long c0 = os.getProcessCpuTime(), m0 = tm.getCurrentThreadCpuTime();
                double[] t = AttentionScaling.measure(be, AttentionKind.KERNEL_RPE, ns[i], 64, 64, r + 1);
                wall[i][r] = t[1]; cpu[i][r] = (os.getProcessCpuTime() - c0) / 1e6; main[i][r] = (tm.getCurrentThreadCpuTime() - m0) / 1e6;
            }
        }
        for (int i = 0; i < ns.length; i++) {
            String rat = "";
            if (i > 0) rat = String.format("ratios wall %.2f cpu %.2f main %.2f", med(wall[i]) / med(wall[i - 1]), med(cpu[i]) / med(cpu[i - 1]), med(main[i]) / med(main[i - 1]));
            System.out.printf("n=%6d wall %8.1f  cpu %8.1f  main-thread cpu %8.1f ms   %s%n", ns[i], med(wall[i]), med(cpu[i]), med(main[i]), rat);
        }
    }
    static double med(double[] x) { double[] s = x.clone(); Arrays.sort(s); return s[s.length / 2]; }
}
