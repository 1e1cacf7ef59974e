// posenc's FFT and JTransforms timed alternately in one JVM, one thread each: rounds of (posenc block, JTransforms
// block), the min and median over rounds per side. On a shared, loaded machine JMH's separate forks see different
// load; alternating blocks see the same, so the ratio is the figure to trust there (bench/RESULTS.md).
// Run (after ./posenc bench --list has built the jar):
//   java --add-modules=jdk.incubator.vector -XX:-TieredCompilation -cp bench/target/benchmarks.jar \
//        bench/scripts/FftInterleaved.java
import dev.posenc.kernels.FftCpu;
import dev.posenc.kernels.Parallel;
import java.util.Arrays;
import org.jtransforms.fft.FloatFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

public class FftInterleaved {
    static final int ROUNDS = 21;

    public static void main(String[] args) {
        ConcurrencyUtils.setNumberOfThreads(1);
        System.out.printf("%-16s %12s %12s %14s %14s %8s%n", "case", "posenc min", "median", "jtransforms min", "median",
                "ratio");
        for (int e = 10; e <= 16; e++) {
            int n = 1 << e;
            float[] x = random(n), re = new float[n / 2 + 1], im = new float[n / 2 + 1], w = new float[n];
            FloatFFT_1D peer = new FloatFFT_1D(n);
            int reps = Math.max(20, 8_000_000 / n);
            report("real n=" + n, reps, () -> FftCpu.realForward(x, n, re, im), () -> {
                System.arraycopy(x, 0, w, 0, n);
                peer.realForward(w);
            });
        }
        int rows = 1024, n = 256;
        float[] x = random(rows * n), re = new float[rows * (n / 2 + 1)], im = new float[re.length], w = new float[x.length];
        FloatFFT_1D peer = new FloatFFT_1D(n);
        try (Parallel p = new Parallel(1)) {
            report("rows 1024x256", 20, () -> FftCpu.realForwardRows(p, x, re, im, rows, n), () -> {
                System.arraycopy(x, 0, w, 0, x.length);
                for (int r = 0; r < rows; r++) peer.realForward(w, r * n);
            });
        }
    }

    static float[] random(int n) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    static void report(String what, int reps, Runnable posenc, Runnable peer) {
        double[] a = new double[ROUNDS], b = new double[ROUNDS];
        for (int warm = 0; warm < 5; warm++) {   // let C2 compile both before the rounds that count
            for (int r = 0; r < reps; r++) posenc.run();
            for (int r = 0; r < reps; r++) peer.run();
        }
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) posenc.run();
            long t1 = System.nanoTime();
            for (int r = 0; r < reps; r++) peer.run();
            long t2 = System.nanoTime();
            a[round] = (t1 - t0) / 1e3 / reps;
            b[round] = (t2 - t1) / 1e3 / reps;
        }
        Arrays.sort(a);
        Arrays.sort(b);
        System.out.printf("%-16s %10.2f us %9.2f us %12.2f us %11.2f us %7.2fx%n", what, a[0], a[ROUNDS / 2], b[0],
                b[ROUNDS / 2], b[ROUNDS / 2] / a[ROUNDS / 2]);
    }
}
