import dev.posenc.core.*;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
public class AllocProbe {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    static void report(String name, Runnable r) {
        for (int i = 0; i < 5000; i++) r.run();
        long b0 = MX.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) r.run();
        System.out.printf("%-22s %8.0f bytes/call%n", name, (MX.getCurrentThreadAllocatedBytes() - b0) / 1000.0);
    }
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        try (CpuBackend be = new CpuBackend(threads); Arena arena = Arena.ofShared()) {
            var k = be.conv();
            for (String op : new String[] {"dw3x3", "dw3x3d2", "conv3x3", "conv1x1", "avgpool", "maxpool", "bn"})
                for (int[] cs : new int[][] {{8, 14}, {16, 7}}) {
                    var c = ConvCases.make(k, arena, op, cs[0], cs[1], 1);
                    report(op + " " + cs[0] + "x" + cs[1] + " fwd", c.fwd());
                    report(op + " " + cs[0] + "x" + cs[1] + " bwd", c.bwd());
                }
            Rng rng = new Rng(1);
            Tensor A = rng.normal(arena, Shape.of(4096, 256)), B = rng.normal(arena, Shape.of(256, 256)), C = Tensor.zeros(arena, Shape.of(4096, 256));
            report("matmul NN 4096x256x256", () -> be.matmul(C, A, B, MatmulForm.NN, false));
        }
    }
}
