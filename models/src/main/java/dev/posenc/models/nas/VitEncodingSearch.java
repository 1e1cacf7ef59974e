package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.vit.VitConfig;
import dev.posenc.models.vit.VitTrainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One seed of {@code nas encoding --task vit}: which positional encoding should compare-pe's ViT use?
 * <ol>
 *   <li>ground truth: compare-pe's training ({@link VitTrainer}) of every candidate alone on the first
 *       {@code trainImages} training images for {@code epochs} epochs, ranked by test accuracy;</li>
 *   <li>a supernet ({@link VitSupernet}) trained by first-order DARTS for the same steps on the same images:
 *       each step α ← Adam(∇_α L) on a batch of the {@code valImages} training images that follow (the validation
 *       split), then w ← Adam(∇_w L) on a training batch, the same Adam as the ground truth's;</li>
 *   <li>α selection: argmax softmax(α); perturbation selection (DARTS-PT on this single edge): the candidate whose
 *       removal (its weight zeroed, not renormalised) lowers the supernet's validation accuracy most.</li>
 * </ol>
 * Scores are in % (the report's "accuracy" metric).
 */
public final class VitEncodingSearch {
    private VitEncodingSearch() {}

    /** Images per evaluation chunk (no gradients). */
    private static final int EVAL_CHUNK = 250;

    /**
     * @param config      the ViT, its Adam rate, batch, test images and seed (the encoding is ignored); its
     *                    trainLimit is the number of training images
     * @param valImages   validation images, taken after the training ones
     * @param epochs      passes over the training images, for every ground-truth run and for the supernet
     * @param archLr      α's Adam rate (DARTS's β = (0.5, 0.999), weight decay 10⁻³)
     */
    public record Settings(VitConfig config, int valImages, int epochs, float archLr) {
        public int steps() { return epochs * (config.trainLimit() / config.batch()); }
    }

    /**
     * @param train at least trainLimit + valImages training images
     * @param test  the test images (the first testLimit are used)
     */
    public static EncodingSearch.Result run(Backend backend, FashionMnist.Data train, FashionMnist.Data test,
                                            List<String> candidates, Settings settings, long seed, boolean checkFinite,
                                            ProgressBar bar) throws IOException {
        VitConfig c = settings.config().withSeed(seed);
        int k = candidates.size(), steps = settings.steps();
        double[] alone = new double[k];
        for (int i = 0; i < k; i++) {
            String name = candidates.get(i);
            bar.start(name + " alone", steps, ProgressBar.Metric.ACCURACY);
            VitTrainer.Result r = VitTrainer.train(backend, c.withEncoding(name), settings.epochs(), train, test, null, null,
                    checkFinite, bar::update);
            r.model().close();
            alone[i] = 100 * r.testAccuracy();
            bar.finish("seed %d %-8s alone: test accuracy %.2f %%".formatted(seed, name, alone[i]));
        }
        Batches trainSplit = new Batches(train, 0, c.trainLimit()), val = new Batches(train, c.trainLimit(), settings.valImages());
        try (Tape tape = new Tape(backend, checkFinite);
             VitSupernet net = new VitSupernet(c, candidates);
             ArchWeights arch = new ArchWeights(1, k, seed + 2);
             EncodingSearch.Adams adams = new EncodingSearch.Adams(net.stores(), AdamConfig.adam((float) c.lr()));
             Adam archAdam = new Adam(arch.store(), NasTrainer.archConfig(settings.archLr()))) {
            List<double[]> trace = new ArrayList<>();
            trace.add(EncodingSearch.tracePoint(0, arch.softmax(0)));
            int b = c.batch(), perEpoch = c.trainLimit() / b, side = train.rows();
            int[] labels = new int[b];
            Rng order = new Rng(seed ^ 0x0DA7A_5EA2CL);
            bar.start("supernet " + seed, steps, ProgressBar.Metric.NONE);
            for (int step = 1; step <= steps; step++) {
                int inEpoch = (step - 1) % perEpoch;
                if (inEpoch == 0) {
                    trainSplit.shuffle(order);
                    val.shuffle(order);
                }
                tape.reset();
                Tensor images = tape.alloc(Shape.of(b, side, side));
                val.fill((step - 1) % val.batchesPerPass(b), b, images, labels);
                arch.store().zeroGrad();
                tape.backward(Losses.crossEntropy(tape, net.forward(tape, tape.constant(images), arch.weights(tape)[0]), labels));
                archAdam.step(backend);
                tape.reset();
                images = tape.alloc(Shape.of(b, side, side));
                trainSplit.fill(inEpoch, b, images, labels);
                net.stores().forEach(ParameterStore::zeroGrad);
                Var loss = Losses.crossEntropy(tape, net.forward(tape, tape.constant(images), arch.weights(tape)[0]), labels);
                tape.backward(loss);
                adams.step(backend);
                double l = loss.value().get(0);
                if (!Double.isFinite(l)) throw new ArithmeticException("nas encoding: the supernet's loss diverged at step " + step);
                if (step % Math.max(1, steps / 50) == 0 || step == steps) trace.add(EncodingSearch.tracePoint(step, arch.softmax(0)));
                bar.update(step, l, Double.NaN);
            }
            double supernetVal = accuracy(tape, net, arch, val, -1);
            double[] masked = new double[k];
            for (int i = 0; i < k; i++) masked[i] = accuracy(tape, net, arch, val, i);
            List<EncodingSearch.Row> rows = EncodingSearch.select("vit", seed, candidates, alone, masked, arch.softmax(0));
            bar.finish("seed %d supernet: val accuracy %.2f %%; α picks %s, perturbation picks %s".formatted(seed, supernetVal,
                    rows.get(0).chosen(), rows.get(1).chosen()));
            return new EncodingSearch.Result("vit", seed, candidates, "accuracy", alone, masked, supernetVal, trace, rows);
        }
    }

    /** Supernet accuracy (%) on {@code data}, candidate {@code masked} removed (−1: none), without gradients. */
    private static double accuracy(Tape tape, VitSupernet net, ArchWeights arch, Batches data, int masked) {
        int correct = 0, side = data.side();
        try (var _ = tape.noGrad()) {
            for (int chunk = 0; chunk < data.evalBatches(EVAL_CHUNK); chunk++) {
                tape.reset();
                int n = data.evalBatchSize(chunk, EVAL_CHUNK);
                Tensor images = tape.alloc(Shape.of(n, side, side));
                int[] labels = new int[n];
                data.fill(chunk, EVAL_CHUNK, images, labels);
                Var w = arch.weights(tape, masked < 0 ? -1 : 0, masked)[0];
                Tensor logits = net.forward(tape, tape.constant(images), w).value();
                for (int i = 0; i < n; i++) if (argmax(logits, i) == labels[i]) correct++;
            }
        }
        return 100.0 * correct / data.size();
    }

    private static int argmax(Tensor logits, int row) {
        int best = 0;
        for (int c = 1; c < logits.cols(); c++) if (logits.get(row, c) > logits.get(row, best)) best = c;
        return best;
    }
}
