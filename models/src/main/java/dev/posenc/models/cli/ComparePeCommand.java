package dev.posenc.models.cli;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.vit.ComparePe;
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
            description = "Folder for results and checkpoints (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override public int run(RunContext context) throws Exception {
        List<VitConfig> configs = new ArrayList<>();
        for (String e : encodings) configs.add(data.config(e));   // every name checked before any training
        VitConfig first = configs.getFirst();
        if (unseenSize <= 0 || unseenSize % first.patch() != 0) throw new IllegalArgumentException(
                "compare-pe: unseen-size: expected a positive multiple of the patch size %d, got %d"
                        .formatted(first.patch(), unseenSize));
        PrintStream ps = Streams.of(context.out());
        ps.println("compare-pe: " + first.describe() + "; " + epochs + " epoch(s); " + context.backend().describe());
        Files.createDirectories(out);
        List<ComparePe.Row> rows = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            FashionMnist.Data train = FashionMnist.load(data.dir, FashionMnist.Split.TRAIN, first.trainLimit(), arena);
            FashionMnist.Data test = FashionMnist.load(data.dir, FashionMnist.Split.TEST, first.testLimit(), arena);
            FashionMnist.Data unseen = FashionMnist.resized(test, unseenSize, arena);
            ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
            for (VitConfig config : configs) {
                bar.start(config.encoding(), epochs * (Math.min(train.size(), config.trainLimit()) / config.batch()),
                        ProgressBar.Metric.ACCURACY);
                VitTrainer.Result r = VitTrainer.train(context.backend(), config, epochs, train, test,
                        out.resolve("checkpoint-" + config.encoding() + ".safetensors"), null, bar::update);
                try (var _ = r.model()) {
                    bar.finish(TrainVitCommand.summary(r));
                    ps.println(TrainVitCommand.scales(r));
                    rows.add(ComparePe.row(r, unseenSize, ComparePe.unseenAccuracy(context.backend(), r, unseen,
                            config.testLimit())));
                }
            }
        }
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("model and data", first.describe());
        settings.put("budget", epochs + " epoch(s) per encoding, same seed, data order and body initialisation");
        settings.put("unseen resolution", "test images resized to %d×%d (grid %d×%d; trained on %d×%d)".formatted(
                unseenSize, unseenSize, unseenSize / first.patch(), unseenSize / first.patch(), first.grid(),
                first.grid()));
        settings.put("backend", context.backend().describe());
        ComparePe.write(out, rows, settings);
        ps.print(ComparePe.markdown(rows, settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, curves.csv, accuracy.png");
        ps.flush();
        return 0;
    }
}
