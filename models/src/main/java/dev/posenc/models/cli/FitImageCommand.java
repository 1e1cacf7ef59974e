package dev.posenc.models.cli;

import dev.posenc.core.io.RgbImage;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.images.ImageSet;
import dev.posenc.models.images.NaturalImages;
import dev.posenc.models.nn.ModelFile;
import dev.posenc.models.report.FitSummary;
import dev.posenc.models.report.ImageGrid;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.report.ResultsWriter;
import dev.posenc.models.report.SpreadSummary;
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
import java.util.Locale;
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
            description = "An image file (PNG, JPEG, ...), a built-in: astronaut (default), text, or natural "
                    + "(scikit-image's photographs from Debian's python3-skimage; use with --images).")
    private String image;

    @Option(names = "--encodings", paramLabel = "LIST", defaultValue = DEFAULT_ENCODINGS, split = ",",
            description = "Comma-separated encodings (default: ${DEFAULT-VALUE}).")
    private List<String> encodings;

    @Option(names = "--images", paramLabel = "N", defaultValue = "1",
            description = "Fit N images and report mean and spread: text renders seeds seed..seed+N−1, natural takes "
                    + "the first N of scikit-image's astronaut, coffee, chelsea, rocket (default 1).")
    private int images;

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

    @Option(names = "--checkpoint-every", paramLabel = "K",
            description = "Checkpoint each fit every K steps in DIR/partial/checkpoints/ (default: 100 with --paper, "
                    + "else none); an interrupted run continues from them with --resume.")
    private Integer checkpointEvery;

    @Option(names = "--resume", description = "Continue an interrupted run from its checkpoints in --out's "
            + "partial/checkpoints/ (same options and image; --steps may grow). Finished fits are not retrained.")
    private boolean resume;

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
        int count = OptionChecks.inRange("--images", images, 1, MAX_IMAGES);
        requireMemory(context.memory(), config, count);
        ImageSet set = ImageSet.load(image, count, config.size(), seed, Path.of(NaturalImages.DEBIAN_DIR));
        boolean several = set.size() > 1;
        List<String> modelNames = new ArrayList<>();
        for (ImageSet.Member m : set.members()) {
            for (String name : encodings) modelNames.add(modelName(several ? m.name() : null, name));
        }
        PartialOutput reports = PartialOutput.open("--out", OutputFolders.prepare("--out", out),
                several ? SET_REPORTS : REPORTS);
        PartialOutput models = save == null ? null
                : PartialOutput.open("--save", OutputFolders.prepare("--save", save), modelNames);
        Path checkpointDir = checkpointFolder(reports.partial());

        PrintStream terminal = new PrintStream(System.out, true);
        ProgressBar bar = new ProgressBar(terminal, ProgressBar.stdoutIsTerminal());
        context.out().printf("fit-image: %s at %d×%d, %d steps, encodings %s, backend %s%n",
                several ? "%d %s images".formatted(set.size(), image) : image, config.size(), config.size(),
                config.steps(), String.join(",", encodings), context.backend().describe());
        context.out().flush();
        List<List<FitSummary>> fits = new ArrayList<>();              // [image][encoding]
        List<ImageGrid.Row> rows = new ArrayList<>();
        try {
            for (ImageSet.Member member : set.members()) {
                RgbImage truth = ImageResize.toSquare(member.image(), config.size());
                FitConfig imageConfig = config.withSeed(member.seed());
                List<FitSummary> summaries = new ArrayList<>();
                List<ImageGrid.Reconstruction> reconstructions = new ArrayList<>();
                fits.add(summaries);
                rows.add(new ImageGrid.Row(member.name(), truth, reconstructions));
                for (String name : encodings) {
                    String label = several ? member.name() + "/" + name : name;
                    bar.start(label, config.steps());
                    ImageFit.Checkpoints checkpoints = checkpointDir == null ? ImageFit.Checkpoints.NONE
                            : new ImageFit.Checkpoints(checkpointDir.resolve(modelName(several ? member.name() : null, name)),
                                    checkpointInterval());
                    try (FitResult fit = ImageFit.fit(context.backend(), truth, name, imageConfig, context.checkFinite(),
                            checkpoints, bar::update)) {
                        FitSummary summary = summary(fit);
                        bar.finish(several ? summary.withEncoding(label) : summary);
                        summaries.add(summary);
                        reconstructions.add(new ImageGrid.Reconstruction(name, fit.testPsnr(),
                                fit.model().render(context.backend(), config.size(), config.size(), context.checkFinite())));
                        // the model before the report that lists it: after a kill, every listed model exists
                        if (models != null) ModelFile.save(models.partial().resolve(
                                modelName(several ? member.name() : null, name)), fit.model());
                    }
                    writeReports(reports.partial(), set, fits, rows, config);
                }
            }
            if (models != null) {                   // complete: the models first, then the reports that list them
                for (String name : modelNames) models.publish(name);
                models.finish();
            }
            writeReports(out, set, fits, rows, config);
            if (checkpointDir != null) deleteCheckpoints(checkpointDir, modelNames);
        } catch (RuntimeException | IOException e) {
            bar.abandon();
            if (checkpointDir != null && !hasFiles(checkpointDir)) Files.delete(checkpointDir);
            if (reports.hasAny()) {
                context.out().printf("fit-image: stopped; the %d finished fit(s) are in %s%s; the complete "
                        + "results in %s, if any, are those of an earlier run%n",
                        fits.stream().mapToInt(List::size).sum(), reports.partial(),
                        models == null ? "" : " and " + models.partial(), out);
            } else {
                reports.finish();
                if (models != null) models.finish();
            }
            if (checkpointDir != null && hasFiles(checkpointDir)) context.out().printf(
                    "fit-image: its checkpoints are in %s: rerun with the same options and --resume to continue%n",
                    checkpointDir);
            context.out().flush();
            throw e;
        }
        reports.finish();
        if (several) {
            for (SpreadSummary e : spreads(fits)) {
                context.out().printf(Locale.ROOT, "%-10s test PSNR %.2f ± %.2f dB over %d images (min %.2f, max %.2f)%n",
                        e.mean().encoding(), e.mean().testPsnr(), e.testStd(), set.size(), e.testMin(), e.testMax());
            }
        }
        context.out().printf("wrote %s in %s%n", String.join(", ", several ? SET_REPORTS : REPORTS), out);
        return 0;
    }

    static final String GRID = "grid.png", PLOT = "psnr.png", CHECKPOINTS = "checkpoints";
    static final int PAPER_CHECKPOINT_EVERY = 100;

    /** Steps between checkpoints: --checkpoint-every, else every 100 with --paper or --resume, else 0 (none). */
    private int checkpointInterval() {
        if (checkpointEvery != null) return OptionChecks.inRange("--checkpoint-every", checkpointEvery, 1, OptionChecks.MAX_COUNT);
        return paper || resume ? PAPER_CHECKPOINT_EVERY : 0;
    }

    /**
     * The checkpoint folder of this run, or null if it writes none. A run that would overwrite an interrupted run's
     * checkpoints without --resume stops instead (hours of fitting are not lost to a forgotten flag), and --resume
     * without checkpoints stops too.
     */
    private Path checkpointFolder(Path partial) throws IOException {
        Path dir = partial.resolve(CHECKPOINTS);
        boolean present = Files.isDirectory(dir) && hasFiles(dir);
        if (resume && !present) throw new IllegalArgumentException(("--resume: expected the checkpoints of an "
                + "interrupted run in %s, got none; run without --resume to start afresh").formatted(dir));
        if (checkpointInterval() == 0) return null;
        if (present && !resume) throw new IllegalArgumentException(("--out: %s holds the checkpoints of an interrupted "
                + "run; continue it with --resume, or delete that folder to start afresh").formatted(dir));
        return Files.createDirectories(dir);
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    /** The run is complete: its checkpoints go, and their folder if nothing else is in it. */
    private static void deleteCheckpoints(Path dir, List<String> names) throws IOException {
        for (String name : names) Files.deleteIfExists(dir.resolve(name));
        if (!hasFiles(dir)) Files.delete(dir);
    }
    private static final List<String> REPORTS = List.of(GRID, PLOT, ResultsWriter.CSV_NAME, ResultsWriter.MARKDOWN_NAME);
    private static final List<String> SET_REPORTS = List.of(GRID, PLOT, ResultsWriter.CSV_NAME,
            ResultsWriter.IMAGES_CSV_NAME, ResultsWriter.MARKDOWN_NAME);
    /** Tancik et al. average 16 images per data set; a few times that is plenty and still bounds a typo. */
    static final int MAX_IMAGES = 64;

    /** ENCODING.safetensors for one image; IMAGE-ENCODING.safetensors when the run fits several. */
    private static String modelName(String image, String encoding) {
        return (image == null ? "" : image + "-") + encoding + ".safetensors";
    }

    /** One {@link SpreadSummary} per encoding over the images finished so far (the last may lack some). */
    private static List<SpreadSummary> spreads(List<List<FitSummary>> fits) {
        List<SpreadSummary> spreads = new ArrayList<>();
        int complete = fits.getLast().size() == fits.getFirst().size() ? fits.size() : fits.size() - 1;
        for (int e = 0; e < fits.getFirst().size(); e++) {
            List<FitSummary> perImage = new ArrayList<>();
            for (int i = 0; i < complete; i++) perImage.add(fits.get(i).get(e));
            if (!perImage.isEmpty()) spreads.add(SpreadSummary.of(perImage));
        }
        return spreads;
    }

    /**
     * Refuses a run whose largest encoding would not fit the budget ({@link FitMemory}), before the image is
     * read or anything allocated, naming the option that shrinks the biggest part.
     */
    private void requireMemory(MemoryBudget budget, FitConfig config, int images) {
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
        long grids = (long) images * (encodings.size() + 1) * config.size() * config.size() * 3 * Float.BYTES; // grid.png's
        String lever = worst.parameterBytes() > worst.stepBytes() ? "--lff-features or --lff-hidden" : "--size";
        budget.require("fit-image", worst.total() + grids, ("%s at %d×%d: parameters and Adam %s, one training step's "
                + "activations %s, evaluation %s, images %s").formatted(worstName, config.size(), config.size(),
                MemoryBudget.human(worst.parameterBytes()), MemoryBudget.human(worst.stepBytes()),
                MemoryBudget.human(worst.evalBytes()), MemoryBudget.human(worst.imageBytes() + grids)), lever);
    }

    /**
     * One image: grid.png, psnr.png, results.md/.csv as always. Several: a grid row per image, the mean curves,
     * and the means, spread and per-image rows ({@link ResultsWriter#write(Path, List, List, SequencedMap)}) of
     * the images whose every encoding is done.
     */
    private void writeReports(Path dir, ImageSet set, List<List<FitSummary>> fits, List<ImageGrid.Row> rows,
                              FitConfig config) throws IOException {
        if (set.size() == 1) {
            ImageGrid.write(dir.resolve(GRID), rows.getFirst().truth(), rows.getFirst().reconstructions());
            LinePlot.write(dir.resolve(PLOT), fits.getFirst());
            ResultsWriter.write(dir, fits.getFirst(), settings(config, set));
            return;
        }
        List<SpreadSummary> spreads = spreads(fits);
        if (spreads.isEmpty() || spreads.getFirst().perImage().isEmpty()) return;
        int complete = spreads.getFirst().perImage().size();
        ImageGrid.write(dir.resolve(GRID), rows.subList(0, complete), Math.max(ImageGrid.MIN_TILE, config.size()));
        LinePlot.write(dir.resolve(PLOT), spreads.stream().map(SpreadSummary::mean).toList(),
                "mean test PSNR over %d %s images".formatted(complete, set.source()));
        ResultsWriter.write(dir, set.members().subList(0, complete).stream().map(ImageSet.Member::name).toList(),
                spreads, settings(config, set));
    }

    private SequencedMap<String, String> settings(FitConfig c, ImageSet set) {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("image", image);
        if (set.size() > 1) s.put("images", "%d: %s (image i seeds its fit with seed + i)".formatted(set.size(),
                String.join(", ", set.members().stream().map(ImageSet.Member::name).toList())));
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

    private static FitSummary summary(FitResult fit) {
        List<double[]> curve = fit.curve().stream().map(p -> new double[] {p.step(), p.testPsnr()}).toList();
        double trainSeconds = fit.config().steps() / fit.stepsPerSecond();
        return new FitSummary(fit.encoding(), fit.trainPsnr(), fit.testPsnr(), fit.config().steps(), trainSeconds, curve);
    }
}
