// The DARTS toy's convolution-family kernels (ConvBench's ops and shapes: batch 64; C = 8 at 14×14, 16 at 7×7),
// timed in one JVM with every op and shape interleaved round by round, so a load change hits all of them alike.
// Per op, shape and pass: the median and the range over the rounds of the mean time of a ~100 ms loop, µs per call;
// on 1 thread the loop's thread CPU time (the figure that survives a loaded machine), else its wall clock.
// Run (after ./posenc bench --list has built the jar):
//   java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
//        -cp bench/target/benchmarks.jar bench/scripts/ConvInterleaved.java [threads] [rounds] [op...]
// Peer: bench/pytorch/conv_ops.py (same shapes and passes). The cases and the timed loop: ConvCases.java.
import dev.posenc.core.ConvKernels;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class ConvInterleaved {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        ConvCases.cpu = threads == 1;
        List<String> ops = args.length > 2 ? Arrays.asList(args).subList(2, args.length)
                : List.of("conv3x3", "dw3x3", "dw3x3d2", "conv1x1", "avgpool", "maxpool", "batchnorm");
        try (CpuBackend be = new CpuBackend(threads); Arena arena = Arena.ofShared()) {
            ConvKernels k = be.conv();
            List<ConvCases.Case> cases = new ArrayList<>();
            for (String op : ops)
                for (int[] cs : new int[][] {{8, 14}, {16, 7}}) cases.add(ConvCases.make(k, arena, op, cs[0], cs[1], rounds));
            for (ConvCases.Case c : cases) for (int i = 0; i < 300; i++) { c.fwd().run(); c.bwd().run(); }   // C2 before timing
            for (int r = 0; r < rounds; r++)
                for (ConvCases.Case c : cases) {
                    c.t()[0][r] = ConvCases.time(c.fwd());
                    c.t()[1][r] = ConvCases.time(c.bwd());
                }
            System.out.printf("%d threads (%s), %d rounds; µs per call, median [min, max] over rounds%n", threads,
                    ConvCases.cpu ? "thread CPU time" : "wall clock", rounds);
            for (ConvCases.Case c : cases)
                for (int pass = 0; pass < 2; pass++) {
                    double[] t = c.t()[pass].clone();
                    Arrays.sort(t);
                    System.out.printf("%-10s %2dx%-3d %-8s median %9.1f  [%.1f, %.1f]%n", c.op(), c.c(), c.s(),
                            pass == 0 ? "forward" : "backward", t[t.length / 2], t[0], t[t.length - 1]);
                }
        }
    }
}
