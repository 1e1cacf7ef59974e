package dev.posenc.models.cli;

import dev.posenc.core.io.RgbImage;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.nn.ModelFile;
import dev.posenc.models.report.FitSummary;
import dev.posenc.models.report.ImageGrid;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.report.ResultsWriter;
import dev.posenc.models.train.FitConfig;
import dev.posenc.models.train.FitResult;
import dev.posenc.models.train.ImageFit;
import dev.posenc.models.train.ImageResize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * {@code posenc fit-image}: Tancik et al.'s image regression, one coordinate MLP per encoding, and the
 * pictures and numbers that show why Fourier features matter. Every output file is rewritten (atomically)
 * after each encoding finishes, so an interrupted run keeps everything it completed.
 */
@Command(name = "fit-image", sortOptions = false,
        description = {"Fit a coordinate MLP to an image with each encoding (Tancik et al. 2020): train on the even-even",
                "pixels, test on the odd-odd ones. Writes grid.png, psnr.png, results.md and results.csv."})
final class FitImageCommand implements BackendCommand {
    static final String DEFAULT_ENCODINGS = "none,basic,positional,gaussian,lff";

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", defaultValue = "astronaut",
            description = "An image file (PNG, JPEG, ...) or a built-in: astronaut (default), text.")
    private String image;

    @Option(names = "--encodings", paramLabel = "LIST", defaultValue = DEFAULT_ENCODINGS, split = ",",
            description = "Comma-separated encodings (default: ${DEFAULT-VALUE}).")
    private List<String> encodings;

    @Option(names = "--paper", description = "The papers' full protocol: 512×512, 2000 steps, σ 10 (hours on a CPU).")
    private boolean paper;

    @Option(names = "--steps", paramLabel = "N", description = "Adam steps per encoding (default 300; --paper: 2000).")
    private Integer steps;

    @Option(names = "--size", paramLabel = "S", description = "Resize the image to S×S, a power of two (default 128).")
    private Integer size;

    @Option(names = "--sigma", paramLabel = "σ",
            description = "Gaussian mapping scale, cycles per unit (default 10·S/512: spec §9 scales it with density).")
    private Double sigma;

    @Option(names = "--posenc-scale", paramLabel = "X", description = "Positional frequencies 2^linspace(0,X,128)−1.")
    private Double posencScale;

    @Option(names = "--lr", paramLabel = "RATE", description = "One learning rate for all (default 1e-2 none/basic, 3e-3 lff/lff-only/mlp, else 1e-3).")
    private Double lr;

    @Option(names = "--lff-features", paramLabel = "F", description = "LFF |F| (default 512).")
    private Integer lffFeatures;

    @Option(names = "--lff-hidden", paramLabel = "H", description = "LFF MLP hidden size |H| (default 256).")
    private Integer lffHidden;

    @Option(names = "--lff-dims", paramLabel = "D", description = "LFF output size D (default 256).")
    private Integer lffDims;

    @Option(names = "--lff-groups", paramLabel = "G", description = "LFF position groups G (default 1).")
    private Integer lffGroups;

    @Option(names = "--gamma", paramLabel = "γ", description = "LFF γ: W_r ~ N(0, γ⁻²) (default 1/(2πσ)).")
    private Double gamma;

    @Option(names = "--lff-amplitude", paramLabel = "A",
            description = "LFF feature amplitude: UNIT (1, Tancik's; default) or PAPER (1/√F, Li et al. Eq. 2).")
    private LffAmplitude lffAmplitude;

    @Option(names = "--eval-every", paramLabel = "K", description = "Test PSNR every K steps (default 25).")
    private Integer evalEvery;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seeds weights and B (default 0).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "fit-image-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--save", paramLabel = "DIR", description = "Also save each trained model as DIR/ENCODING.safetensors.")
    private Path save;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws IOException {
        FitConfig config = config();
        for (String name : encodings) {
            if (!Encodings.CONTINUOUS_NAMES.contains(name)) throw new IllegalArgumentException(
                    "--encodings: expected names from %s, got '%s'%s".formatted(Encodings.CONTINUOUS_NAMES, name,
                            Encodings.NAMES.contains(name) ? " (a learned table of whole grid cells, for the ViT)" : ""));
        }
        RgbImage source = loadImage(image, config.size(), seed);
        RgbImage truth = ImageResize.toSquare(source, config.size());
        Files.createDirectories(out);
        if (save != null) Files.createDirectories(save);

        PrintStream terminal = new PrintStream(System.out, true);
        ProgressBar bar = new ProgressBar(terminal, ProgressBar.stdoutIsTerminal());
        context.out().printf("fit-image: %s at %d×%d, %d steps, encodings %s, backend %s%n", image, config.size(),
                config.size(), config.steps(), String.join(",", encodings), context.backend().describe());
        context.out().flush();
        List<FitSummary> summaries = new ArrayList<>();
        List<ImageGrid.Reconstruction> reconstructions = new ArrayList<>();
        for (String name : encodings) {
            bar.start(name, config.steps());
            try (FitResult fit = ImageFit.fit(context.backend(), truth, name, config, bar::update)) {
                FitSummary summary = summary(fit);
                bar.finish(summary);
                summaries.add(summary);
                reconstructions.add(new ImageGrid.Reconstruction(name, fit.testPsnr(),
                        fit.model().render(context.backend(), config.size(), config.size())));
                if (save != null) ModelFile.save(save.resolve(name + ".safetensors"), fit.model());
            }
            writeReports(truth, summaries, reconstructions, config);
        }
        context.out().printf("wrote %s, %s, %s, %s in %s%n", GRID, PLOT, ResultsWriter.MARKDOWN_NAME,
                ResultsWriter.CSV_NAME, out);
        return 0;
    }

    static final String GRID = "grid.png", PLOT = "psnr.png";

    private void writeReports(RgbImage truth, List<FitSummary> summaries,
                              List<ImageGrid.Reconstruction> reconstructions, FitConfig config) throws IOException {
        ImageGrid.write(out.resolve(GRID), truth, reconstructions);
        LinePlot.write(out.resolve(PLOT), summaries);
        ResultsWriter.write(out, summaries, settings(config));
    }

    private SequencedMap<String, String> settings(FitConfig c) {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("image", image);
        s.put("size", c.size() + "×" + c.size() + " (train on " + c.size() / 2 + "² even-even pixels, test on odd-odd)");
        s.put("steps", Integer.toString(c.steps()));
        s.put("seed", Long.toString(c.seed()));
        s.put("gaussian σ", Double.toString(c.sigma()));
        s.put("positional scale", Double.toString(c.scale()));
        s.put("lff F, H, D, G, γ, amplitude", "%d, %d, %d, %d, %.6g, %s".formatted(c.fourierDims(), c.hidden(),
                c.outputDims(), c.groups(), c.gamma(), c.amplitude()));
        s.put("learning rate", c.lr().isPresent() ? Double.toString(c.lr().getAsDouble())
                : "1e-2 (none, basic), 3e-3 (lff, lff-only, mlp), 1e-3 (others)");
        return s;
    }

    /** The run's settings: the preset, then every flag the user gave, each validated with its flag's name. */
    FitConfig config() {
        FitConfig c = paper ? FitConfig.paper() : FitConfig.defaults();
        if (size != null) {
            if (size < 4 || Integer.bitCount(size) != 1) throw new IllegalArgumentException(
                    "--size: expected a power of two >= 4 (the train and test grids are S/2), got " + size);
            c = c.withSize(size);
            if (sigma == null) c = c.withSigma(FitConfig.sigmaFor(size));
            if (posencScale == null) c = c.withScale(FitConfig.scaleFor(size));
            if (gamma == null) c = c.withGamma(FitConfig.gammaFor(c.sigma()));
        }
        if (steps != null) {
            if (steps < 1) throw new IllegalArgumentException("--steps: expected at least 1, got " + steps);
            c = c.withSteps(steps);
        }
        if (sigma != null) {
            if (!(sigma > 0)) throw new IllegalArgumentException("--sigma: expected a positive scale, got " + sigma);
            c = c.withSigma(sigma);
            if (gamma == null) c = c.withGamma(FitConfig.gammaFor(sigma));
        }
        if (posencScale != null) {
            if (!(posencScale >= 0)) throw new IllegalArgumentException("--posenc-scale: expected >= 0, got " + posencScale);
            c = c.withScale(posencScale);
        }
        if (gamma != null) {
            if (!(gamma > 0)) throw new IllegalArgumentException("--gamma: expected a positive γ, got " + gamma);
            c = c.withGamma(gamma);
        }
        if (lr != null) {
            if (!(lr > 0)) throw new IllegalArgumentException("--lr: expected a positive rate, got " + lr);
            c = c.withLr(lr);
        }
        if (evalEvery != null) {
            if (evalEvery < 1) throw new IllegalArgumentException("--eval-every: expected at least 1, got " + evalEvery);
            c = c.withEvalEvery(evalEvery);
        }
        if (lffFeatures != null || lffHidden != null || lffDims != null || lffGroups != null) {
            c = c.withLff(positive("--lff-features", lffFeatures, c.fourierDims()), positive("--lff-hidden", lffHidden,
                    c.hidden()), positive("--lff-dims", lffDims, c.outputDims()), positive("--lff-groups", lffGroups,
                    c.groups()));
        }
        if (lffAmplitude != null) c = c.withAmplitude(lffAmplitude);
        return c.withSeed(seed);
    }

    private static int positive(String flag, Integer given, int preset) {
        if (given == null) return preset;
        if (given < 1) throw new IllegalArgumentException(flag + ": expected at least 1, got " + given);
        return given;
    }

    /** {@link BuiltinImages#load}: a built-in by name, else a file. */
    static RgbImage loadImage(String image, int size, long seed) throws IOException {
        return BuiltinImages.load(image, size, seed);
    }

    private static FitSummary summary(FitResult fit) {
        List<double[]> curve = fit.curve().stream().map(p -> new double[] {p.step(), p.testPsnr()}).toList();
        double trainSeconds = fit.config().steps() / fit.stepsPerSecond();
        return new FitSummary(fit.encoding(), fit.trainPsnr(), fit.testPsnr(), fit.config().steps(), trainSeconds, curve);
    }
}
