import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
public class AllocOne {
    public static void main(String[] a) {
        try (CpuBackend be = new CpuBackend(1); Arena arena = Arena.ofShared()) {
            var c = ConvCases.make(be.conv(), arena, a[0], Integer.parseInt(a[1]), Integer.parseInt(a[2]), 1);
            Runnable r = a[3].equals("fwd") ? c.fwd() : c.bwd();
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < Long.getLong("ns", 6_000_000_000L)) r.run();
        }
    }
}
