package dev.posenc.models.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Placeholder replaced below. */
@Command(name = "encoding", description = "Choose a positional encoding by DARTS: α against perturbation against training each alone.")
final class NasEncodingCommand implements BackendCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) { throw new UnsupportedOperationException("nas encoding: not written yet"); }
}
