package dev.posenc.bench;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.RgbImage;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.train.FitConfig;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The step-level bench of issue 13: one fit-image training step (forward, backward, Adam; the step of
 * {@code ImageFit.trainStep} on the astronaut's even-even pixels) timed after a warm-up, and the share of it spent
 * in matrix products, measured two ways: inside the step (each product clocked by {@link ProductTimingBackend}) and
 * alone (the same products, forms, shapes and accumulate flags, replayed back to back on fresh tensors). The
 * issue's target "step ≤ 1.3 × its products alone" is the last column. The PyTorch peer runs in
 * bench/scripts/perf_round.sh, which calls this class.
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
 *     -cp bench/target/benchmarks.jar dev.posenc.bench.StepBench [ENCODINGS [SIZE [THREADS [STEPS]]]]
 * </pre>
 * Defaults: gaussian,lff 256 2 30 (10 warm-up steps first). One line per encoding, then one per product form.
 */
public final class StepBench {
    private StepBench() {}

    private static final int WARMUP_STEPS = 10;

    public static void main(String[] args) {
        String[] encodings = (args.length > 0 ? args[0] : "gaussian,lff").split(",");
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        for (String encoding : encodings) run(encoding, size, threads, steps);
    }

    private static void run(String encoding, int size, int threads, int steps) {
        FitConfig config = FitConfig.defaults().withSize(size).withSigma(FitConfig.sigmaFor(size))
                .withScale(FitConfig.scaleFor(size)).withGamma(FitConfig.gammaFor(FitConfig.sigmaFor(size)));
        ProductTimingBackend backend = new ProductTimingBackend(new CpuBackend(threads));
        // CPU time of the whole process per step: under a loaded machine (other users' jobs) it moves far less
        // than wall time, so it is the figure to compare two versions by; the ratios to PyTorch use wall time.
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (backend; Arena arena = Arena.ofShared(); Tape tape = new Tape(backend);
             CoordinateModel model = CoordinateModel.create(encoding, config.encodingParams(), Mlp.TANCIK_HIDDEN,
                     new Rng(config.seed()));
             Adam adam = new Adam(model.store(), AdamConfig.adam((float) config.learningRate(encoding)))) {
            Tensor[] data = trainingPixels(arena, BuiltinImages.astronaut(size));
            double[] stepMs = new double[steps], inStepMs = new double[steps], cpuMs = new double[steps];
            int warmupGrowths = 0;
            for (int s = -WARMUP_STEPS; s < steps; s++) {
                if (s == 0) warmupGrowths = tape.memoryGrowths();   // the first step sizes the tape: not a per-step cost
                backend.restart();
                long t0 = System.nanoTime(), c0 = os.getProcessCpuTime();
                step(backend, model, adam, tape, data[0], data[1]);
                long t1 = System.nanoTime(), c1 = os.getProcessCpuTime();
                if (s >= 0) {
                    stepMs[s] = (t1 - t0) / 1e6;
                    cpuMs[s] = (c1 - c0) / 1e6;
                    inStepMs[s] = backend.productNanos() / 1e6;
                }
            }
            List<ProductTimingBackend.Call> calls = backend.calls();
            int growths = tape.memoryGrowths() - warmupGrowths;
            double[] aloneMs = replay(backend, arena, calls, steps);
            double step = median(stepMs), inStep = median(inStepMs), alone = median(aloneMs);
            System.out.printf(Locale.ROOT, "step %s %d² (%d rows) %d threads: %.1f ms/step median of %d [%.1f, %.1f]; "
                            + "products in the step %.1f ms (%.0f %%), the same %d products alone %.1f ms; "
                            + "step / products alone %.2f; process CPU %.1f ms/step; tape growths in the timed steps %d (warm-up %d)%n", encoding, size,
                    data[0].rows(), threads, step, steps, min(stepMs), max(stepMs), inStep, 100 * inStep / step,
                    calls.size(), alone, step / alone, median(cpuMs), growths, warmupGrowths);
            for (ProductTimingBackend.Call c : calls) {
                System.out.printf(Locale.ROOT, "  %s%s out %s = a %s · b %s%s%n", c.batched() ? "batched " : "",
                        c.form(), Arrays.toString(c.out()), Arrays.toString(c.a()), Arrays.toString(c.b()),
                        c.accumulate() ? " (accumulate)" : "");
            }
        }
    }

    /** The step of ImageFit.trainStep: loss 0.5·MSE, backward, one Adam update. */
    private static void step(Backend backend, CoordinateModel model, Adam adam, Tape tape, Tensor xy, Tensor rgb) {
        tape.reset();
        model.store().zeroGrad();
        Var pred = model.forward(tape, tape.constant(xy));
        Var loss = Elementwise.scale(tape, Losses.mse(tape, pred, tape.constant(rgb)), 0.5f);
        tape.backward(loss);
        adam.step(backend);
    }

    /** Positions (n², 2) and RGB (n², 3) of the even-even pixels, n = size/2, as fit-image trains on. */
    private static Tensor[] trainingPixels(Arena arena, RgbImage img) {
        int size = img.height(), n = size / 2;
        Tensor xy = Tensor.zeros(arena, Shape.of(n * n, 2)), rgb = Tensor.zeros(arena, Shape.of(n * n, 3));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int row = i * n + j;
                xy.set(row, 0, (float) (2 * j) / size);
                xy.set(row, 1, (float) (2 * i) / size);
                for (int ch = 0; ch < 3; ch++) rgb.set(row, ch, img.get(2 * i, 2 * j, ch));
            }
        }
        return new Tensor[] {xy, rgb};
    }

    /** Milliseconds per round of all {@code calls}, back to back on fresh seeded tensors, {@code rounds} rounds. */
    private static double[] replay(Backend backend, Arena arena, List<ProductTimingBackend.Call> calls, int rounds) {
        Rng rng = new Rng(1);
        List<Tensor[]> operands = new ArrayList<>();
        for (ProductTimingBackend.Call c : calls) {
            operands.add(new Tensor[] {rng.normal(arena, Shape.of(c.out())), rng.normal(arena, Shape.of(c.a())),
                    rng.normal(arena, Shape.of(c.b()))});
        }
        double[] ms = new double[rounds];
        for (int r = -WARMUP_STEPS; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls.size(); i++) {
                ProductTimingBackend.Call c = calls.get(i);
                Tensor[] t = operands.get(i);
                if (c.batched()) backend.batchedMatmul(t[0], t[1], t[2], c.form(), c.accumulate());
                else backend.matmul(t[0], t[1], t[2], c.form(), c.accumulate());
            }
            if (r >= 0) ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }
}
