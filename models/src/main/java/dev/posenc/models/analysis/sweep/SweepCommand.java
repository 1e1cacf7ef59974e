package dev.posenc.models.analysis.sweep;

import dev.posenc.core.io.RgbImage;
import dev.posenc.models.cli.BackendCommand;
import dev.posenc.models.cli.RunContext;
import dev.posenc.models.cli.Streams;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.train.FitConfig;
import dev.posenc.models.train.ImageResize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * {@code posenc analyze sweep}: test and train PSNR of the fit-image protocol against the mapping's scale
 * ({@link ImageSweep}). Every file is rewritten atomically after each fit, so an interrupted run keeps what it
 * finished; nothing is written before every option has been checked.
 */
@Command(name = "sweep", sortOptions = false,
        description = {"fit-image's train and test PSNR against the mapping's scale (σ, or positional s).",
                "Sweeps the scale of a Fourier mapping on an image with the fit-image protocol (train on the even-even "
                + "pixels, test on the odd-odd ones): σ for gaussian (and lff's initial σ), s for positional. Writes "
                + "sweep.png, results.csv and results.md."})
public final class SweepCommand implements BackendCommand {
    static final int DEFAULT_SIZE = 64, DEFAULT_STEPS = 300;

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", defaultValue = "astronaut",
            description = "An image file (PNG, JPEG, ...) or a built-in: astronaut (default), text.")
    private String image;

    @Option(names = "--encodings", paramLabel = "LIST", split = ",", defaultValue = "gaussian,positional",
            description = "Encodings to sweep, from gaussian, positional, lff (default: ${DEFAULT-VALUE}).")
    private List<String> encodings;

    @Option(names = "--scales", paramLabel = "[NAME=]LIST",
            description = "Scales to sweep, repeatable: 'gaussian=1,2,4' for one encoding, '1,2,4' for every encoding "
                    + "without its own list. Default: σ0·2^k, k = −3..4, with fit-image's σ0 = 10·S/512, for gaussian "
                    + "and lff; s0 − 2 .. s0 + 4 with s0 = 6 + log2(S/512) (those > 0) for positional.")
    private List<String> scales;

    @Option(names = "--size", paramLabel = "S", defaultValue = "" + DEFAULT_SIZE,
            description = "Resize the image to S×S, a power of two (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + DEFAULT_STEPS,
            description = "Adam steps per fit (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--lr", paramLabel = "RATE", description = "One learning rate for all (default: fit-image's, 1e-3; lff 3e-3).")
    private Double lr;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seeds weights and B (default 0).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "sweep-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws IOException {
        FitConfig base = config();
        List<String> names = ScaleGrid.names("--encodings", encodings, ImageSweep.ENCODINGS);
        SequencedMap<String, List<Double>> grid = ScaleGrid.parse("--scales", scales, names, n -> defaultScales(n, size));
        RgbImage truth = ImageResize.toSquare(BuiltinImages.load(image, size, seed), size);
        Files.createDirectories(out);
        int fits = grid.values().stream().mapToInt(List::size).sum();
        context.out().printf(Locale.ROOT, "sweep: %s at %d×%d, %d fits of %d steps, backend %s%n", image, size, size, fits,
                steps, context.backend().describe());
        context.out().flush();
        ProgressBar bar = new ProgressBar(Streams.of(context.out()), ProgressBar.stdoutIsTerminal());
        SequencedMap<String, String> settings = settings(base);
        ImageSweep.run(context.backend(), truth, base, grid, new ImageSweep.Listener() {
            @Override public void fitStarted(String encoding, double scale) {
                bar.start("%s %s=%s".formatted(encoding, symbol(encoding), SweepShape.shortNumber(scale)), steps);
            }

            @Override public void update(int step, double loss, double testPsnr) { bar.update(step, loss, testPsnr); }

            @Override public void fitDone(ImageSweep.Row row, List<ImageSweep.Row> rows) throws IOException {
                bar.finish(String.format(Locale.ROOT, "%-10s %s=%-7s train %6.2f dB  test %6.2f dB  (%.1f s)",
                        row.encoding(), symbol(row.encoding()), SweepShape.shortNumber(row.scale()), row.trainPsnr(),
                        row.testPsnr(), row.seconds()));
                SweepReport.write(out, rows, settings, findings(rows), size / 4.0);
            }
        });
        context.out().printf("wrote %s, %s, %s in %s%n", SweepReport.PLOT, SweepReport.CSV, SweepReport.MARKDOWN, out);
        return 0;
    }

    static String symbol(String encoding) { return encoding.equals("positional") ? "s" : "σ"; }

    /** σ0·2^k (k = −3..4) around fit-image's σ0; positional s0 − 2 .. s0 + 4 around its s0, those > 0. */
    static List<Double> defaultScales(String encoding, int size) {
        if (!encoding.equals("positional")) return ScaleGrid.octaves(FitConfig.sigmaFor(size), -3, 4);
        double s0 = FitConfig.scaleFor(size);
        return ScaleGrid.linear(s0 - 2, s0 + 4, 1).stream().filter(s -> s > 0).toList();
    }

    /** One line per encoding: where test PSNR peaks, whether it is an inverted U, whether train keeps rising. */
    List<String> findings(List<ImageSweep.Row> rows) {
        List<String> lines = new ArrayList<>();
        for (String encoding : rows.stream().map(ImageSweep.Row::encoding).distinct().toList()) {
            List<ImageSweep.Row> mine = rows.stream().filter(r -> r.encoding().equals(encoding))
                    .sorted(Comparator.comparingDouble(ImageSweep.Row::scale)).toList();
            double[] scale = mine.stream().mapToDouble(ImageSweep.Row::scale).toArray();
            double[] train = mine.stream().mapToDouble(ImageSweep.Row::trainPsnr).toArray();
            double[] test = mine.stream().mapToDouble(ImageSweep.Row::testPsnr).toArray();
            // the training grid has S/2 samples per unit: Nyquist S/4 cycles per unit
            lines.add(encoding + ": " + SweepShape.of(scale, train, test).describeFor(encoding, size / 4.0));
        }
        return lines;
    }

    /** The settings, every option checked with its name. */
    FitConfig config() {
        if (size < 4 || Integer.bitCount(size) != 1) throw new IllegalArgumentException(
                "--size: expected a power of two >= 4 (the train and test grids are S/2), got " + size);
        if (steps < 1) throw new IllegalArgumentException("--steps: expected at least 1, got " + steps);
        FitConfig c = FitConfig.defaults().withSize(size).withSteps(steps).withEvalEvery(steps).withSeed(seed);
        if (lr != null) {
            if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(
                    "--lr: expected a finite rate > 0, got " + lr);
            c = c.withLr(lr);
        }
        return c;
    }

    private SequencedMap<String, String> settings(FitConfig c) {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("image", image);
        s.put("size", "%d×%d (train on %d² even-even pixels, Nyquist %s cycles per unit; test on odd-odd)"
                .formatted(size, size, size / 2, SweepShape.shortNumber(size / 4.0)));
        s.put("network", "fit-image's: 3 × [Dense(256) + ReLU] + Dense(3) + sigmoid, full-batch Adam, loss 0.5·MSE");
        s.put("steps", Integer.toString(steps));
        s.put("learning rate", lr != null ? Double.toString(lr) : "fit-image's: 1e-3 (gaussian, positional), 3e-3 (lff)");
        s.put("features", "gaussian: 256 frequencies (512 features); positional: 128 per axis; lff: |F| %d, |H| %d, D %d"
                .formatted(c.fourierDims(), c.hidden(), c.outputDims()));
        s.put("seed", Long.toString(seed));
        return s;
    }
}
