package dev.posenc.models.cli;

import dev.posenc.models.boxes.BoxReport;
import dev.posenc.models.boxes.BoxTrainer;
import dev.posenc.models.boxes.BoxVariant;
import dev.posenc.models.report.ProgressBar;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code posenc train-boxes}: LFF's grouped positions (RQ4) on synthetic widget boxes ({@link
 * dev.posenc.models.boxes.Screens}): a small Transformer classifies each widget as inside another, overlapping one,
 * or free, with the box encoded by one encoding ({@code --pe}) or all of them ({@code --pe all}).
 */
@Command(name = "train-boxes", sortOptions = false,
        description = "Train a small Transformer on widget boxes (inside / overlap / free) with a box encoding.")
final class TrainBoxesCommand implements BackendCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--pe", defaultValue = "lff", paramLabel = "NAME",
            description = "lff, sine, mlp, none, or all (lff G=1, lff G=2, sine, mlp, none) "
                    + "(default: ${DEFAULT-VALUE}).")
    private String pe;

    @Option(names = "--groups", defaultValue = "2", paramLabel = "G",
            description = "lff: positional groups, a divisor of the 4 coordinates: 1 (one 4-D position) or 2 (two "
                    + "2-D corners, the paper's) (default: ${DEFAULT-VALUE}; ignored by --pe all).")
    private int groups;

    @Option(names = "--seeds", split = ",", paramLabel = "LIST", description = "Seeds (default: 0,1,2).")
    private List<Long> seeds = List.of(0L, 1L, 2L);

    @Option(names = "--steps", defaultValue = "2000",
            description = "Training steps per run (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Screens per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--dim", defaultValue = "32", paramLabel = "D",
            description = "Model width D, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    private int dim;

    @Option(names = "--depth", defaultValue = "2", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    private int depth;

    @Option(names = "--gamma", defaultValue = "0.3",
            description = "lff: γ, W_r std 1/γ in radians per screen width (default: ${DEFAULT-VALUE}).")
    private double gamma;

    @Option(names = "--eval-every", defaultValue = "100", paramLabel = "N",
            description = "Test every N steps (default: ${DEFAULT-VALUE}).")
    private int evalEvery;

    @Option(names = "--test-screens", defaultValue = "400", paramLabel = "N",
            description = "Test screens (default: ${DEFAULT-VALUE}).")
    private int testScreens;

    @Option(names = "--out", defaultValue = "out/train-boxes", paramLabel = "DIR",
            description = "Folder for results.csv, results.md and accuracy.png (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override public int run(RunContext context) throws Exception {
        List<BoxVariant> variants = pe.equals("all") ? BoxVariant.ALL : List.of(BoxVariant.of(pe, groups));
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: expected at least one, got none");
        OptionChecks.inRange("--steps", steps, 1, OptionChecks.MAX_COUNT);
        OptionChecks.inRange("--batch", batch, 1, OptionChecks.MAX_COUNT);
        OptionChecks.inRange("--depth", depth, 1, 64);
        OptionChecks.inRange("--eval-every", evalEvery, 1, OptionChecks.MAX_COUNT);
        OptionChecks.inRange("--test-screens", testScreens, 1, OptionChecks.MAX_COUNT);
        if (dim <= 0 || dim % 8 != 0 || dim > OptionChecks.MAX_WIDTH) throw new IllegalArgumentException(
                "--dim: expected a positive multiple of 8 (sine: 4 coordinates × sin/cos pairs), got " + dim);
        OptionChecks.positive("--lr", lr);
        OptionChecks.inRange("--gamma", gamma, OptionChecks.MIN_GAMMA, false, Double.MAX_VALUE,
                "W_r's std 1/γ must stay a representable frequency");
        BoxTrainer.Config config = new BoxTrainer.Config(dim, depth, 2, gamma, lr, batch, steps, evalEvery,
                testScreens);
        PrintStream ps = Streams.of(context.out());
        ps.println("train-boxes: %s; seeds %s; %d steps of %d screens; D %d, %d blocks; %s".formatted(
                variants.stream().map(BoxVariant::label).toList(), seeds, steps, batch, dim, depth,
                context.backend().describe()));
        Files.createDirectories(out);
        List<BoxTrainer.Result> results = new ArrayList<>();
        ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
        for (BoxVariant v : variants) {
            for (long seed : seeds) {
                bar.start(v.label() + " s" + seed, steps, ProgressBar.Metric.ACCURACY);
                BoxTrainer.Result r = BoxTrainer.train(context.backend(), v, config, seed, bar::update);
                bar.finish(BoxReport.summary(r));
                results.add(r);
            }
        }
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("task", "per widget: inside another box / overlapping one / free; screens of 4–16 widgets, "
                + "fresh each step");
        settings.put("model", "Transformer encoder, D %d, %d blocks, 2 heads, type embedding + box encoding"
                .formatted(dim, depth));
        settings.put("encodings", "lff |F| %d, |H| %d, γ %s; sine: octaves 2π·2^k; mlp: Linear(4,%d)·GELU·Linear"
                .formatted(dim, dim, gamma, dim));
        settings.put("budget", "%d steps of %d screens, Adam lr %s; seeds %s; %d test screens".formatted(steps,
                batch, lr, seeds, testScreens));
        settings.put("backend", context.backend().describe());
        BoxReport.write(out, results, settings);
        ps.print(BoxReport.markdown(results, settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, accuracy.png");
        ps.flush();
        return 0;
    }

    /** {@code compare-pe --task boxes}: every variant at this command's defaults, into {@code out}. */
    static int compareAll(RunContext context, Path out) throws Exception {
        TrainBoxesCommand all = new TrainBoxesCommand();
        new picocli.CommandLine(all).parseArgs("--pe", "all", "--out", out.toString());
        return all.run(context);
    }
}
