import dev.posenc.autograd.Tape;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.seq.*;
public class Prof6 {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), runs = Integer.parseInt(a[1]);
        try (CpuBackend be = new CpuBackend(Integer.getInteger("threads", 2))) {
            for (int w = 0; w < 3; w++) AttentionScaling.measure(be, AttentionKind.KERNEL_RPE, 4096, 64, 64, 0);
            Tape tape = new Tape(be);
            AttentionScaling.measure(be, tape, AttentionKind.KERNEL_RPE, n, 64, 64, 0);
            for (int r = 0; r < runs; r++) { double[] t = AttentionScaling.measure(be, tape, AttentionKind.KERNEL_RPE, n, 64, 64, r + 1); System.out.printf("n=%d run %d: %.0f ms%n", n, r, t[1]); }
            tape.close();
        }
    }
}
