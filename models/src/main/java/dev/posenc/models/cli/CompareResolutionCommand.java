package dev.posenc.models.cli;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.vit.ComparePe;
import dev.posenc.models.vit.ResolutionSweep;
import dev.posenc.models.vit.VitConfig;
import dev.posenc.models.vit.VitTrainer;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code posenc compare-resolution}: CAPE's resolution sweep ({@link ResolutionSweep}): the ViT trained at 28 × 28
 * with each encoding and seed, tested on the test images resized to each size; results.csv/.md and resolution.png
 * (median over the seeds).
 */
@Command(name = "compare-resolution", sortOptions = false,
        description = "Train the ViT at 28×28 with each encoding and seed; test it at other resolutions.")
final class CompareResolutionCommand implements BackendCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--encodings", split = ",", paramLabel = "LIST",
            description = "Encodings to compare (default: embed1d,embed2d,sine2d,cape2d,lff).")
    private List<String> encodings = List.of("embed1d", "embed2d", "sine2d", "cape2d", "lff");

    @Option(names = "--seeds", split = ",", paramLabel = "LIST",
            description = "Seeds; each encoding is trained once per seed (default: 0,1,2).")
    private List<Long> seeds = List.of(0L, 1L, 2L);

    @Option(names = "--sizes", split = ",", paramLabel = "LIST",
            description = "Test resolutions, multiples of the patch size 4 (default: 28,36,44,56: grids 7, 9, 11, 14; "
                    + "42 would be 10.5 patches).")
    private List<Integer> sizes = List.of(28, 36, 44, 56);

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Mixin private VitOptions data = new VitOptions();

    @Option(names = "--out", defaultValue = "out/compare-resolution", paramLabel = "DIR",
            description = "Folder for results.csv, results.md and resolution.png (default: ${DEFAULT-VALUE}).")
    private Path out;

    /** Resized test images are held whole (N · S² floats). */
    static final int MAX_SIZE = 256;

    @Override public int run(RunContext context) throws Exception {
        if (encodings.isEmpty()) throw new IllegalArgumentException("--encodings: expected at least one, got none");
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: expected at least one, got none");
        if (epochs <= 0) throw new IllegalArgumentException("--epochs: expected > 0, got " + epochs);
        List<VitConfig> configs = new ArrayList<>();
        for (String e : encodings) configs.add(data.config(e));   // every name and number checked before training
        VitConfig first = configs.getFirst();
        List<Integer> tested = ResolutionSweep.checkSizes("--sizes", sizes, first.patch(), MAX_SIZE);
        PrintStream ps = Streams.of(context.out());
        ps.println("compare-resolution: " + first.describe() + "; seeds " + seeds + "; " + epochs + " epoch(s); sizes "
                + tested + "; " + context.backend().describe());
        Files.createDirectories(out);
        List<ResolutionSweep.Point> points = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            FashionMnist.Data train = FashionMnist.load(data.dir, FashionMnist.Split.TRAIN, first.trainLimit(), arena);
            FashionMnist.Data test = FashionMnist.load(data.dir, FashionMnist.Split.TEST, first.testLimit(), arena);
            List<FashionMnist.Data> resized = new ArrayList<>();
            for (int s : tested) resized.add(s == first.imageSize() ? test : FashionMnist.resized(test, s, arena));
            ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
            for (VitConfig base : configs) {
                for (long seed : seeds) {
                    VitConfig config = base.withSeed(seed);
                    bar.start(config.encoding() + " s" + seed, epochs * (Math.min(train.size(), config.trainLimit())
                            / config.batch()), ProgressBar.Metric.ACCURACY);
                    VitTrainer.Result r = VitTrainer.train(context.backend(), config, epochs, train, test, null, null,
                            context.checkFinite(), bar::update);
                    try (var _ = r.model()) {
                        List<ResolutionSweep.Point> run = new ArrayList<>();
                        for (int i = 0; i < tested.size(); i++) {
                            int s = tested.get(i);
                            double accuracy = ComparePe.unseenAccuracy(context.backend(), r, resized.get(i),
                                    config.testLimit(), context.checkFinite());
                            run.add(new ResolutionSweep.Point(config.encoding(), seed, s, s / config.patch(), accuracy));
                        }
                        bar.finish(ResolutionSweep.summary(config.encoding(), seed, run));
                        points.addAll(run);
                    }
                }
            }
        }
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("model and data", first.describe().replace("seed " + first.seed() + ", ", ""));
        settings.put("budget", epochs + " epoch(s) per run; seeds " + seeds + " (weights, data order, augmentation)");
        settings.put("test", "the test images resized bilinearly to each size; patch centres mapped onto the training "
                + "grid, learned tables interpolated bilinearly");
        settings.put("backend", context.backend().describe());
        ResolutionSweep.write(out, points, encodings, tested, first.imageSize(), seeds.size(), settings);
        ps.print(ResolutionSweep.markdown(points, encodings, tested, first.imageSize(), settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, resolution.png");
        ps.flush();
        return 0;
    }
}
