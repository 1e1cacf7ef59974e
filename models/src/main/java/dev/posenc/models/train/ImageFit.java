package dev.posenc.models.train;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.HostMemory;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.core.io.RgbImage;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.optim.Adam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 2-D image regression, Tancik et al.'s protocol (spec §2.2, the notebook's "Paper Experiments" cell):
 * <ul>
 *   <li>the image, resized to size × size ({@link ImageResize}), pixel (r, c) at position (c/size, r/size)
 *       in [0, 1);</li>
 *   <li>train on the even-even pixels ((size/2)² of them, full batch every step), test on the odd-odd ones
 *       (another quarter; the other half of the pixels is never used, as in the notebook);</li>
 *   <li>the network {@link Mlp#tancik} (3 × [Dense(256) + ReLU] + Dense(3) + sigmoid) on the encoding;</li>
 *   <li>loss 0.5·mean((f − y)²), PSNR = −10·log10(2·loss) = −10·log10(MSE); Adam at the encoding's rate
 *       ({@link FitConfig#learningRate}).</li>
 * </ul>
 * Memory: positions and targets are allocated once, in the backend's memory (uploaded once on a device), as are
 * the weights, gradients and Adam's moments; a step reads back only its loss. The training step runs on ONE tape, reset each step,
 * so after the first step a step allocates no native memory ({@link FitResult#allocationsAfterWarmup}),
 * and evaluations reuse a second tape in chunks.
 */
public final class ImageFit {
    private ImageFit() {}

    /** Evaluation forward passes run this many rows at a time (bounds the evaluation tape's slab). */
    static final int EVAL_CHUNK_ROWS = 8192;

    /** Called after every step: the step just taken (1-based), its loss (0.5·MSE), and the latest test PSNR. */
    @FunctionalInterface
    public interface Progress {
        /** testPsnr is NaN until the first evaluation. */
        void update(int step, double loss, double testPsnr);

        Progress NONE = (step, loss, testPsnr) -> {};
    }

    /** The train and test pixels of an image: positions (n², 2) and RGB targets (n², 3), n = size/2. */
    record Split(Tensor trainXy, Tensor trainRgb, Tensor testXy, Tensor testRgb) {
        static Split of(Arena arena, RgbImage img) {
            int size = img.height(), n = size / 2;
            Tensor[] t = {Tensor.zeros(arena, Shape.of(n * n, 2)), Tensor.zeros(arena, Shape.of(n * n, 3)),
                    Tensor.zeros(arena, Shape.of(n * n, 2)), Tensor.zeros(arena, Shape.of(n * n, 3))};
            for (int odd = 0; odd < 2; odd++) {
                Tensor xy = t[2 * odd], rgb = t[2 * odd + 1];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        int r = 2 * i + odd, c = 2 * j + odd, row = i * n + j;
                        xy.set(row, 0, (float) c / size);
                        xy.set(row, 1, (float) r / size);
                        for (int ch = 0; ch < 3; ch++) rgb.set(row, ch, img.get(r, c, ch));
                    }
                }
            }
            return new Split(t[0], t[1], t[2], t[3]);
        }

        /** The same split in {@code memory} (itself for host memory; one upload per tensor for a device). */
        Split in(TensorMemory memory, TensorMemory.Region region) {
            return new Split(memory.resident(region, trainXy), memory.resident(region, trainRgb),
                    memory.resident(region, testXy), memory.resident(region, testRgb));
        }
    }

    /**
     * Fits {@code encoding} + Tancik's MLP to {@code image} (any size; resized to {@code config.size()}).
     * The caller owns the returned result (close it to free the model).
     *
     * @throws IllegalArgumentException for an unknown encoding or a bad hyperparameter, naming it
     */
    public static FitResult fit(Backend backend, RgbImage image, String encoding, FitConfig config, Progress progress) {
        return fit(backend, image, encoding, config, false, progress);
    }

    /**
     * {@link #fit(Backend, RgbImage, String, FitConfig, Progress)}; with {@code checkFinite}, every op of every
     * step (and evaluation) is checked for NaN/Inf by the tape, which names the first op that made one.
     *
     * @throws DivergedException at the first step whose loss is not finite (checked always: the loss is read
     *         anyway), at the op that made the first NaN/Inf (with checkFinite), or if the last update left a
     *         parameter non-finite
     */
    public static FitResult fit(Backend backend, RgbImage image, String encoding, FitConfig config, boolean checkFinite,
                                Progress progress) {
        try {
            return fit(backend, image, encoding, config, checkFinite, Checkpoints.NONE, progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);    // unreachable: without checkpoints nothing is read or written
        }
    }

    /**
     * Where and how often a fit writes its {@link FitCheckpoint}; a fit whose file exists continues from it.
     *
     * @param file  the checkpoint, or null for none
     * @param every write it after every this many steps (and after the last step); ignored without a file
     */
    public record Checkpoints(Path file, int every) {
        public static final Checkpoints NONE = new Checkpoints(null, 0);

        public Checkpoints {
            if (file != null && every <= 0) throw new IllegalArgumentException(
                    "checkpoints: every: expected > 0 steps, got " + every);
        }

        boolean dueAt(int step, int lastStep) { return file != null && (step % every == 0 || step == lastStep); }
    }

    /**
     * {@link #fit(Backend, RgbImage, String, FitConfig, boolean, Progress)} with checkpoints: if
     * {@code checkpoints.file()} exists, the fit continues from it (same bits as a run without a break); it is
     * rewritten every {@code checkpoints.every()} steps and after the last.
     *
     * @throws IllegalArgumentException if the checkpoint belongs to another run or is malformed (naming the field)
     * @throws IOException if the checkpoint cannot be read or written
     */
    public static FitResult fit(Backend backend, RgbImage image, String encoding, FitConfig config, boolean checkFinite,
                                Checkpoints checkpoints, Progress progress) throws IOException {
        long start = System.nanoTime();
        RgbImage img = ImageResize.toSquare(image, config.size());
        double lr = config.learningRate(encoding);
        CoordinateModel model = CoordinateModel.create(encoding, config.encodingParams(), Mlp.TANCIK_HIDDEN,
                new Rng(config.seed()));
        TensorMemory memory = backend.memory();
        try (Arena arena = Arena.ofShared(); TensorMemory.Region resident = memory.region();
             Tape tape = new Tape(backend, checkFinite); Tape evalTape = new Tape(backend, checkFinite);
             Adam adam = Adam.placed(model.store(), memory, AdamConfig.adam((float) lr))) {
            Split data = Split.of(arena, img).in(memory, resident);   // one upload, before the first step
            Tensor testPred = resident.zeros(data.testRgb().shape());
            Map<String, String> identity = FitCheckpoint.identity(model, config, lr, img);
            FitCheckpoint.State resumed = checkpoints.file() != null && Files.exists(checkpoints.file())
                    ? FitCheckpoint.restore(checkpoints.file(), model, adam, identity, config.steps())
                    : new FitCheckpoint.State(0, 0, List.of());
            List<FitResult.CurvePoint> curve = new ArrayList<>(resumed.curve());
            double testPsnr = curve.isEmpty() ? Double.NaN : curve.getLast().testPsnr();
            double trainPsnr = curve.isEmpty() ? Double.NaN : curve.getLast().trainPsnr();
            long stepNanos = resumed.stepNanos();
            int growthsAfterFirst = 0;
            String remedy = "a smaller --lr (this run: %.3g)".formatted(lr);
            int firstStep = resumed.steps() + 1;
            for (int step = firstStep; step <= config.steps(); step++) {
                long t0 = System.nanoTime();
                double loss;
                try {
                    loss = trainStep(backend, model, adam, tape, data);
                } catch (Tape.NonFiniteException e) {
                    throw DivergedException.atOp(encoding, step, e);
                }
                if (!Double.isFinite(loss)) throw DivergedException.atLoss(encoding, step, loss, remedy);
                stepNanos += System.nanoTime() - t0;
                if (step == firstStep) {
                    tape.reset(); // warm-up ends here: the reset folds the first step's buffers into one slab
                    growthsAfterFirst = tape.memoryGrowths();
                }
                trainPsnr = psnrOfMse(2 * loss);
                if (step % config.evalEvery() == 0 || step == config.steps()) {
                    try {
                        testPsnr = evaluate(backend, model, evalTape, data.testXy(), data.testRgb(), testPred);
                    } catch (Tape.NonFiniteException e) {
                        throw DivergedException.atOp(encoding, step, e);
                    }
                    curve.add(new FitResult.CurvePoint(step, trainPsnr, testPsnr));
                }
                progress.update(step, loss, testPsnr);
                if (checkpoints.dueAt(step, config.steps())) FitCheckpoint.write(checkpoints.file(), model, adam, identity,
                        new FitCheckpoint.State(step, stepNanos, curve));
            }
            if (curve.isEmpty() || curve.getLast().step() != config.steps()) {   // resumed at a step with no evaluation
                testPsnr = evaluate(backend, model, evalTape, data.testXy(), data.testRgb(), testPred);
                curve.add(new FitResult.CurvePoint(config.steps(), trainPsnr, testPsnr));
            }
            String bad = model.store().firstNonFinite(backend);   // the last update is seen by no loss
            if (bad != null) throw DivergedException.afterUpdate(encoding, config.steps(), bad, remedy);
            int allocations = tape.memoryGrowths() - growthsAfterFirst;
            Tensor trainPred = resident.zeros(data.trainRgb().shape());
            double finalTrain = evaluate(backend, model, evalTape, data.trainXy(), data.trainRgb(), trainPred);
            model.store().placeOn(HostMemory.INSTANCE);   // the caller renders and saves the model from the host
            double seconds = (System.nanoTime() - start) / 1e9;
            return new FitResult(encoding, config, lr, finalTrain, testPsnr, curve, seconds,
                    config.steps() / (stepNanos / 1e9), allocations, model);
        } catch (RuntimeException | Error | IOException e) {
            model.close();
            throw e;
        }
    }

    /** One full-batch Adam step; returns its loss 0.5·MSE (before the update). */
    static double trainStep(Backend backend, CoordinateModel model, Adam adam, Tape tape, Split data) {
        tape.reset();
        model.store().zeroGrad();
        Var pred = model.forward(tape, tape.constant(data.trainXy()));
        Var loss = Elementwise.scale(tape, Losses.mse(tape, pred, tape.constant(data.trainRgb())), 0.5f);
        tape.backward(loss);
        adam.step(backend);
        return backend.memory().read(loss.value(), 0);   // the step's one copy to the host: the loss scalar
    }

    /** PSNR (dB) of the model on (xy, rgb); pred is a scratch buffer of rgb's shape. */
    static double evaluate(Backend backend, CoordinateModel model, Tape tape, Tensor xy, Tensor rgb, Tensor pred) {
        model.predict(tape, xy, pred, EVAL_CHUNK_ROWS);
        return psnrOfMse(backend.mse(pred, rgb));
    }

    /** −10·log10(mse): images in [0, 1], so the peak is 1. */
    public static double psnrOfMse(double mse) { return -10 * Math.log10(mse); }
}
