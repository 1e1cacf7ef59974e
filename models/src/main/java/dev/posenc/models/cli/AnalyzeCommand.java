package dev.posenc.models.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posenc analyze WHAT}: the command family that shows <em>why</em> one encoding beats another
 * (neural tangent kernels, spectral bias, σ sweeps, shifted-basis embedders, kernel approximation). Each
 * subcommand lives in its own package under {@code dev.posenc.models.analysis} and writes results.csv,
 * results.md and its plots into {@code --out}.
 */
@Command(name = "analyze", sortOptions = false,
        description = "Why Fourier features work: kernels, spectra and sweeps. See 'posenc analyze WHAT --help'.",
        subcommands = {
                AnalyzeNtkCommand.class,
                AnalyzeSpectralBiasCommand.class,
                dev.posenc.models.analysis.embedders.EmbeddersCommand.class,
                dev.posenc.models.analysis.kernel.KernelCommand.class,
                dev.posenc.models.analysis.toy1d.Toy1dCommand.class,
                dev.posenc.models.analysis.sweep.SweepCommand.class,
        })
final class AnalyzeCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** No analysis named: say which there are. */
    @Override public Integer call() {
        spec.commandLine().getErr().println("posenc analyze: missing what to analyze");
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }
}
