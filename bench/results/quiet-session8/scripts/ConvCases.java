// The DARTS toy's convolution-family cases (ConvBench's ops and shapes: batch 64) and the timed loop, shared by
// ConvInterleaved.java and ConvAB.java (the source launcher compiles this file when they refer to it). Needs core only.
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;

public class ConvCases {
    /** One op on one shape: its forward and backward bodies and their times per round, [pass][round]. */
    record Case(String op, int c, int s, Runnable fwd, Runnable bwd, double[][] t) {}

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
