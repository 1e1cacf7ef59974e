// kernel-rpe's time(2n)/time(n) measured as attention-scaling measures it (AttentionScaling.measure: one head,
// q, k, v of width 64, PRF m = 64, forward + backward), but with the lengths interleaved: each round runs every n
// once, in ascending order, so a doubling's two runs see the same load. Each n keeps one tape, reset between runs and
// run once untimed first, as attention-scaling's repeats and a training loop reuse theirs. Prints, per n, the median and min of
// forward + backward over the rounds, and per doubling the median of the per-round ratios (the figure to trust on
// a loaded machine) next to the ratio of the medians. Backend: the CPU on all cores, as the CLI builds it.
// Run (after ./posenc bench --list has built the jar):
//   java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
//        bench/scripts/RpeScalingInterleaved.java [rounds] [n...]        (default: 5 rounds of 4096 … 65536; on a loaded
//        machine, e.g. 3 4096 8192 16384 32768)
import dev.posenc.autograd.Tape;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.seq.AttentionKind;
import dev.posenc.models.seq.AttentionScaling;
import java.util.Arrays;

public class RpeScalingInterleaved {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] ns = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).sorted().toArray()
                : new int[] {4096, 8192, 16384, 32768, 65536};
        double[][] train = new double[ns.length][rounds], fwd = new double[ns.length][rounds];
        try (CpuBackend be = new CpuBackend(Runtime.getRuntime().availableProcessors())) {
            System.out.println(be.describe());
            // warm-up: JIT and first allocations at the smallest n, as attention-scaling does (every n would cost minutes)
            for (int w = 0; w < 2; w++) AttentionScaling.measure(be, AttentionKind.KERNEL_RPE, ns[0], 64, 64, 0);
            Tape[] tapes = new Tape[ns.length];
            for (int i = 0; i < ns.length; i++) {
                tapes[i] = new Tape(be);
                AttentionScaling.measure(be, tapes[i], AttentionKind.KERNEL_RPE, ns[i], 64, 64, 0);   // first touch
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < ns.length; i++) {
                    double[] t = AttentionScaling.measure(be, tapes[i], AttentionKind.KERNEL_RPE, ns[i], 64, 64, r + 1);
                    fwd[i][r] = t[0];
                    train[i][r] = t[1];
                }
                System.out.printf("round %d, forward + backward ms: %s%n", r, row(train, ns, r));
            }
            for (Tape t : tapes) t.close();
        }
        System.out.printf("%-7s %14s %12s %14s %24s %18s%n", "n", "fwd median ms", "train median", "train min ms", "per-round ratio median", "ratio of medians");
        for (int i = 0; i < ns.length; i++) {
            String ratio = "", ofMedians = "";
            if (i > 0 && ns[i] == 2 * ns[i - 1]) {
                double[] q = new double[rounds];
                for (int r = 0; r < rounds; r++) q[r] = train[i][r] / train[i - 1][r];
                ratio = String.format("%.2f (%.2f–%.2f)", median(q), min(q), max(q));
                ofMedians = String.format("%.2f", median(train[i]) / median(train[i - 1]));
            }
            System.out.printf("%-7d %14.1f %12.1f %14.1f %24s %18s%n", ns[i], median(fwd[i]), median(train[i]), min(train[i]), ratio, ofMedians);
        }
    }

    static String row(double[][] t, int[] ns, int r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ns.length; i++) b.append(String.format("n=%d %.0f  ", ns[i], t[i][r]));
        return b.toString();
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] x) { return Arrays.stream(x).min().orElse(Double.NaN); }

    static double max(double[] x) { return Arrays.stream(x).max().orElse(Double.NaN); }
}
