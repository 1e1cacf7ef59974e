import dev.posenc.autograd.Tape;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.seq.*;
import one.profiler.AsyncProfiler;
public class Prof {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), runs = Integer.parseInt(a[1]);
        try (CpuBackend be = new CpuBackend(2)) {
            for (int w = 0; w < 3; w++) AttentionScaling.measure(be, AttentionKind.KERNEL_RPE, 4096, 64, 64, 0);
            Tape tape = new Tape(be);
            AttentionScaling.measure(be, tape, AttentionKind.KERNEL_RPE, n, 64, 64, 0);
            AsyncProfiler p = AsyncProfiler.getInstance("/tmp/perf-ap/linux-x64/libasyncProfiler.so");
            p.execute("start,event=cpu,interval=2ms");
            double tot = 0;
            for (int r = 0; r < runs; r++) { double[] t = AttentionScaling.measure(be, tape, AttentionKind.KERNEL_RPE, n, 64, 64, r + 1); tot += t[1]; System.out.printf("n=%d run %d: %.0f ms%n", n, r, t[1]); }
            p.execute("stop,file=" + a[2] + ",collapsed");
            tape.close();
        }
    }
}
