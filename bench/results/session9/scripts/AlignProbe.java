package dev.posenc.kernels;
// Session 9: the matmul workspace packs' recorded against actual 64-byte alignment, before and after GCs move them;
// javac -cp bench/target/benchmarks.jar -d OUT AlignProbe.java, then java ... -cp OUT:bench/target/benchmarks.jar
// dev.posenc.kernels.AlignProbe M K N FORM ROUNDS (with -XX:+UseSerialGC to see the half-speed case).

import dev.posenc.core.*;
import java.lang.foreign.Arena;

public class AlignProbe {
    public static void main(String[] args) throws Exception {
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        MatmulForm f = MatmulForm.valueOf(args[3]);
        int rounds = Integer.parseInt(args[4]);
        try (Arena arena = Arena.ofShared()) {
            Parallel p = new Parallel(1);
            Rng rng = new Rng(1);
            Tensor a = rng.normal(arena, f == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
            Tensor b = rng.normal(arena, f == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
            Tensor out = Tensor.zeros(arena, m, n);
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) MatmulBlocked.multiply(p, false, out, a, b, f, false, m, n, k);
            double flop = 2.0 * m * n * k;
            for (int r = 0; r < rounds; r++) {
                MatmulBlocked.Workspace w = p.workspace();
                String al = "A %d/%d B %d/%d ct %d/%d".formatted(w.aStart(), ArrayAlignment.alignedStart(w.packA(0)),
                        w.bStart(), ArrayAlignment.alignedStart(w.packB(0)), w.ctStart(), ArrayAlignment.alignedStart(w.ct(0)));
                long t0 = System.nanoTime(); int c = 0;
                while (System.nanoTime() - t0 < 1_000_000_000L) { MatmulBlocked.multiply(p, false, out, a, b, f, false, m, n, k); c++; }
                System.out.printf("%s  %.1f GFLOP/s%n", al, flop * c / (System.nanoTime() - t0));
                System.gc();
                byte[][] junk = new byte[64][]; for (int i = 0; i < 64; i++) junk[i] = new byte[1 << 16 + (r * 7 + i) % 5];
            }
            p.close();
        }
    }
}
