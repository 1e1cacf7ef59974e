// The DARTS toy's convolution-family kernels (ConvBench's ops and shapes: batch 64; C = 8 at 14×14, 16 at 7×7),
// timed in one JVM with every op and shape interleaved round by round, so a load change hits all of them alike.
// Per op, shape and pass: the median and the range over the rounds of the mean time of a ~100 ms loop, µs per call;
// on 1 thread the loop's thread CPU time (the figure that survives a loaded machine), else its wall clock.
// Run (after ./posenc bench --list has built the jar):
//   java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
//        -cp bench/target/benchmarks.jar bench/scripts/ConvInterleaved.java [threads] [rounds] [op...]
// Peer: bench/pytorch/conv_ops.py (same shapes and passes).
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class ConvInterleaved {
    record Case(String op, int c, int s, Runnable fwd, Runnable bwd, double[][] t) {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        cpu = threads == 1;
        List<String> ops = args.length > 2 ? Arrays.asList(args).subList(2, args.length)
                : List.of("conv3x3", "dw3x3", "dw3x3d2", "conv1x1", "avgpool", "maxpool", "batchnorm");
        try (CpuBackend be = new CpuBackend(threads); Arena arena = Arena.ofShared()) {
            ConvKernels k = be.conv();
            List<Case> cases = new ArrayList<>();
            for (String op : ops)
                for (int[] cs : new int[][] {{8, 14}, {16, 7}}) cases.add(make(k, arena, op, cs[0], cs[1], rounds));
            for (Case c : cases) for (int i = 0; i < 300; i++) { c.fwd.run(); c.bwd.run(); }   // C2 before timing
            for (int r = 0; r < rounds; r++)
                for (Case c : cases) {
                    c.t[0][r] = time(c.fwd);
                    c.t[1][r] = time(c.bwd);
                }
            System.out.printf("%d threads (%s), %d rounds; µs per call, median [min, max] over rounds%n", threads,
                    cpu ? "thread CPU time" : "wall clock", rounds);
            for (Case c : cases)
                for (int pass = 0; pass < 2; pass++) {
                    double[] t = c.t[pass].clone();
                    Arrays.sort(t);
                    System.out.printf("%-10s %2dx%-3d %-8s median %9.1f  [%.1f, %.1f]%n", c.op, c.c, c.s,
                            pass == 0 ? "forward" : "backward", t[t.length / 2], t[0], t[t.length - 1]);
                }
        }
    }

    /** 1 thread: the calling thread's CPU time, which a loaded machine inflates least; else the wall clock. */
    static boolean cpu;
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    static long now() { return cpu ? MX.getCurrentThreadCpuTime() : System.nanoTime(); }

    static double time(Runnable r) {
        int n = 1;
        while (true) {
            long t0 = now();
            for (int i = 0; i < n; i++) r.run();
            long dt = now() - t0;
            if (dt > 100_000_000L) return dt / 1e3 / n;
            n *= 2;
        }
    }

    static Case make(ConvKernels k, Arena arena, String op, int c, int s, int rounds) {
        ConvGeometry g = switch (op) {
            case "dw3x3d2" -> new ConvGeometry(3, 1, 2, 2);
            case "conv1x1" -> ConvGeometry.of(1, 1, 0);
            default -> ConvGeometry.of(3, 1, 1);
        };
        Rng rng = new Rng(5);
        Tensor x = rng.normal(arena, Shape.of(64, c, s, s));
        Tensor w = op.startsWith("dw") ? rng.normal(arena, Shape.of(c, 3, 3)) : rng.normal(arena, Shape.of(c, c, g.kernel(), g.kernel()));
        Tensor out = Tensor.zeros(arena, x.shape()), arg = Tensor.zeros(arena, x.shape()), dOut = rng.normal(arena, x.shape()), dx = Tensor.zeros(arena, x.shape());
        Tensor dw = Tensor.zeros(arena, w.shape()), mean = Tensor.zeros(arena, c), rstd = Tensor.zeros(arena, c);
        Runnable fwd = switch (op) {
            case "conv3x3", "conv1x1" -> () -> k.conv2d(out, x, w, g);
            case "dw3x3", "dw3x3d2" -> () -> k.depthwiseConv2d(out, x, w, g);
            case "avgpool" -> () -> k.avgPool2d(out, x, g);
            case "maxpool" -> () -> k.maxPool2dWithArgmax(out, arg, x, g);
            default -> () -> k.batchNorm2d(out, mean, rstd, x, 1e-5f);
        };
        Runnable bwd = switch (op) {
            case "conv3x3", "conv1x1" -> () -> k.conv2dBackward(dx, dw, dOut, x, w, g);
            case "dw3x3", "dw3x3d2" -> () -> k.depthwiseConv2dBackward(dx, dw, dOut, x, w, g);
            case "avgpool" -> () -> k.avgPool2dBackward(dx, dOut, g);
            case "maxpool" -> () -> k.maxPool2dBackwardArgmax(dx, dOut, arg, g);
            default -> () -> k.batchNorm2dBackward(dx, dOut, x, rstd);
        };
        fwd.run();   // maxpool: the argmax its backward routes by
        return new Case(op, c, s, fwd, bwd, new double[2][rounds]);
    }
}
