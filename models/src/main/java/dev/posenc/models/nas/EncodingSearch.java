package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.RgbImage;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.train.FitConfig;
import dev.posenc.models.train.FitResult;
import dev.posenc.models.train.ImageFit;
import dev.posenc.models.train.ImageResize;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One seed of {@code nas encoding --task fit-image}: which positional encoding should a coordinate network use?
 * <ol>
 *   <li>ground truth: fit-image's own run ({@link ImageFit}) of every candidate alone, ranked by test PSNR;</li>
 *   <li>a supernet ({@link EncodingSupernet}) trained by first-order DARTS: weights (Adam) on the even-even
 *       pixels, α (Adam) on the even-row odd-column pixels (a validation set that neither training nor test
 *       uses); test pixels are the odd-odd ones, as in fit-image;</li>
 *   <li>α selection: argmax α; perturbation selection (DARTS-PT on this single edge): the candidate whose removal
 *       lowers the supernet's validation PSNR most.</li>
 * </ol>
 */
public final class EncodingSearch {
    private EncodingSearch() {}

    /** Which encoding a selection chose, and its place in the ground truth's ranking (1 = best). */
    public record Row(String task, long seed, String selection, String chosen, int rank) {}

    /**
     * Everything a seed measured, in the task's metric ({@code psnr} in dB, or {@code accuracy} in %; higher is
     * better): each candidate's test score alone, the supernet's validation score without it, and with all.
     * alphaTrace rows are (step, softmax(α)_1..K).
     */
    public record Result(String task, long seed, List<String> candidates, String metric, double[] aloneTest,
                         double[] maskedVal, double supernetVal, List<double[]> alphaTrace, List<Row> rows) {}

    public static Result run(Backend backend, RgbImage image, List<String> candidates, FitConfig config, int steps,
                             float lr, float archLr, long seed, boolean checkFinite, ProgressBar bar) {
        FitConfig c = config.withSeed(seed);
        int k = candidates.size();
        double[] alone = new double[k];
        for (int i = 0; i < k; i++) {
            String name = candidates.get(i);
            bar.start(name + " alone", c.steps(), ProgressBar.Metric.PSNR_DB);
            try (FitResult r = ImageFit.fit(backend, image, name, c, checkFinite, bar::update)) {
                alone[i] = r.testPsnr();
                bar.finish("seed %d %-10s alone: test PSNR %.2f dB".formatted(seed, name, r.testPsnr()));
            }
        }
        RgbImage img = ImageResize.toSquare(image, c.size());
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend, checkFinite);
             EncodingSupernet net = new EncodingSupernet(candidates, c.encodingParams(), seed);
             ArchWeights arch = new ArchWeights(1, k, seed + 1);
             Adams adams = new Adams(net.stores(), AdamConfig.adam(lr));
             Adam archAdam = new Adam(arch.store(), NasTrainer.archConfig(archLr))) {
            Tensor[] train = pixels(arena, img, 0, 0), val = pixels(arena, img, 0, 1);
            List<double[]> trace = new ArrayList<>();
            bar.start("supernet " + seed, steps, ProgressBar.Metric.NONE);
            for (int step = 1; step <= steps; step++) {
                tape.reset();
                arch.store().zeroGrad();
                tape.backward(loss(tape, net, val, arch.weights(tape)));
                archAdam.step(backend);
                tape.reset();
                net.stores().forEach(ParameterStore::zeroGrad);
                Var l = loss(tape, net, train, arch.weights(tape));
                tape.backward(l);
                adams.step(backend);
                double lv = l.value().get(0);
                if (!Double.isFinite(lv)) throw new ArithmeticException("nas encoding: the supernet's loss diverged at step " + step);
                if (step % Math.max(1, steps / 50) == 0 || step == steps) trace.add(tracePoint(step, arch.softmax(0)));
                bar.update(step, lv, Double.NaN);
            }
            double supernetVal = psnr(tape, net, val, arch, -1);
            double[] masked = new double[k];
            for (int i = 0; i < k; i++) masked[i] = psnr(tape, net, val, arch, i);
            List<Row> rows = select("fit-image", seed, candidates, alone, masked, arch.softmax(0));
            bar.finish("seed %d supernet: val PSNR %.2f dB; α picks %s, perturbation picks %s".formatted(seed, supernetVal,
                    rows.get(0).chosen(), rows.get(1).chosen()));
            return new Result("fit-image", seed, candidates, "psnr", alone, masked, supernetVal, trace, rows);
        }
    }

    /**
     * The two selections of one edge: α keeps argmax softmax(α); perturbation keeps the candidate whose removal
     * leaves the lowest validation score {@code maskedVal} (the one the supernet needs most). Each is ranked in the
     * ground truth {@code alone} (higher is better).
     */
    static List<Row> select(String task, long seed, List<String> candidates, double[] alone, double[] maskedVal, double[] softmax) {
        int byPt = 0, byAlpha = 0;
        for (int i = 0; i < candidates.size(); i++) {
            if (maskedVal[i] < maskedVal[byPt]) byPt = i;
            if (softmax[i] > softmax[byAlpha]) byAlpha = i;
        }
        return List.of(new Row(task, seed, "alpha", candidates.get(byAlpha), rank(alone, byAlpha)),
                new Row(task, seed, "perturbation", candidates.get(byPt), rank(alone, byPt)));
    }

    /** α's softmax as a trace point (step, p_1..p_K). */
    static double[] tracePoint(int step, double[] p) {
        double[] point = new double[p.length + 1];
        point[0] = step;
        System.arraycopy(p, 0, point, 1, p.length);
        return point;
    }

    /** One Adam per store, stepped together. */
    record Adams(List<Adam> all) implements AutoCloseable {
        Adams(List<ParameterStore> stores, AdamConfig config) { this(stores.stream().map(s -> new Adam(s, config)).toList()); }

        void step(Backend backend) { all.forEach(a -> a.step(backend)); }

        @Override public void close() { all.forEach(Adam::close); }
    }

    /** 1 + the number of candidates that scored strictly better alone. */
    static int rank(double[] alone, int i) {
        int r = 1;
        for (double v : alone) if (v > alone[i]) r++;
        return r;
    }

    private static Var loss(Tape tape, EncodingSupernet net, Tensor[] data, Var[] w) {
        Var pred = net.forward(tape, tape.constant(data[0]), w[0]);
        return Elementwise.scale(tape, Losses.mse(tape, pred, tape.constant(data[1])), 0.5f);
    }

    /** PSNR on (xy, rgb) with candidate {@code masked} removed (−1: none). */
    private static double psnr(Tape tape, EncodingSupernet net, Tensor[] data, ArchWeights arch, int masked) {
        try (var _ = tape.noGrad()) {
            tape.reset();
            Var pred = net.forward(tape, tape.constant(data[0]), arch.weights(tape, masked < 0 ? -1 : 0, masked)[0]);
            return ImageFit.psnrOfMse(tape.backend().mse(pred.value(), data[1]));
        }
    }

    /** Positions (x/S, y/S) and colours of the pixels (2i + rowOdd, 2j + colOdd): fit-image's coordinates. */
    static Tensor[] pixels(Arena arena, RgbImage img, int rowOdd, int colOdd) {
        int size = img.height(), n = size / 2;
        Tensor xy = Tensor.zeros(arena, Shape.of(n * n, 2)), rgb = Tensor.zeros(arena, Shape.of(n * n, 3));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int r = 2 * i + rowOdd, col = 2 * j + colOdd, row = i * n + j;
                xy.set(row, 0, (float) col / size);
                xy.set(row, 1, (float) r / size);
                for (int ch = 0; ch < 3; ch++) rgb.set(row, ch, img.get(r, col, ch));
            }
        return new Tensor[] {xy, rgb};
    }

    static String describe(double[] v) { return Arrays.toString(v); }
}
