package dev.posenc.bench;

import dev.posenc.kernels.FftCpu;
import dev.posenc.kernels.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.FloatFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * posenc's FFT ({@link FftCpu}) against JTransforms 3.1 (FloatFFT_1D, the peer; bench-only) on real forward
 * transforms, everything on ONE thread (JTransforms' own threads are switched off with
 * {@code ConcurrencyUtils.setNumberOfThreads(1)}; posenc's rows run on a {@code Parallel(1)}):
 * <ul>
 *   <li>{@code real}: one real transform of n = 2¹⁰ … 2¹⁶ (half spectrum out). JTransforms transforms in place, so
 *       each call first copies the input into its buffer (n floats: under 4% of its time at 2¹⁶); posenc reads x
 *       and writes two (n/2 + 1) arrays.</li>
 *   <li>{@code rows}: 1024 real transforms of 256 (row-major in, half spectra out): posenc's batched route
 *       against JTransforms row by row (copy + realForward per row).</li>
 * </ul>
 * GFLOP/s = 2.5·n·log₂n per real transform / time. Each trial first checks that both give the same spectrum.
 * Run: {@code ./posenc bench fft --quick}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FftBench {
    /** Both spectra against each other, relative to the largest |X|: a few float ulps times log₂n. */
    static final double AGREE_RTOL = 1e-5;

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** Fails the trial when posenc's half spectrum (re, im) differs from JTransforms' packed one. */
    static void check(float[] re, float[] im, float[] packed, int n) {
        double max = 0, err = 0;
        for (int k = 0; k <= n / 2; k++) {
            float pr = k == 0 ? packed[0] : k == n / 2 ? packed[1] : packed[2 * k];
            float pi = k == 0 || k == n / 2 ? 0 : packed[2 * k + 1];
            max = Math.max(max, Math.hypot(pr, pi));
            err = Math.max(err, Math.hypot(re[k] - pr, im[k] - pi));
        }
        if (err > AGREE_RTOL * max) throw new IllegalStateException(
                "FftBench: posenc and JTransforms differ by %.3g (max |X| %.3g) at n = %d".formatted(err, max, n));
    }

    @State(Scope.Benchmark)
    public static class Single {
        @Param({"1024", "2048", "4096", "8192", "16384", "32768", "65536"})
        int n;
        @Param({"posenc", "jtransforms"})
        String impl;
        float[] x, re, im, work;
        FloatFFT_1D peer;

        @Setup(Level.Trial)
        public void setUp() {
            ConcurrencyUtils.setNumberOfThreads(1);
            x = random(n, n);
            re = new float[n / 2 + 1];
            im = new float[n / 2 + 1];
            work = new float[n];
            peer = new FloatFFT_1D(n);
            FftCpu.realForward(x, n, re, im);
            System.arraycopy(x, 0, work, 0, n);
            peer.realForward(work);
            check(re, im, work, n);
        }

        void run() {
            if (impl.equals("posenc")) {
                FftCpu.realForward(x, n, re, im);
            } else {
                System.arraycopy(x, 0, work, 0, n);
                peer.realForward(work);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Rows {
        static final int ROWS = 1024, N = 256;
        @Param({"posenc", "jtransforms"})
        String impl;
        float[] x, re, im, work;
        FloatFFT_1D peer;
        Parallel parallel;

        @Setup(Level.Trial)
        public void setUp() {
            ConcurrencyUtils.setNumberOfThreads(1);
            parallel = new Parallel(1);
            x = random(ROWS * N, 1);
            re = new float[ROWS * (N / 2 + 1)];
            im = new float[ROWS * (N / 2 + 1)];
            work = new float[ROWS * N];
            peer = new FloatFFT_1D(N);
            FftCpu.realForwardRows(parallel, x, re, im, ROWS, N);
            peerRows();
            for (int r = 0; r < ROWS; r++) {
                float[] packed = java.util.Arrays.copyOfRange(work, r * N, (r + 1) * N);
                check(java.util.Arrays.copyOfRange(re, r * (N / 2 + 1), (r + 1) * (N / 2 + 1)),
                        java.util.Arrays.copyOfRange(im, r * (N / 2 + 1), (r + 1) * (N / 2 + 1)), packed, N);
            }
        }

        private void peerRows() {
            System.arraycopy(x, 0, work, 0, x.length);
            for (int r = 0; r < ROWS; r++) peer.realForward(work, r * N);
        }

        void run() {
            if (impl.equals("posenc")) FftCpu.realForwardRows(parallel, x, re, im, ROWS, N);
            else peerRows();
        }

        @TearDown(Level.Trial)
        public void tearDown() { parallel.close(); }
    }

    @Benchmark
    public void real(Single s) { s.run(); }

    @Benchmark
    public void rows(Rows r) { r.run(); }
}
