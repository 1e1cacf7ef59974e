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
import dev.posenc.models.train.FitMemory;
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
            description = "Output folder (default: ${DEFAULT-VALUE}). Until every encoding is done, the finished ones "
                    + "are written to DIR/partial/ (complete results of an earlier run stay).")
    private Path out;

    @Option(names = "--save", paramLabel = "DIR", description = "Also save each trained model as DIR/ENCODING.safetensors (DIR/partial/ until the run completes).")
    private Path save;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws IOException {
        FitConfig config = config();
        OptionChecks.atLeastOne("--encodings", encodings, Encodings.CONTINUOUS_NAMES);
        for (String name : encodings) {
            if (!Encodings.CONTINUOUS_NAMES.contains(name)) throw new IllegalArgumentException(
                    "--encodings: expected names from %s, got '%s'%s".formatted(Encodings.CONTINUOUS_NAMES, name,
                            Encodings.NAMES.contains(name) ? " (a learned table of whole grid cells, for the ViT)" : ""));
        }
        requireMemory(context.memory(), config);
        PartialOutput reports = PartialOutput.open("--out", OutputFolders.prepare("--out", out), REPORTS);
        PartialOutput models = save == null ? null : PartialOutput.open("--save", OutputFolders.prepare("--save", save),
                encodings.stream().map(FitImageCommand::modelName).toList());
        RgbImage source = loadImage(image, config.size(), seed);
        RgbImage truth = ImageResize.toSquare(source, config.size());

        PrintStream terminal = new PrintStream(System.out, true);
        ProgressBar bar = new ProgressBar(terminal, ProgressBar.stdoutIsTerminal());
        context.out().printf("fit-image: %s at %d×%d, %d steps, encodings %s, backend %s%n", image, config.size(),
                config.size(), config.steps(), String.join(",", encodings), context.backend().describe());
        context.out().flush();
        List<FitSummary> summaries = new ArrayList<>();
        List<ImageGrid.Reconstruction> reconstructions = new ArrayList<>();
        try {
            for (String name : encodings) {
                bar.start(name, config.steps());
                try (FitResult fit = ImageFit.fit(context.backend(), truth, name, config, context.checkFinite(),
                        bar::update)) {
                    FitSummary summary = summary(fit);
                    bar.finish(summary);
                    summaries.add(summary);
                    reconstructions.add(new ImageGrid.Reconstruction(name, fit.testPsnr(),
                            fit.model().render(context.backend(), config.size(), config.size(), context.checkFinite())));
                    // the model before the report that lists it: after a kill, every listed model exists
                    if (models != null) ModelFile.save(models.partial().resolve(modelName(name)), fit.model());
                }
                writeReports(reports.partial(), truth, summaries, reconstructions, config);
            }
            if (models != null) {                   // complete: the models first, then the reports that list them
                for (String name : encodings) models.publish(modelName(name));
                models.finish();
            }
            writeReports(out, truth, summaries, reconstructions, config);
        } catch (RuntimeException | IOException e) {
            bar.abandon();
            if (reports.hasAny()) {
                context.out().printf("fit-image: stopped; the %d finished encoding(s) are in %s%s; the complete "
                        + "results in %s, if any, are those of an earlier run%n", summaries.size(), reports.partial(),
                        models == null ? "" : " and " + models.partial(), out);
            } else {
                reports.finish();
                if (models != null) models.finish();
            }
            context.out().flush();
            throw e;
        }
        reports.finish();
        context.out().printf("wrote %s, %s, %s, %s in %s%n", GRID, PLOT, ResultsWriter.MARKDOWN_NAME,
                ResultsWriter.CSV_NAME, out);
        return 0;
    }

    static final String GRID = "grid.png", PLOT = "psnr.png";
    private static final List<String> REPORTS = List.of(GRID, PLOT, ResultsWriter.CSV_NAME, ResultsWriter.MARKDOWN_NAME);

    private static String modelName(String encoding) { return encoding + ".safetensors"; }

    /**
     * Refuses a run whose largest encoding would not fit the budget ({@link FitMemory}), before the image is
     * read or anything allocated, naming the option that shrinks the biggest part.
     */
    private void requireMemory(MemoryBudget budget, FitConfig config) {
        FitMemory worst = null;
        String worstName = null;
        for (String name : encodings) {
            FitMemory m;
            try {
                m = FitMemory.estimate(config, name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lff-features, --lff-hidden: " + e.getMessage());
            }
            if (worst == null || m.total() > worst.total()) {
                worst = m;
                worstName = name;
            }
        }
        long grids = (long) encodings.size() * config.size() * config.size() * 3 * Float.BYTES; // kept for grid.png
        String lever = worst.parameterBytes() > worst.stepBytes() ? "--lff-features or --lff-hidden" : "--size";
        budget.require("fit-image", worst.total() + grids, ("%s at %d×%d: parameters and Adam %s, one training step's "
                + "activations %s, evaluation %s, images %s").formatted(worstName, config.size(), config.size(),
                MemoryBudget.human(worst.parameterBytes()), MemoryBudget.human(worst.stepBytes()),
                MemoryBudget.human(worst.evalBytes()), MemoryBudget.human(worst.imageBytes() + grids)), lever);
    }

    private void writeReports(Path dir, RgbImage truth, List<FitSummary> summaries,
                              List<ImageGrid.Reconstruction> reconstructions, FitConfig config) throws IOException {
        ImageGrid.write(dir.resolve(GRID), truth, reconstructions);
        LinePlot.write(dir.resolve(PLOT), summaries);
        ResultsWriter.write(dir, summaries, settings(config));
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

    /** The run's settings: the preset, then every flag the user gave, each checked by {@link OptionChecks}. */
    FitConfig config() {
        FitConfig c = paper ? FitConfig.paper() : FitConfig.defaults();
        if (size != null) {
            OptionChecks.powerOfTwo("--size", size, 4, OptionChecks.MAX_SIDE, "the train and test grids are S/2");
            c = c.withSize(size);
            if (sigma == null) c = c.withSigma(FitConfig.sigmaFor(size));
            if (posencScale == null) c = c.withScale(FitConfig.scaleFor(size));
            if (gamma == null) c = c.withGamma(FitConfig.gammaFor(c.sigma()));
        }
        if (steps != null) c = c.withSteps(OptionChecks.inRange("--steps", steps, 1, OptionChecks.MAX_COUNT));
        String limit = "above %s cycles per unit, float32 rounds the phase 2π·f·x by more than 0.03 rad"
                .formatted(OptionChecks.number(OptionChecks.MAX_FREQUENCY));
        if (sigma != null) {
            c = c.withSigma(OptionChecks.inRange("--sigma", sigma, 0, true, OptionChecks.MAX_SIGMA,
                    "B's entries reach 4σ cycles per unit; " + limit));
            if (gamma == null) c = c.withGamma(FitConfig.gammaFor(sigma));
        }
        if (posencScale != null) {
            c = c.withScale(OptionChecks.inRange("--posenc-scale", posencScale, 0, false, OptionChecks.MAX_POSENC_SCALE,
                    "the top frequency is 2^X − 1; " + limit));
        }
        if (gamma != null) {
            c = c.withGamma(OptionChecks.inRange("--gamma", gamma, OptionChecks.MIN_GAMMA, false, Double.MAX_VALUE,
                    "W_r's std is 1/γ radians per unit; " + limit));
        }
        if (lr != null) c = c.withLr(OptionChecks.positive("--lr", lr));
        if (evalEvery != null) c = c.withEvalEvery(OptionChecks.inRange("--eval-every", evalEvery, 1, OptionChecks.MAX_COUNT));
        if (lffFeatures != null || lffHidden != null || lffDims != null || lffGroups != null) {
            int w = OptionChecks.MAX_WIDTH;
            c = c.withLff(lffFeatures == null ? c.fourierDims() : OptionChecks.evenInRange("--lff-features", lffFeatures, 2, w),
                    lffHidden == null ? c.hidden() : OptionChecks.inRange("--lff-hidden", lffHidden, 1, w),
                    lffDims == null ? c.outputDims() : OptionChecks.inRange("--lff-dims", lffDims, 1, w),
                    lffGroups == null ? c.groups() : OptionChecks.inRange("--lff-groups", lffGroups, 1, 2));
        }
        if (lffAmplitude != null) c = c.withAmplitude(lffAmplitude);
        return c.withSeed(seed);
    }

    /** {@link BuiltinImages#load}: a built-in by name, else a file (one message names both when it is neither). */
    static RgbImage loadImage(String image, int size, long seed) throws IOException {
        return BuiltinImages.load(image, size, seed);
    }

    private static FitSummary summary(FitResult fit) {
        List<double[]> curve = fit.curve().stream().map(p -> new double[] {p.step(), p.testPsnr()}).toList();
        double trainSeconds = fit.config().steps() / fit.stepsPerSecond();
        return new FitSummary(fit.encoding(), fit.trainPsnr(), fit.testPsnr(), fit.config().steps(), trainSeconds, curve);
    }
}
