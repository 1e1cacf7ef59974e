import dev.posenc.core.*;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
public class DwProbe {
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]); int rounds = Integer.parseInt(a[1]); String op = a.length > 2 ? a[2] : "dw3x3";
        int c = a.length > 3 ? Integer.parseInt(a[3]) : 16, s = a.length > 4 ? Integer.parseInt(a[4]) : 7;
        ConvCases.cpu = threads == 1;
        try (CpuBackend be = new CpuBackend(threads); Arena arena = Arena.ofShared()) {
            var k = be.conv();
            var cs = ConvCases.make(k, arena, op, c, s, rounds);
            long t0 = System.nanoTime();
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rounds; r++) {
                double t = ConvCases.time(cs.bwd());
                sb.append(String.format("%.0f ", t));
                if (r % 10 == 9) { System.out.printf("t=%5.1fs %s%n", (System.nanoTime() - t0) / 1e9, sb); sb.setLength(0); }
            }
        }
    }
}
