package dev.posenc.kernels;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** gemm7 experiment: 1024³ NN product and the 14×32 tile alone with the packed buffers offset by 0..15 floats. */
public class AlignProbe {
    static final float[] BIG = new float[(8 << 20) / 4 + 64];
    static MatmulForm FORM;
    static final java.lang.foreign.MemorySegment SEG = Arena.ofAuto().allocate(4L * (256 * 32 + 64), 64);
    static { for (int i = 0; i < 256 * 32 + 64; i++) SEG.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (i % 5) * 0.01f); }
    public static void main(String[] args) throws Exception {
        String what = args[0];            // product-B, product-C, product-A, product-all, tile-B, tile-C
        int rounds = Integer.parseInt(args[1]), calls = Integer.parseInt(args[2]);
        int[] offs = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int size = 1024; String shape = args.length > 4 ? args[4] : "1024x1024x1024"; MatmulForm form = MatmulForm.valueOf(args.length > 5 ? args[5] : "NN"); FORM = form;
        var clocks = ManagementFactory.getThreadMXBean();
        double[][] wall = new double[offs.length][rounds], cpu = new double[offs.length][rounds];
        try (Arena arena = Arena.ofShared(); CpuBackend be = new CpuBackend(1)) {
            Rng rng = new Rng(1);
            String[] mkn = shape.split("x"); int m = Integer.parseInt(mkn[0]), k = Integer.parseInt(mkn[1]), n = Integer.parseInt(mkn[2]);
            Tensor a = rng.normal(arena, form == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k)), b = rng.normal(arena, form == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n)), out = Tensor.zeros(arena, m, n);
            float[] ap = new float[14 * 256 + 64], bp = new float[256 * 32 + 64], ct = new float[14 * 48 + 64];
            for (int i = 0; i < ap.length; i++) ap[i] = (i % 7) * 0.01f;
            for (int i = 0; i < bp.length; i++) bp[i] = (i % 5) * 0.01f;
            boolean tile = what.startsWith("tile");
            double flop = tile ? 2.0 * 14 * 32 * 256 : 2.0 * m * n * k;
            int reps = tile ? 2000 : 1;
            // warm-up 3 s over all offsets
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) for (int o : offs) one(what, o, be, out, a, b, ap, bp, ct, reps);
            for (int r = 0; r < rounds; r++) {
                for (int oi0 = 0; oi0 < offs.length; oi0++) {
                    int oi = (oi0 + r) % offs.length;       // rotate the order each round
                    double[] w = new double[calls], c = new double[calls];
                    for (int q = 0; q < calls; q++) {
                        long c0 = clocks.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                        one(what, offs[oi], be, out, a, b, ap, bp, ct, reps);
                        long dw = System.nanoTime() - t0, dc = clocks.getCurrentThreadCpuTime() - c0;
                        w[q] = flop * reps / dw; c[q] = flop * reps / dc;
                    }
                    Arrays.sort(w); Arrays.sort(c);
                    wall[oi][r] = w[calls / 2]; cpu[oi][r] = c[calls / 2];
                }
            }
        }
        System.out.printf("%s " + shape + " " + form + ", size %d, %d rounds x %d calls; per offset: median of round medians (GFLOP/s) wall / cpu [round cpu min, max]%n",
                what, size, rounds, calls);
        for (int oi = 0; oi < offs.length; oi++) {
            double[] w = wall[oi].clone(), c = cpu[oi].clone();
            Arrays.sort(w); Arrays.sort(c);
            int bytes = (16 + 4 * offs[oi]) % 64;
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) ratio[r] = cpu[oi][r] / cpu[0][r];
            Arrays.sort(ratio);
            System.out.printf("offset %2d (data at %2d mod 64 if base at 16): wall %.1f cpu %.1f [%.1f, %.1f]; cpu / offset %d per round %.3f [q1 %.3f, q3 %.3f]%n", offs[oi], bytes,
                    w[rounds / 2], c[rounds / 2], c[0], c[rounds - 1], offs[0], ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
        }
    }

    static void one(String what, int o, CpuBackend be, Tensor out, Tensor a, Tensor b, float[] ap, float[] bp, float[] ct, int reps) {
        switch (what) {
            case "product-B" -> { MatmulBlocked.probeB = o; }
            case "product-C" -> { MatmulBlocked.probeC = o; }
            case "product-A" -> { MatmulBlocked.probeA = o; }
            case "product-all" -> { MatmulBlocked.probeA = o; MatmulBlocked.probeB = o; MatmulBlocked.probeC = o; }
            default -> {}
        }
        if (what.startsWith("product")) { be.matmul(out, a, b, FORM, false); return; }
        if (what.equals("tile-stream")) {               // o = B buffer size in KiB; panels of 32 KiB walked in order
            int panels = o * 256 / 8192;
            for (int i = 0; i < reps; i++) MatmulMicrokernel.tile14x2(ap, 0, BIG, 12 + (i % panels) * 8192, 256, ct, 0, 48);
            return;
        }
        if (what.equals("tile-seg")) {
            for (int i = 0; i < reps; i++) SegTile.tile14x2Seg(ap, 0, SEG, 4L * o, 256, ct, 0, 48);
            return;
        }
        int bo = what.equals("tile-B") || what.equals("tile-all") ? o : 0, co = what.equals("tile-C") || what.equals("tile-all") ? o : 0;
        for (int i = 0; i < reps; i++) MatmulMicrokernel.tile14x2(ap, 0, bp, bo, 256, ct, co, 48);
    }
}
