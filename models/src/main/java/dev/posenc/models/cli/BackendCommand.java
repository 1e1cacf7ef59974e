package dev.posenc.models.cli;

/**
 * A subcommand that computes. {@link Main} builds the one {@link dev.posenc.core.Backend} chosen by
 * {@code --backend} and {@code --threads}, hands it in through the {@link RunContext}, and closes it when
 * {@link #run} returns; a command never builds its own.
 */
@FunctionalInterface
public interface BackendCommand {
    /** Runs the command; returns the process exit code (0 for success). */
    int run(RunContext context) throws Exception;
}
