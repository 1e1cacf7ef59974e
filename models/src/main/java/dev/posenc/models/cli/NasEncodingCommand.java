package dev.posenc.models.cli;

import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.nas.EncodingReport;
import dev.posenc.models.nas.EncodingSearch;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.train.FitConfig;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.nas.VitEncodingSearch;
import dev.posenc.models.vit.VitConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code posenc nas encoding}: a supernet whose positional encoding is a DARTS mixture of candidates; α selection
 * against perturbation selection against the ground truth of training each candidate alone: fit-image's coordinate
 * network ({@link EncodingSearch}) or compare-pe's ViT on Fashion-MNIST ({@link VitEncodingSearch}).
 */
@Command(name = "encoding", sortOptions = false,
        description = {"Choose a positional encoding by DARTS: α against perturbation (DARTS-PT)",
                "against the ground truth of training each candidate alone",
                "(fit-image's network, or compare-pe's ViT on Fashion-MNIST).",
                "Writes results.csv, candidates.csv, results.md, alpha.png."})
final class NasEncodingCommand implements BackendCommand {
    static final List<String> FIT_IMAGE_DEFAULT = List.of("none", "basic", "positional", "gaussian", "lff");
    static final List<String> VIT_DEFAULT = List.of("none", "sine2d", "embed2d", "mlp", "lff");
    /** The ViT's candidates: its encodings that give the same positions to every image (cape2d augments). */
    static final List<String> VIT_NAMES = VitConfig.ENCODINGS.stream().filter(e -> !e.equals("cape2d")).toList();

    @Option(names = "--task", defaultValue = "fit-image", paramLabel = "TASK",
            description = "fit-image (the astronaut) or vit (compare-pe's ViT on Fashion-MNIST) (default: ${DEFAULT-VALUE}).")
    private String task;

    @Option(names = "--encodings", split = ",", paramLabel = "LIST",
            description = "Candidate encodings (default: none,basic,positional,gaussian,lff; vit: none,sine2d,embed2d,mlp,lff).")
    private List<String> encodings;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", paramLabel = "LIST", description = "Seeds (default: ${DEFAULT-VALUE}).")
    private List<Long> seeds;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam's learning rate for the weights (default: ${DEFAULT-VALUE}).")
    private float lr;

    @Option(names = "--arch-lr", defaultValue = "3e-3", description = "α's Adam learning rate (default: ${DEFAULT-VALUE}).")
    private float archLr;

    @Option(names = "--size", defaultValue = "64", paramLabel = "S", description = "fit-image: image side (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--steps", defaultValue = "200", paramLabel = "N",
            description = "fit-image: steps of each ground-truth fit and of the supernet (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--data", paramLabel = "DIR", description = "vit: Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}).")
    private Path data = FashionMnist.DEFAULT_DIR;

    @Option(names = "--train-images", defaultValue = "1000", paramLabel = "N",
            description = "vit: training images, for the weights and every ground-truth run (default: ${DEFAULT-VALUE}).")
    private int trainImages;

    @Option(names = "--val-images", defaultValue = "500", paramLabel = "N",
            description = "vit: validation images (the training images after those), for α and perturbation (default: ${DEFAULT-VALUE}).")
    private int valImages;

    @Option(names = "--test-images", defaultValue = "1000", paramLabel = "N",
            description = "vit: test images that rank the candidates alone (default: ${DEFAULT-VALUE}).")
    private int testImages;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "E",
            description = "vit: epochs of each ground-truth run and of the supernet (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "50", paramLabel = "B", description = "vit: images per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--dim", defaultValue = "32", paramLabel = "D",
            description = "vit: token width D (2 blocks of 2 heads, MLP 2·D) (default: ${DEFAULT-VALUE}).")
    private int dim;

    @Option(names = "--out", defaultValue = "nas-encoding-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        boolean vit = switch (task) {
            case "fit-image" -> false;
            case "vit" -> true;
            default -> throw new IllegalArgumentException("--task: expected fit-image or vit, got '%s'".formatted(task));
        };
        List<String> names = candidates(vit ? VIT_NAMES : Encodings.CONTINUOUS_NAMES, encodings == null ? (vit ? VIT_DEFAULT : FIT_IMAGE_DEFAULT) : encodings);
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: expected at least one seed, got none");
        OptionChecks.inRange("--lr", lr, 0, true, 10, "a learning rate");
        OptionChecks.inRange("--arch-lr", archLr, 0, true, 10, "a learning rate");
        try (Arena arena = Arena.ofShared()) {   // the ViT's data set lives for the command
            return run(context, vit, names, arena);
        }
    }

    private int run(RunContext context, boolean vit, List<String> names, Arena arena) throws Exception {
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        Search search = vit ? vitSearch(context, names, settings, arena) : fitImageSearch(context, names, settings);
        settings.put("candidates", String.join(", ", names));
        settings.put("backend", context.backend().describe());
        PrintStream ps = Streams.of(context.out());
        PartialOutput reports = PartialOutput.open("--out", OutputFolders.prepare("--out", out), EncodingReport.FILES);
        ps.println("nas encoding: " + settings.get("task") + "; " + context.backend().describe());
        ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
        List<EncodingSearch.Result> results = new ArrayList<>();
        for (long seed : seeds) {
            try {
                results.add(search.run(seed, bar));
            } catch (RuntimeException e) {
                bar.abandon();
                throw e;
            }
            EncodingReport.write(reports.partial(), results, settings);
        }
        EncodingReport.write(out, results, settings);
        reports.finish();
        ps.print(EncodingReport.markdown(results, settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, candidates.csv, alpha.png");
        ps.flush();
        return 0;
    }

    /** One seed of the chosen task. */
    @FunctionalInterface
    private interface Search {
        EncodingSearch.Result run(long seed, ProgressBar bar) throws Exception;
    }

    /** The candidates, checked against {@code valid}: known, each once, at least two. */
    private static List<String> candidates(List<String> valid, List<String> requested) {
        if (requested.isEmpty() || requested.equals(List.of(""))) throw new IllegalArgumentException("--encodings: expected at least two of %s, got none".formatted(String.join(",", valid)));
        List<String> names = new ArrayList<>();
        for (String e : requested) {
            if (!valid.contains(e)) throw new IllegalArgumentException(
                    "--encodings: expected names from %s, got '%s'".formatted(String.join(",", valid), e));
            if (names.contains(e)) throw new IllegalArgumentException("--encodings: expected each encoding once, got '%s' twice".formatted(e));
            names.add(e);
        }
        if (names.size() < 2) throw new IllegalArgumentException("--encodings: expected at least two candidates to choose from, got " + names.size());
        return names;
    }

    private Search fitImageSearch(RunContext context, List<String> names, SequencedMap<String, String> settings) throws IOException {
        OptionChecks.evenInRange("--size", size, 8, 1024);
        OptionChecks.inRange("--steps", steps, 1, 1_000_000);
        FitConfig config = FitConfig.defaults().withSize(size).withSteps(steps).withSigma(FitConfig.sigmaFor(size))
                .withScale(FitConfig.scaleFor(size)).withGamma(FitConfig.gammaFor(FitConfig.sigmaFor(size)));
        settings.put("task", "fit-image on the astronaut at %d×%d, %d steps per fit and for the supernet".formatted(size, size, steps));
        settings.put("supernet", "a first layer per encoding, mixed by softmax(α), then fit-image's MLP; weights Adam %s, α Adam %s"
                .formatted(lr, archLr));
        var image = BuiltinImages.load("astronaut", size, 0);
        return (seed, bar) -> EncodingSearch.run(context.backend(), image, names, config, steps, lr, archLr, seed, context.checkFinite(), bar);
    }

    private Search vitSearch(RunContext context, List<String> names, SequencedMap<String, String> settings, Arena arena)
            throws IOException {
        int max = OptionChecks.MAX_COUNT;
        OptionChecks.inRange("--batch", batch, 1, max);
        OptionChecks.inRange("--train-images", trainImages, batch, max);
        OptionChecks.inRange("--val-images", valImages, 1, max);
        OptionChecks.inRange("--test-images", testImages, 1, max);
        OptionChecks.inRange("--epochs", epochs, 1, 100_000);
        if (dim % 4 != 0 || dim < 4 || dim > 4096) throw new IllegalArgumentException(
                "--dim: expected a multiple of 4 in 4..4096 (sine2d splits D four ways), got " + dim);
        VitConfig config = VitConfig.defaults("none").withModel(dim, 2, 2, 2 * dim).withLimits(trainImages, testImages)
                .withBatch(batch).withLr(lr).withEvalEvery(max);
        var settingsOf = new VitEncodingSearch.Settings(config, valImages, epochs, archLr);
        settings.put("task", ("vit: compare-pe's ViT on Fashion-MNIST, %d training / %d validation / %d test images, %d epochs "
                + "of %d steps (%d steps) per ground-truth run and for the supernet").formatted(trainImages, valImages, testImages,
                epochs, trainImages / batch, settingsOf.steps()));
        settings.put("model", config.describe().replaceFirst("; Adam.*", ""));
        settings.put("supernet", "PE = Σ softmax(α)_i·PE_i added to the patch tokens; weights Adam %s (as alone), α Adam %s, "
                .formatted(lr, archLr) + "first-order DARTS (α on a validation batch, then the weights on a training batch)");
        FashionMnist.Data train = FashionMnist.load(data, FashionMnist.Split.TRAIN, trainImages + valImages, arena);
        FashionMnist.Data test = FashionMnist.load(data, FashionMnist.Split.TEST, testImages, arena);
        if (train.size() < trainImages + valImages) throw new IllegalArgumentException(
                "--train-images, --val-images: expected at most %d together (the training set), got %d".formatted(train.size(), trainImages + valImages));
        return (seed, bar) -> VitEncodingSearch.run(context.backend(), train, test, names, settingsOf, seed, context.checkFinite(), bar);
    }
}
