package dev.posenc.kernels;
// Session 9 experiment: alternates MatmulBlocked blockings in one process. Compiles only against a tree where
// MatmulBlocked.MC and B_BLOCK_FLOATS are non-final static ints and nc() reads a static KG_BLOCKS (the experiment,
// not committed); javac -cp bench/target/benchmarks.jar -d OUT, then java ... -cp OUT:bench/target/benchmarks.jar.

import dev.posenc.core.*;
import java.lang.foreign.Arena;
import java.util.*;

/** Alternates driver configs (MC, B block) within one process on one product. args: m k n form threads rounds cfg... (cfg = mc/bblock) */
public class BlockAB {
    public static void main(String[] args) throws Exception {
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        MatmulForm f = MatmulForm.valueOf(args[3]);
        int threads = Integer.parseInt(args[4]), rounds = Integer.parseInt(args[5]);
        List<String> cfgs = Arrays.asList(args).subList(6, args.length);
        try (Arena arena = Arena.ofShared()) {
            Parallel p = new Parallel(threads);
            Rng rng = new Rng(1);
            Tensor a = rng.normal(arena, f == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
            Tensor b = rng.normal(arena, f == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
            Tensor out = Tensor.zeros(arena, m, n);
            double flop = 2.0 * m * n * k;
            double[][] g = new double[cfgs.size()][rounds];
            for (int r = -1; r < rounds; r++) {
                for (int c = 0; c < cfgs.size(); c++) {
                    String[] s = cfgs.get(c).split("/");
                    MatmulBlocked.MC = Integer.parseInt(s[0]); MatmulBlocked.B_BLOCK_FLOATS = Integer.parseInt(s[1]); MatmulBlocked.KG_BLOCKS = s.length > 2 ? Integer.parseInt(s[2]) : 4;
                    long dur = r < 0 ? 2_000_000_000L : 700_000_000L;
                    long t0 = System.nanoTime(); int calls = 0;
                    while (System.nanoTime() - t0 < dur) { MatmulBlocked.multiply(p, threads > 1, out, a, b, f, false, m, n, k); calls++; }
                    if (r >= 0) g[c][r] = flop * calls / (System.nanoTime() - t0);
                }
            }
            StringBuilder sb = new StringBuilder(m + "x" + k + "x" + n + " " + f + " t" + threads + ": ");
            for (int c = 0; c < cfgs.size(); c++) {
                double[] x = g[c].clone(); Arrays.sort(x);
                sb.append(String.format("%s %.0f [%.0f,%.0f]  ", cfgs.get(c), x[rounds / 2], x[0], x[rounds - 1]));
            }
            System.out.println(sb);
            p.close();
        }
    }
}
