package dev.posenc.bench;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * posenc against OpenBLAS sgemm, interleaved call by call in one JVM: round r times one posenc product, then
 * one OpenBLAS product on the same tensors, and the ratio of the two is taken per round. On a shared machine
 * JMH's forks measure the two at different moments, so a load swing between them moves the ratio; here both
 * calls of a round see the same load, and the median over rounds is the figure to quote (JMH's absolute times
 * stay the figure for a quiet machine).
 *
 * <p>Run: {@code java <flags> -cp bench/target/benchmarks.jar dev.posenc.bench.MatmulRatio [ROUNDS] [MxKxN...]}
 * (with OPENBLAS_CORETYPE=SkylakeX on AVX-512 machines). Prints one Markdown row per shape and thread count.
 */
public final class MatmulRatio {
    private MatmulRatio() {}

    static final List<String> DEFAULT_SHAPES = List.of("256x256x256", "512x512x512", "1024x1024x1024",
            "2048x2048x2048", "65536x256x256");

    /** Warm-up wall time per implementation before timing: past C2's compiles of every kernel method. */
    static final long WARMUP_NANOS = 3_000_000_000L;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<String> shapes = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : DEFAULT_SHAPES;
        System.out.println("| M×K×N | threads | posenc GFLOP/s median [min, max] | OpenBLAS GFLOP/s median [min, max] "
                + "| ratio median [min, max] | rounds |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String mkn : shapes) {
            for (int threads : new int[] {1, 2}) System.out.println(row(mkn, threads, rounds));
        }
    }

    static String row(String mkn, int threads, int rounds) {
        int[] s = MatmulBench.parse(mkn);
        int m = s[0], k = s[1], n = s[2];
        double flop = 2.0 * m * n * k;
        try (Arena arena = Arena.ofShared(); CpuBackend backend = new CpuBackend(threads)) {
            Rng rng = new Rng(1);
            Tensor a = rng.normal(arena, Shape.of(m, k)), b = rng.normal(arena, Shape.of(k, n));
            Tensor out = Tensor.zeros(arena, m, n), reference = Tensor.zeros(arena, m, n);
            OpenBlasPeer.threads(threads);
            OpenBlasPeer peer = new OpenBlasPeer(reference, a, b, MatmulForm.NN);
            Runnable posenc = () -> backend.matmul(out, a, b, MatmulForm.NN, false);
            Runnable blas = () -> peer.run(false);
            warm(posenc);
            warm(blas);
            Compare c = Compare.of(reference, out, MatmulBench.CHECK_ATOL * Math.sqrt(k), MatmulBench.CHECK_RTOL);
            if (!c.ok()) throw new IllegalStateException("posenc disagrees with OpenBLAS at " + mkn + ": " + c.describe());
            double[] ours = new double[rounds], theirs = new double[rounds], ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ours[r] = flop / time(posenc) / 1e9;
                theirs[r] = flop / time(blas) / 1e9;
                ratio[r] = ours[r] / theirs[r];
            }
            return "| %s | %d | %s | %s | %s | %d |".formatted(mkn, threads, span(ours, "%.1f"), span(theirs, "%.1f"),
                    span(ratio, "%.2f"), rounds);
        }
    }

    private static void warm(Runnable product) {
        long end = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < end) product.run();
    }

    /** Seconds per product: enough repetitions to fill 100 ms, so that a short product is not timer noise. */
    private static double time(Runnable product) {
        long t0 = System.nanoTime();
        product.run();
        long once = Math.max(1, System.nanoTime() - t0);
        int reps = (int) Math.max(1, Math.min(1000, 100_000_000L / once));
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) product.run();
        return (System.nanoTime() - start) / 1e9 / reps;
    }

    private static String span(double[] values, String format) {
        double[] v = values.clone();
        Arrays.sort(v);
        List<String> parts = new ArrayList<>();
        for (double x : new double[] {v[v.length / 2], v[0], v[v.length - 1]}) parts.add(format.formatted(x));
        return "%s [%s, %s]".formatted(parts.get(0), parts.get(1), parts.get(2));
    }
}
