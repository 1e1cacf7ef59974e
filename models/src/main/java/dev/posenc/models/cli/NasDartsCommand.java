package dev.posenc.models.cli;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.nas.DartsRun;
import dev.posenc.models.nas.DartsSettings;
import dev.posenc.models.nas.NasOp;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code posenc nas darts}: spec §7.3's toy. Checks every option before loading data, then hands over to
 * {@link DartsRun}.
 */
@Command(name = "darts", sortOptions = false,
        description = {"DARTS on a 2-cell network on 14×14 Fashion-MNIST; α-magnitude against perturbation (DARTS-PT)",
                "selection; both architectures retrained from scratch and tested. Writes results.csv, alpha.csv,",
                "projections.csv, results.md, alpha.png and accuracy.png."})
final class NasDartsCommand implements BackendCommand {
    @Option(names = "--data", defaultValue = "fashion-mnist", paramLabel = "fashion-mnist|DIR",
            description = "The data set: fashion-mnist (installed in " + "/usr/share/datasets/fashion-mnist) or a folder with its four files (default: ${DEFAULT-VALUE}).")
    private String data;

    @Option(names = "--epochs", defaultValue = "6", paramLabel = "E", description = "Supernet search epochs (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", paramLabel = "LIST", description = "Seeds, one search each (default: ${DEFAULT-VALUE}).")
    private List<Long> seeds;

    @Option(names = "--ops", split = ",", paramLabel = "LIST",
            description = "Candidate operations of every edge (default: all of " + "none,skip_connect,conv_3x3,sep_conv_3x3,dil_conv_3x3,avg_pool_3x3,max_pool_3x3).")
    private List<String> ops = List.of(NasOp.names().split(","));

    @Option(names = "--channels", defaultValue = "8", paramLabel = "C", description = "Channels of the first cell; the second has 2C (default: ${DEFAULT-VALUE}).")
    private int channels;

    @Option(names = "--train", defaultValue = "500", paramLabel = "N", description = "Training-split examples (weights) (default: ${DEFAULT-VALUE}).")
    private int train;

    @Option(names = "--val", defaultValue = "250", paramLabel = "N", description = "Validation-split examples (α and perturbation), after the training split (default: ${DEFAULT-VALUE}).")
    private int val;

    @Option(names = "--test", defaultValue = "1000", paramLabel = "N", description = "Test examples for the retrained networks (default: ${DEFAULT-VALUE}).")
    private int test;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--tune-epochs", defaultValue = "1", paramLabel = "E", description = "Fine-tuning epochs after each projection (default: ${DEFAULT-VALUE}).")
    private int tuneEpochs;

    @Option(names = "--retrain-epochs", defaultValue = "4", paramLabel = "E", description = "Epochs to retrain each discrete network (default: ${DEFAULT-VALUE}).")
    private int retrainEpochs;

    @Option(names = "--lr", defaultValue = "0.025", description = "Weight learning rate, cosine to 0.001 (DARTS) (default: ${DEFAULT-VALUE}).")
    private float lr;

    @Option(names = "--arch-lr", defaultValue = "3e-3", description = "α's Adam learning rate (DARTS: 3e-4 over ~20k steps) (default: ${DEFAULT-VALUE}).")
    private float archLr;

    @Option(names = "--out", defaultValue = "nas-darts-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        Path dir = data.equals("fashion-mnist") ? FashionMnist.DEFAULT_DIR : Path.of(data);
        if (!data.equals("fashion-mnist") && !java.nio.file.Files.isDirectory(dir)) throw new IllegalArgumentException(
                "--data: expected fashion-mnist or a folder with the Fashion-MNIST files, got '%s'".formatted(data));
        List<NasOp> candidates = new ArrayList<>();
        for (String o : ops) {
            NasOp op = NasOp.parse("--ops", o.strip());
            if (candidates.contains(op)) throw new IllegalArgumentException("--ops: expected each operation once, got '%s' twice".formatted(o));
            candidates.add(op);
        }
        if (candidates.stream().allMatch(o -> o == NasOp.NONE)) throw new IllegalArgumentException(
                "--ops: expected at least one operation other than none (from %s), got '%s'".formatted(NasOp.names(), String.join(",", ops)));
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: expected at least one seed, got none");
        OptionChecks.inRange("--epochs", epochs, 1, 10_000);
        OptionChecks.inRange("--channels", channels, 1, 256);
        OptionChecks.inRange("--batch", batch, 2, 4096);
        OptionChecks.inRange("--train", train, batch, 59_000);
        OptionChecks.inRange("--val", val, batch, 60_000 - train);
        OptionChecks.inRange("--test", test, 1, 10_000);
        OptionChecks.inRange("--tune-epochs", tuneEpochs, 0, 10_000);
        OptionChecks.inRange("--retrain-epochs", retrainEpochs, 1, 10_000);
        OptionChecks.inRange("--lr", lr, 0, true, 10, "a learning rate");
        OptionChecks.inRange("--arch-lr", archLr, 0, true, 10, "a learning rate");
        PrintStream ps = Streams.of(context.out());
        PartialOutput reports = PartialOutput.open("--out", OutputFolders.prepare("--out", out), DartsRun.files());
        var settings = new DartsSettings(14, channels, batch, train, val, test, epochs, tuneEpochs, retrainEpochs, lr, 0.001f, archLr);
        DartsRun.run(context.backend(), settings, candidates, seeds, dir, out, reports.partial(), context.checkFinite(), ps);
        reports.finish();
        return 0;
    }
}
