package dev.posenc.models.cli;

import dev.posenc.models.vit.VitConfig;
import dev.posenc.models.vit.VitStepTape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** {@code posenc tape vit}: the tape of one train-vit step (forward, cross-entropy, backward). */
@Command(name = "vit", sortOptions = false,
        description = "Print the tape of one ViT training step; write tape.dot (and tape.svg with Graphviz).")
final class TapeVitCommand implements BackendCommand {
    @Option(names = "--pe", paramLabel = "NAME", defaultValue = "lff",
            description = "Positional encoding, as train-vit's --pe (default: ${DEFAULT-VALUE}).")
    private String pe;

    @Option(names = "--batch", paramLabel = "B", description = "Images in the step (default: 128, as train-vit).")
    private Integer batch;

    @Option(names = "--small", description = "The small model of train-vit --small: D 16, 1 block, 2 heads, MLP 32.")
    private boolean small;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tape-out/vit",
            description = "Folder for tape.dot and tape.svg (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        VitConfig config = VitConfig.defaults(pe);
        if (small) config = config.withModel(16, 1, 2, 32);
        if (batch != null) config = config.withBatch(OptionChecks.inRange("--batch", batch, 1, OptionChecks.MAX_COUNT));
        VitStepTape.Recorded r = VitStepTape.record(context.backend(), config);
        var ps = Streams.of(context.out());
        TapeCommand.show(ps, String.format(Locale.ROOT, "tape of one train-vit step on seeded noise images: %s; "
                + "cross-entropy = %.5f", config.describe(), r.loss()), r.table(), r.dot(), out);
        ps.flush();
        return 0;
    }
}
