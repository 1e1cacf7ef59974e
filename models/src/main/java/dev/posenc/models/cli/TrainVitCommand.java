package dev.posenc.models.cli;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.vit.VitConfig;
import dev.posenc.models.vit.VitTrainer;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code posenc train-vit}: trains the small ViT ({@link dev.posenc.models.vit.Vit}) on Fashion-MNIST with one
 * positional encoding, printing progress, writing a checkpoint after every epoch, and printing the test accuracy.
 */
@Command(name = "train-vit", sortOptions = false,
        description = "Train a small ViT on Fashion-MNIST with one positional encoding.")
final class TrainVitCommand implements BackendCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--pe", defaultValue = "lff", paramLabel = "NAME",
            description = "Positional encoding: embed1d, embed2d, sine2d, cape2d, mlp, lff-only, lff, none "
                    + "(default: ${DEFAULT-VALUE}).")
    private String pe;

    @Option(names = "--epochs", defaultValue = "1",
            description = "Epochs in total, counting a resumed run's (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Mixin private VitOptions data = new VitOptions();

    @Option(names = "--out", defaultValue = "out/train-vit", paramLabel = "DIR",
            description = "Folder for the checkpoint (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue from this checkpoint (same options; --epochs may grow).")
    private Path resume;

    @Override public int run(RunContext context) throws Exception {
        VitConfig config = data.config(pe);
        OptionChecks.inRange("--epochs", epochs, 1, OptionChecks.MAX_COUNT);
        if (resume != null && Files.isDirectory(resume)) throw new IllegalArgumentException(("--resume: expected a "
                + "checkpoint file written by train-vit, got the folder %s (its checkpoint is %s)").formatted(resume,
                resume.resolve("checkpoint-" + config.encoding() + ".safetensors")));
        if (resume != null && !Files.isRegularFile(resume)) throw new IllegalArgumentException(
                "--resume: expected a checkpoint file written by train-vit, got '%s': no such file".formatted(resume));
        VitOptions.requireMemory("train-vit", context.memory(), config, 0);
        OutputFolders.prepare("--out", out);
        PrintStream ps = Streams.of(context.out());
        ps.println("train-vit: " + config.encoding() + ": " + config.describe() + "; " + context.backend().describe());
        Path checkpoint = out.resolve("checkpoint-" + config.encoding() + ".safetensors");
        try (Arena arena = Arena.ofShared()) {
            FashionMnist.Data train = FashionMnist.load(data.dir, FashionMnist.Split.TRAIN, config.trainLimit(), arena);
            FashionMnist.Data test = FashionMnist.load(data.dir, FashionMnist.Split.TEST, config.testLimit(), arena);
            ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
            bar.start(config.encoding(), epochs * (Math.min(train.size(), config.trainLimit()) / config.batch()),
                    ProgressBar.Metric.ACCURACY);
            VitTrainer.Result r;
            try {
                r = VitTrainer.train(context.backend(), config, epochs, train, test, checkpoint, resume,
                        context.checkFinite(), bar::update);
            } catch (RuntimeException e) {
                bar.abandon();
                throw e;
            }
            try (var _ = r.model()) {
                bar.finish(summary(r));
                ps.println(scales(r));
            }
            ps.println("checkpoint: " + checkpoint);
        }
        ps.flush();
        return 0;
    }

    /** Positional signal beside the patch tokens, as rms (see {@link dev.posenc.models.vit.Vit#scales}). */
    static String scales(VitTrainer.Result r) {
        return String.format(Locale.ROOT, "%-10s scales (rms): patch tokens %.3f → %.3f, position-dependent part "
                + "of the encoding %.4f → %.4f (start → end of this run)", r.model().config().encoding(),
                r.startScales().patchTokensRms(), r.endScales().patchTokensRms(), r.startScales().positionalRms(),
                r.endScales().positionalRms());
    }

    static String summary(VitTrainer.Result r) {
        int to85 = r.stepsToReach(0.85);
        double steady = r.steadyStepsPerSecond();
        return String.format(Locale.ROOT, "%-10s %d steps, test accuracy %.2f %%, 85 %% %s, %.2f train steps/s "
                + "(%s after %d warm-up steps)", r.model().config().encoding(), r.steps(), 100 * r.testAccuracy(),
                to85 < 0 ? "not reached" : "at step " + to85, r.stepsPerSecond(),
                Double.isNaN(steady) ? "n/a: no steps" : String.format(Locale.ROOT, "%.2f", steady),
                VitTrainer.WARMUP_STEPS);
    }
}
