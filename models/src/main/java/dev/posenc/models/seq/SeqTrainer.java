package dev.posenc.models.seq;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.vit.CurvePoint;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Trains a {@link SeqModel} on a {@link SeqTask}: Adam at a constant rate, cross-entropy, batches a pure function of
 * (seed, step); test accuracy every {@code evalEvery} steps and at the end. A non-finite loss stops the run and marks it
 * diverged (its accuracy is then the last one measured). One tape, reset every step; eval on a second tape in chunks.
 */
public final class SeqTrainer {
    private SeqTrainer() {}

    /** Steps left out of the step time (JIT, first allocations). */
    static final int WARMUP_STEPS = 3;
    /** Sequences per evaluation chunk: bounds the eval tape by this many sequences' activations. */
    static final int EVAL_TOKENS = 1 << 15;

    /** Called after every step with its number (1-based), loss, and the accuracy if just measured (else NaN). */
    @FunctionalInterface
    public interface Progress {
        void update(int step, double loss, double testAccuracy);
    }

    /** A finished run: final test accuracy, last window's mean loss, the curve, steady ms per step, divergence. */
    public record Result(AttentionKind attention, long seed, double testAccuracy, double finalLoss, int steps,
                         List<CurvePoint> curve, double stepMs, boolean diverged, SortedMap<Integer, Double> byLength) {}

    public static Result train(Backend backend, SeqTask task, SeqConfig config, Progress progress) {
        try (SeqModel model = new SeqModel(config, task); Arena data = Arena.ofShared();
             Tape tape = new Tape(backend); Tape evalTape = new Tape(backend);
             Adam adam = new Adam(model.store(), AdamConfig.adam((float) config.lr()))) {
            SeqTask.Batch test = task.testSet(data);
            List<CurvePoint> curve = new ArrayList<>();
            double lossSum = 0, accuracy = Double.NaN, lastLoss = Double.NaN;
            int lossCount = 0, step = 0;
            long steadyNanos = 0;
            boolean diverged = false;
            while (step < config.steps()) {
                double loss;
                long t0;
                try (Arena batchArena = Arena.ofShared()) {
                    SeqTask.Batch batch = task.trainBatch(batchArena, config.seed(), step, config.batch());
                    t0 = System.nanoTime();
                    tape.reset();
                    model.store().zeroGrad();
                    Var l = Losses.crossEntropy(tape, model.forward(tape, batch.inputs(), augmentRng(config.seed(), step)), batch.labels());
                    loss = l.value().get(0);
                    if (Double.isFinite(loss)) {
                        tape.backward(l);
                        adam.step(backend);
                    }
                }
                if (step >= WARMUP_STEPS) steadyNanos += System.nanoTime() - t0;
                step++;
                if (!Double.isFinite(loss)) {
                    diverged = true;
                    curve.add(new CurvePoint(step, accuracy, loss));
                    progress.update(step, loss, Double.NaN);
                    break;
                }
                lossSum += loss;
                lossCount++;
                double measured = Double.NaN;
                if (step % config.evalEvery() == 0 || step == config.steps()) {
                    measured = accuracy = accuracy(model, evalTape, task, test);
                    lastLoss = lossSum / lossCount;
                    curve.add(new CurvePoint(step, accuracy, lastLoss));
                    lossSum = 0;
                    lossCount = 0;
                }
                progress.update(step, loss, measured);
            }
            SortedMap<Integer, Double> byLength = new TreeMap<>();
            for (var e : task.lengthTests(data).entrySet()) byLength.put(e.getKey(), accuracy(model, evalTape, task, e.getValue()));
            double stepMs = step > WARMUP_STEPS ? steadyNanos / 1e6 / (step - WARMUP_STEPS) : Double.NaN;
            return new Result(config.attention(), config.seed(), accuracy, diverged ? Double.NaN : lastLoss, step, curve,
                    stepMs, diverged, byLength);
        }
    }

    /** The positions' augmentation draw of a step (cape1d), a pure function of (seed, step), apart from the batches'. */
    static Rng augmentRng(long seed, int step) { return new Rng((seed ^ AUGMENT_SALT) + 0x9E3779B97F4A7C15L * step); }

    private static final long AUGMENT_SALT = 0xCA9E_5EEDL;

    /** Fraction of the test labels predicted right (argmax), in chunks of about {@value #EVAL_TOKENS} tokens. */
    static double accuracy(SeqModel model, Tape tape, SeqTask task, SeqTask.Batch test) {
        int n = test.size(), chunk = Math.max(1, EVAL_TOKENS / test.inputs().shape().dim(1)), correct = 0;
        int perSeq = test.labels().length / n;
        try (var _ = tape.noGrad()) {
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                tape.reset();
                Tensor in = test.inputs().rowRange(from, to);
                Tensor logits = model.forward(tape, in).value();
                for (int r = 0; r < logits.rows(); r++) {
                    int best = 0;
                    for (int c = 1; c < logits.cols(); c++) if (logits.get(r, c) > logits.get(r, best)) best = c;
                    if (best == test.labels()[from * perSeq + r]) correct++;
                }
            }
        }
        return (double) correct / test.labels().length;
    }

}
