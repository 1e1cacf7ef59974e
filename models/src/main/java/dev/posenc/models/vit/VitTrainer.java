package dev.posenc.models.vit;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.HostMemory;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.train.DivergedException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link Vit} on Fashion-MNIST: Adam at a constant rate, cross-entropy, minibatches in a seeded
 * order that changes every epoch ({@link #order}); test accuracy every {@code evalEvery} steps and at the end
 * of each epoch; a {@link VitCheckpoint} after each epoch, from which {@code resume} continues bit for bit.
 *
 * <p>Memory: the training step runs on one tape, reset every step (no allocation after the first), and the
 * batch is copied into one buffer; evaluation runs in chunks of {@value #EVAL_CHUNK} images on a second tape.
 */
public final class VitTrainer {
    private VitTrainer() {}

    static final int EVAL_CHUNK = 250;
    /** Test images {@link Vit#scales} is measured on. */
    static final int SCALE_PROBE_IMAGES = 256;
    /** Steps left out of {@link Result#steadyStepsPerSecond()}. */
    public static final int WARMUP_STEPS = 5;
    /** Salt of the data-order RNG, so it does not share draws with the weight initialisation's Rng(seed). */
    private static final long ORDER_SALT = 0x5EED_0F_DA7AL;
    /** Salt of the augmentation draws (cape2d), apart from the weights' and the data order's. */
    private static final long AUGMENT_SALT = 0xCA9E_A06L;

    /** Called after every step: its number (1-based), loss, and the test accuracy if just measured (else NaN). */
    @FunctionalInterface
    public interface Progress {
        void update(int step, double loss, double testAccuracy);

        Progress NONE = (step, loss, acc) -> {};
    }

    /**
     * What a run gave: the trained model (the caller closes it), the final test accuracy, the curve of (step,
     * test accuracy, mean training loss), training time (seconds in training steps, evaluation excluded), steps
     * taken in this process (a resumed run counts only its own), and {@link Vit#scales} on the first test images
     * at this process's start and end (at initialisation unless resumed).
     */
    public record Result(Vit model, double testAccuracy, List<CurvePoint> curve, int steps, double trainSeconds,
                         int stepsThisRun, double steadySeconds, Vit.Scales startScales, Vit.Scales endScales) {
        /** Training steps per second in this process, evaluation excluded. */
        public double stepsPerSecond() { return stepsThisRun / trainSeconds; }

        /**
         * Steps per second after the first {@value #WARMUP_STEPS} of this process (JIT compilation and the tape's
         * first allocations), as bench/pytorch/vit.py times PyTorch; NaN if there were no more steps.
         */
        public double steadyStepsPerSecond() {
            return stepsThisRun > WARMUP_STEPS ? (stepsThisRun - WARMUP_STEPS) / steadySeconds : Double.NaN;
        }

        /** The first evaluated step with test accuracy ≥ {@code target}, or −1 if none. */
        public int stepsToReach(double target) {
            for (CurvePoint p : curve) if (p.testAccuracy() >= target) return p.step();
            return -1;
        }
    }

    /**
     * Trains {@code config} for {@code epochs} epochs in total (a resumed run does only those left).
     *
     * @param checkpoint written after every epoch (atomically); null: none
     * @param resume     a checkpoint to continue from; null: start afresh
     */
    public static Result train(Backend backend, VitConfig config, int epochs, FashionMnist.Data train,
                               FashionMnist.Data test, Path checkpoint, Path resume, Progress progress)
            throws IOException {
        return train(backend, config, epochs, train, test, checkpoint, resume, false, progress);
    }

    /**
     * {@link #train(Backend, VitConfig, int, FashionMnist.Data, FashionMnist.Data, Path, Path, Progress)}; with
     * {@code checkFinite} the tape checks every op of every step for NaN/Inf and names the first op that made one.
     *
     * @throws DivergedException at the first step whose loss is not finite (always checked: the loss is read
     *         anyway), at the first op that made a NaN/Inf (with checkFinite), or if the last update left a
     *         parameter non-finite; no checkpoint of a diverged epoch is written
     * @throws IllegalArgumentException if {@code resume} holds a NaN or an infinity, naming the file
     */
    public static Result train(Backend backend, VitConfig config, int epochs, FashionMnist.Data train,
                               FashionMnist.Data test, Path checkpoint, Path resume, boolean checkFinite,
                               Progress progress) throws IOException {
        if (epochs <= 0) throw new IllegalArgumentException("vit: epochs: expected > 0, got " + epochs);
        int s = config.imageSize();
        if (train.rows() != s || train.cols() != s) throw new IllegalArgumentException(
                "vit: training images: expected %d × %d, got %d × %d".formatted(s, s, train.rows(), train.cols()));
        int n = Math.min(train.size(), config.trainLimit()), perEpoch = n / config.batch();
        if (perEpoch == 0) throw new IllegalArgumentException(
                "vit: batch: expected at most the %d training images, got %d".formatted(n, config.batch()));
        Vit model = new Vit(config);
        TensorMemory memory = backend.memory();
        try (TensorMemory.Region resident = memory.region(); Tape tape = new Tape(backend, checkFinite);
             Tape evalTape = new Tape(backend, checkFinite);
             Adam adam = Adam.placed(model.store(), memory, AdamConfig.adam((float) config.lr()))) {
            VitCheckpoint.State state = resume == null ? new VitCheckpoint.State(0, 0, new ArrayList<>())
                    : VitCheckpoint.restore(resume, model, adam, perEpoch);
            if (resume != null) requireFiniteCheckpoint(backend, resume, model, adam);
            String remedy = "a smaller --lr (this run: %.3g)".formatted(config.lr());
            List<CurvePoint> curve = new ArrayList<>(state.curve());
            int step = state.steps(), b = config.batch();
            // The training images and labels go to the backend once; each epoch's order goes once per epoch; a batch
            // is gathered there (on a device: two gather kernels, no host round trip). A step's one copy to the host
            // is its loss scalar.
            Tensor images = memory.resident(resident, train.images().rowRange(0, n)).reshape(n, s * s);
            Tensor labels = Losses.labels(memory, resident, java.util.Arrays.copyOf(train.labels(), n),
                    VitConfig.CLASSES);
            Tensor order = resident.zeros(Shape.of(n));
            Tensor batch = resident.zeros(Shape.of(b, s, s)), batchLabels = resident.zeros(Shape.of(b));
            double accuracy = curve.isEmpty() ? Double.NaN : curve.getLast().testAccuracy();
            double lossSum = 0;
            int lossCount = 0;
            Tensor probe = test.images().rowRange(0, Math.min(SCALE_PROBE_IMAGES, test.size()));
            Vit.Scales startScales = model.scales(evalTape, probe);
            long trainNanos = 0, steadyNanos = 0;
            int stepsThisRun = 0;
            for (int epoch = state.epochs(); epoch < epochs; epoch++) {
                fill(memory, order, order(config.seed(), epoch, n));
                for (int i = 0; i < perEpoch; i++) {
                    long t0 = System.nanoTime();
                    Tensor picked = order.view((long) i * b, Shape.of(b));
                    backend.gatherRows(batch.reshape(b, s * s), images, picked);
                    backend.gatherRows(batchLabels.reshape(b, 1), labels.reshape(n, 1), picked);
                    double loss;
                    try {
                        loss = step(backend, model, adam, tape, batch, batchLabels, augmentRng(config.seed(), step));
                    } catch (Tape.NonFiniteException e) {
                        throw DivergedException.atOp(config.encoding(), step + 1, e);
                    }
                    if (!Double.isFinite(loss)) throw DivergedException.atLoss(config.encoding(), step + 1, loss, remedy);
                    trainNanos += System.nanoTime() - t0;
                    if (stepsThisRun >= WARMUP_STEPS) steadyNanos += System.nanoTime() - t0;
                    step++;
                    stepsThisRun++;
                    lossSum += loss;
                    lossCount++;
                    double measured = Double.NaN;
                    if (step % config.evalEvery() == 0 || i == perEpoch - 1) {
                        try {
                            measured = accuracy = accuracy(model, evalTape, test, config.testLimit());
                        } catch (Tape.NonFiniteException e) {
                            throw DivergedException.atOp(config.encoding(), step, e);
                        }
                        curve.add(new CurvePoint(step, accuracy, lossSum / lossCount));
                        lossSum = 0;
                        lossCount = 0;
                    }
                    progress.update(step, loss, measured);
                }
                String bad = model.store().firstNonFinite(backend);     // the epoch's last update is seen by no loss
                if (bad != null) throw DivergedException.afterUpdate(config.encoding(), step, bad, remedy);
                if (checkpoint != null) VitCheckpoint.write(checkpoint, model, adam, new VitCheckpoint.State(epoch + 1,
                        step, curve));
            }
            if (Double.isNaN(accuracy)) accuracy = accuracy(model, evalTape, test, config.testLimit());
            model.store().placeOn(HostMemory.INSTANCE);   // the caller saves and studies the model on the host
            return new Result(model, accuracy, curve, step, trainNanos / 1e9, stepsThisRun, steadyNanos / 1e9,
                    startScales, model.scales(evalTape, probe));
        } catch (IOException | RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** A resumed run must not start from NaN weights or optimiser state: a damaged or diverged checkpoint. */
    private static void requireFiniteCheckpoint(Backend backend, Path file, Vit model, Adam adam) {
        String bad = model.store().firstNonFinite(backend);
        if (bad == null) {
            String m = ParameterStore.describeNonFinite(backend, adam.firstMoment());
            String v = ParameterStore.describeNonFinite(backend, adam.secondMoment());
            bad = m != null ? "Adam's first moment holds " + m : v != null ? "Adam's second moment holds " + v : null;
        }
        if (bad != null) throw new IllegalArgumentException(("checkpoint %s: %s; it cannot be resumed (saved from a "
                + "diverged run, or damaged); start afresh without --resume").formatted(file, bad));
    }

    /**
     * The draws of step {@code step}'s position augmentation (cape2d): a pure function of (seed, step), so a
     * resumed run augments as the uninterrupted one did.
     */
    static Rng augmentRng(long seed, int step) { return new Rng((seed ^ AUGMENT_SALT) + 0x9E3779B97F4A7C15L * step); }

    /**
     * One Adam step on a batch in training mode (an augmenting encoding draws from {@code augment}); returns its
     * mean cross-entropy (before the update).
     */
    static double step(Backend backend, Vit model, Adam adam, Tape tape, Tensor images, int[] labels, Rng augment) {
        return step(backend, model, adam, tape, images, augment, logits -> Losses.crossEntropy(tape, logits, labels));
    }

    /**
     * {@link #step(Backend, Vit, Adam, Tape, Tensor, int[], Rng)} with the labels (B) in backend memory as float
     * class indices ({@link Losses#labels}): on a device the step's one copy is its loss scalar.
     */
    static double step(Backend backend, Vit model, Adam adam, Tape tape, Tensor images, Tensor labels, Rng augment) {
        return step(backend, model, adam, tape, images, augment, logits -> Losses.crossEntropy(tape, logits, labels));
    }

    private static double step(Backend backend, Vit model, Adam adam, Tape tape, Tensor images, Rng augment,
                               java.util.function.UnaryOperator<Var> lossOfLogits) {
        tape.reset();
        model.store().zeroGrad();
        Var loss = lossOfLogits.apply(model.forward(tape, tape.constant(images), augment));
        tape.backward(loss);
        adam.step(backend);
        return backend.memory().read(loss.value(), 0);   // the step's one copy to the host: the loss scalar
    }

    /** dst (n) = the indices as floats (exact: n < 2²⁴ images); on a device one counted copy, once per epoch. */
    private static void fill(TensorMemory memory, Tensor dst, int[] indices) {
        try (Arena arena = Arena.ofConfined()) {
            Tensor host = Tensor.zeros(arena, dst.shape());
            for (int i = 0; i < indices.length; i++) host.set(i, indices[i]);
            memory.copy(dst, host);
        }
    }

    /**
     * Fraction of the first min(limit, size) images of {@code data} classified right, in chunks on {@code tape}
     * (reset per chunk, no gradients). Images may be of any size the model accepts.
     *
     * @throws dev.posenc.models.encodings.ExtrapolationException for a learned table at an unseen grid size
     */
    public static double accuracy(Vit model, Tape tape, FashionMnist.Data data, int limit) {
        int n = Math.min(limit, data.size()), correct = 0;
        try (var _ = tape.noGrad(); var _ = model.store().placedOn(tape.backend().memory())) {
            for (int from = 0; from < n; from += EVAL_CHUNK) {
                int to = Math.min(n, from + EVAL_CHUNK);
                tape.reset();
                Tensor logits = model.forward(tape, tape.constant(tape.upload(data.images().rowRange(from, to)))).value();
                try (Arena arena = Arena.ofConfined()) {   // a device's logits come back for the argmax
                    Tensor host = tape.backend().memory().toHost(arena, logits);
                    for (int i = 0; i < to - from; i++) if (argmax(host, i) == data.labels()[from + i]) correct++;
                }
            }
        }
        return (double) correct / n;
    }

    static int argmax(Tensor logits, int row) {
        int best = 0;
        for (int c = 1; c < logits.cols(); c++) if (logits.get(row, c) > logits.get(row, best)) best = c;
        return best;
    }

    /**
     * The order of the n training images in epoch {@code epoch}: a Fisher–Yates shuffle driven by draw
     * epoch + 1 of {@code Rng(seed ^ salt)}, so a pure function of (seed, epoch), which is all a resumed run needs.
     */
    static int[] order(long seed, int epoch, int n) {
        Rng rng = new Rng(seed ^ ORDER_SALT);
        long stream = 0;
        for (int e = 0; e <= epoch; e++) stream = rng.nextStream();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (Rng.unit(stream, i) * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
