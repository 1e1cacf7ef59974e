package dev.posenc.models.cli;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.vit.ComparePe;
import dev.posenc.models.vit.VitConfig;
import dev.posenc.models.vit.VitTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code posenc compare-pe}: the ViT with every positional encoding, same seed, data order and budget; writes
 * results.csv/.md (test accuracy, steps to 85 %, accuracy at an unseen resolution, time), curves.csv and
 * accuracy.png.
 */
@Command(name = "compare-pe", sortOptions = false,
        description = "Train the ViT with each positional encoding on Fashion-MNIST and compare them.")
final class ComparePeCommand implements BackendCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--encodings", split = ",", paramLabel = "LIST",
            description = "Encodings to compare (default: embed1d,embed2d,sine2d,cape2d,mlp,lff-only,lff,none).")
    private List<String> encodings = VitConfig.ENCODINGS;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs per encoding (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--unseen-size", defaultValue = "36", paramLabel = "S",
            description = "Also test on images resized to S × S, an unseen grid (default: ${DEFAULT-VALUE}).")
    private int unseenSize;

    @Mixin private VitOptions data = new VitOptions();

    @Option(names = "--out", defaultValue = "out/compare-pe", paramLabel = "DIR",
            description = "Folder for results and checkpoints (default: ${DEFAULT-VALUE}). Until every encoding is "
                    + "done, the results of the finished ones are written to DIR/partial/.")
    private Path out;

    /** Resized test images are held whole (N · S² floats): 256² is already 80 times the training images. */
    static final int MAX_UNSEEN = 256;
    private static final List<String> REPORTS = List.of("results.csv", "curves.csv", "results.md", "accuracy.png");

    @Option(names = "--task", defaultValue = "vit", paramLabel = "vit|boxes",
            description = "vit: the ViT on Fashion-MNIST; boxes: train-boxes --pe all (every box encoding; the ViT "
                    + "options do not apply) (default: ${DEFAULT-VALUE}).")
    private String task;

    @Override public int run(RunContext context) throws Exception {
        if (task.equals("boxes")) return TrainBoxesCommand.compareAll(context, out);
        if (!task.equals("vit")) throw new IllegalArgumentException("--task: expected vit or boxes, got '" + task + "'");
        OptionChecks.atLeastOne("--encodings", encodings, VitConfig.ENCODINGS);
        List<VitConfig> configs = new ArrayList<>();
        for (String e : encodings) configs.add(data.config(e));   // every name checked before any training
        VitConfig first = configs.getFirst();
        OptionChecks.inRange("--epochs", epochs, 1, OptionChecks.MAX_COUNT);
        if (unseenSize <= 0 || unseenSize > MAX_UNSEEN || unseenSize % first.patch() != 0) {
            throw new IllegalArgumentException("--unseen-size: expected a multiple of the patch size %d in [%d, %d], got %d"
                    .formatted(first.patch(), first.patch(), MAX_UNSEEN, unseenSize));
        }
        for (VitConfig c : configs) VitOptions.requireMemory("compare-pe", context.memory(), c, unseenSize);
        PartialOutput reports = PartialOutput.open("--out", OutputFolders.prepare("--out", out), REPORTS);
        PrintStream ps = Streams.of(context.out());
        ps.println("compare-pe: " + first.describe() + "; " + epochs + " epoch(s); " + context.backend().describe());
        List<ComparePe.Row> rows = new ArrayList<>();
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("model and data", first.describe());
        settings.put("budget", epochs + " epoch(s) per encoding, same seed, data order and body initialisation");
        settings.put("unseen resolution", "test images resized to %d×%d (grid %d×%d; trained on %d×%d)".formatted(
                unseenSize, unseenSize, unseenSize / first.patch(), unseenSize / first.patch(), first.grid(),
                first.grid()));
        settings.put("backend", context.backend().describe());
        try (Arena arena = Arena.ofShared()) {
            FashionMnist.Data train = FashionMnist.load(data.dir, FashionMnist.Split.TRAIN, first.trainLimit(), arena);
            FashionMnist.Data test = FashionMnist.load(data.dir, FashionMnist.Split.TEST, first.testLimit(), arena);
            FashionMnist.Data unseen = FashionMnist.resized(test, unseenSize, arena);
            ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
            try {
                for (VitConfig config : configs) {
                    bar.start(config.encoding(), epochs * (Math.min(train.size(), config.trainLimit()) / config.batch()),
                            ProgressBar.Metric.ACCURACY);
                    VitTrainer.Result r = VitTrainer.train(context.backend(), config, epochs, train, test,
                            out.resolve("checkpoint-" + config.encoding() + ".safetensors"), null, context.checkFinite(),
                            bar::update);
                    try (var _ = r.model()) {
                        bar.finish(TrainVitCommand.summary(r));
                        ps.println(TrainVitCommand.scales(r));
                        rows.add(ComparePe.row(r, unseenSize, ComparePe.unseenAccuracy(context.backend(), r, unseen,
                                config.testLimit(), context.checkFinite())));
                    }
                    ComparePe.write(reports.partial(), rows, settings);   // a kill keeps what finished, apart
                }
            } catch (RuntimeException | IOException e) {
                bar.abandon();
                if (reports.hasAny()) {
                    ps.printf("compare-pe: stopped; the %d finished encoding(s) are in %s; the complete results in %s, "
                            + "if any, are those of an earlier run%n", rows.size(), reports.partial(), out);
                } else {
                    reports.finish();
                }
                ps.flush();
                throw e;
            }
        }
        ComparePe.write(out, rows, settings);
        reports.finish();
        ps.print(ComparePe.markdown(rows, settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, curves.csv, accuracy.png");
        ps.flush();
        return 0;
    }
}
