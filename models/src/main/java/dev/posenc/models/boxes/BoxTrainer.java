package dev.posenc.models.boxes;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Tensor;
import dev.posenc.models.optim.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Trains a {@link BoxModel}: Adam at a constant rate, per-widget cross-entropy. Each step draws a widget count n
 * uniformly from [4, 16] and a batch of fresh screens of that count (an endless stream from the seed, so there is
 * no over-fitting to a fixed set); every {@code evalEvery} steps, per-widget accuracy on a fixed test set of
 * screens drawn from another stream of the same seed.
 */
public final class BoxTrainer {
    private BoxTrainer() {}

    /** Salt of the test screens' stream, apart from the training stream (the seed itself). */
    private static final long TEST_SALT = 0x7E57_B0E5L;
    public static final double TARGET = 0.9;

    /** Model and budget. */
    public record Config(int dim, int depth, int heads, double gamma, double lr, int batch, int steps, int evalEvery,
                         int testScreens) {}

    /** (step, test accuracy). */
    public record Point(int step, double accuracy) {}

    /** Final test accuracy, the curve, and the first evaluated step with accuracy ≥ 90 % (−1 if none). */
    public record Result(BoxVariant variant, long seed, double accuracy, int stepsTo90, List<Point> curve,
                         double seconds) {}

    @FunctionalInterface
    public interface Progress {
        void update(int step, double loss, double testAccuracy);
    }

    public static Result train(Backend backend, BoxVariant variant, Config c, long seed, Progress progress) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Screens.Screen> test = Screens.generate(seed ^ TEST_SALT, c.testScreens(), Screens.MIN_WIDGETS,
                Screens.MAX_WIDGETS);
        List<Point> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        try (BoxModel model = new BoxModel(variant, c.dim(), c.depth(), c.heads(), c.gamma(), seed);
             Tape tape = new Tape(backend); Tape evalTape = new Tape(backend);
             Adam adam = new Adam(model.store(), AdamConfig.adam((float) c.lr()))) {
            double accuracy = Double.NaN;
            for (int step = 1; step <= c.steps(); step++) {
                int n = Screens.MIN_WIDGETS + rng.nextInt(Screens.MAX_WIDGETS - Screens.MIN_WIDGETS + 1);
                List<Screens.Screen> batch = new ArrayList<>(c.batch());
                for (int i = 0; i < c.batch(); i++) batch.add(Screens.generate(rng, n));
                tape.reset();
                model.store().zeroGrad();
                Batch b = Batch.of(tape, batch);
                Var loss = Losses.crossEntropy(tape, model.forward(tape, b.boxes, b.types, n), b.labels);
                tape.backward(loss);
                adam.step(backend);
                double measured = Double.NaN;
                if (step % c.evalEvery() == 0 || step == c.steps()) {
                    measured = accuracy = accuracy(model, evalTape, test);
                    curve.add(new Point(step, accuracy));
                }
                progress.update(step, loss.value().get(0), measured);
            }
            int to90 = curve.stream().filter(p -> p.accuracy >= TARGET).mapToInt(Point::step).findFirst().orElse(-1);
            return new Result(variant, seed, accuracy, to90, curve, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Per-widget accuracy over {@code screens}, one batch per widget count. */
    static double accuracy(BoxModel model, Tape tape, List<Screens.Screen> screens) {
        TreeMap<Integer, List<Screens.Screen>> byCount = new TreeMap<>();
        for (Screens.Screen s : screens) byCount.computeIfAbsent(s.size(), k -> new ArrayList<>()).add(s);
        long correct = 0, total = 0;
        try (var _ = tape.noGrad()) {
            for (var e : byCount.entrySet()) {
                tape.reset();
                Batch b = Batch.of(tape, e.getValue());
                Tensor logits = model.forward(tape, b.boxes, b.types, e.getKey()).value();
                for (int r = 0; r < b.labels.length; r++) {
                    int best = 0;
                    for (int k = 1; k < logits.cols(); k++) if (logits.get(r, k) > logits.get(r, best)) best = k;
                    if (best == b.labels[r]) correct++;
                }
                total += b.labels.length;
            }
        }
        return (double) correct / total;
    }

    /** Screens of one widget count as rows: boxes (B·n, 4), types and labels (B·n). */
    private record Batch(Tensor boxes, int[] types, int[] labels) {
        static Batch of(Tape tape, List<Screens.Screen> screens) {
            int n = screens.getFirst().size(), rows = screens.size() * n;
            Tensor boxes = tape.alloc(rows, BoxModel.COORDS);
            int[] types = new int[rows], labels = new int[rows];
            for (int s = 0; s < screens.size(); s++) {
                Screens.Screen sc = screens.get(s);
                for (int i = 0; i < n; i++) {
                    int r = s * n + i;
                    for (int c = 0; c < BoxModel.COORDS; c++) boxes.set(r, c, (float) sc.boxes()[i][c]);
                    types[r] = sc.types()[i];
                    labels[r] = sc.labels()[i];
                }
            }
            return new Batch(boxes, types, labels);
        }
    }
}
