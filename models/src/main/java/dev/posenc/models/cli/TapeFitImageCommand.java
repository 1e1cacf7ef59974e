package dev.posenc.models.cli;

import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.train.FitConfig;
import dev.posenc.models.train.FitStepTape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** {@code posenc tape fit-image}: the tape of one fit-image training step (forward, 0.5·MSE, backward). */
@Command(name = "fit-image", sortOptions = false,
        description = "Print the tape of one fit-image training step; write tape.dot (and tape.svg with Graphviz).")
final class TapeFitImageCommand implements BackendCommand {
    @Option(names = "--encoding", paramLabel = "NAME", defaultValue = "lff",
            description = "The encoding under the MLP, one of none, basic, positional, gaussian, lff, ... (default: ${DEFAULT-VALUE}).")
    private String encoding;

    @Option(names = "--size", paramLabel = "S", description = "Image side, a power of two (default 128, as fit-image).")
    private Integer size;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tape-out/fit-image",
            description = "Folder for tape.dot and tape.svg (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        if (!Encodings.CONTINUOUS_NAMES.contains(encoding)) throw new IllegalArgumentException(
                "--encoding: expected one of %s, got '%s'".formatted(Encodings.CONTINUOUS_NAMES, encoding));
        FitConfig config = FitConfig.defaults();
        if (size != null) config = config.withSize(size);
        var source = BuiltinImages.load("astronaut", config.size(), config.seed());
        FitStepTape.Recorded r = FitStepTape.record(context.backend(), source, encoding, config);
        var ps = Streams.of(context.out());
        TapeCommand.show(ps, String.format(Locale.ROOT, "tape of one fit-image step: %s, %d×%d image (%d training pixels), "
                + "loss 0.5·MSE = %.5f", encoding, config.size(), config.size(), config.size() * config.size() / 4, r.loss()),
                r.table(), r.dot(), out);
        ps.flush();
        return 0;
    }
}
