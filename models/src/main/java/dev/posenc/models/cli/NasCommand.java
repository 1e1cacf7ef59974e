package dev.posenc.models.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posenc nas WHAT}: differentiable architecture search (DARTS) and selection by perturbation (DARTS-PT,
 * Wang et al. 2021): {@code darts} on the toy cell space, {@code encoding} to choose a positional encoding.
 * The code is in {@code dev.posenc.models.nas}.
 */
@Command(name = "nas", sortOptions = false,
        description = "Architecture search: DARTS with α against perturbation selection. See 'posenc nas WHAT --help'.",
        subcommands = {
                NasDartsCommand.class,
                NasEncodingCommand.class,
        })
final class NasCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public Integer call() {
        spec.commandLine().getErr().println("posenc nas: missing what to search (darts or encoding)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }
}
