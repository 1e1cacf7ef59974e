package dev.posenc.models.cli;

import dev.posenc.models.analysis.ntk.KernelMemory;
import dev.posenc.models.analysis.ntk.SpectralBiasAnalysis;
import dev.posenc.models.analysis.ntk.SpectralBiasReport;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.report.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * {@code posenc analyze spectral-bias}: each encoding learns a sum of sinusoids by gradient descent; the error of
 * each frequency against step, measured and predicted by the NTK (see {@link SpectralBiasAnalysis}).
 */
@Command(name = "spectral-bias", sortOptions = false,
        description = {"Spectral bias (Tancik et al. 2020): fit-image's MLP with each encoding learns a sum of sinusoids",
                "by full-batch gradient descent; the relative error of each frequency (DFT of the residual) against",
                "step, measured and as the NTK predicts it. Writes spectral_bias.png, results.md and results.csv."})
final class AnalyzeSpectralBiasCommand implements BackendCommand {
    @Mixin private KernelOptions options;

    @Option(names = "--points", paramLabel = "N", defaultValue = "256",
            description = "Training points x_j = j/N of [0,1), also the DFT grid (default: ${DEFAULT-VALUE}).")
    private int points;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "1000", description = "Gradient-descent steps (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--every", paramLabel = "E", defaultValue = "10", description = "Measure every E steps (default: ${DEFAULT-VALUE}).")
    private int every;

    @Option(names = "--lr", paramLabel = "η",
            description = "One fixed rate for every encoding instead of --lr-scale (diverges where η·λ_max/N ≥ 2).")
    private Double lr;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "analyze-spectral-bias-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        if (points < 4) throw new IllegalArgumentException("--points: expected at least 4, got " + points);
        options.validate(points);
        if (steps < 1) throw new IllegalArgumentException("--steps: expected an integer >= 1, got " + steps);
        if (every < 1) throw new IllegalArgumentException("--every: expected an integer >= 1, got " + every);
        if (lr != null && !(lr > 0 && lr < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException(
                "--lr: expected a finite rate > 0, got " + lr);
        KernelMemory.require("--points", points, true, Runtime.getRuntime().maxMemory());
        SpectralBiasAnalysis.Settings settings = new SpectralBiasAnalysis.Settings(points, options.target(), steps,
                every, options.lrScale, lr == null ? Double.NaN : lr, options.sigma, options.posencScale, options.seed,
                Mlp.TANCIK_HIDDEN);
        Files.createDirectories(out);

        PrintStream terminal = new PrintStream(System.out, true);
        ProgressBar bar = new ProgressBar(terminal, ProgressBar.stdoutIsTerminal());
        context.out().printf("analyze spectral-bias: %d points, frequencies %s, %d GD steps, encodings %s, backend %s%n",
                points, options.frequencies, steps, String.join(",", options.encodings), context.backend().describe());
        context.out().flush();
        List<SpectralBiasAnalysis.Run> runs = new ArrayList<>();
        for (String encoding : options.encodings) {
            bar.start(encoding, steps, ProgressBar.Metric.NONE);
            SpectralBiasAnalysis.Run run = SpectralBiasAnalysis.analyse(context.backend(), settings, encoding,
                    (step, loss) -> bar.update(step, loss, Double.NaN));
            bar.finish(summary(run));
            runs.add(run);
            SpectralBiasReport.write(out, settings(), runs);
        }
        context.out().printf("wrote %s, %s, %s in %s%n", SpectralBiasReport.PLOT, SpectralBiasReport.MARKDOWN,
                SpectralBiasReport.CSV, out);
        return 0;
    }

    private SequencedMap<String, String> settings() {
        SequencedMap<String, String> s = options.describe();
        s.putFirst("points", points + " points x_j = j/N of [0,1): training set and DFT grid");
        s.put("GD steps, measured every", steps + ", " + every);
        if (lr != null) s.put("optimiser", "plain full-batch gradient descent on (1/2N)Σ(f − y)², η = " + lr + " for every encoding");
        return s;
    }

    private static String summary(SpectralBiasAnalysis.Run run) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-10s η %.3g  error at the end (measured/predicted):",
                run.encoding(), run.eta()));
        for (SpectralBiasAnalysis.Curve c : run.curves()) {
            int last = c.steps().length - 1;
            s.append(String.format(Locale.ROOT, "  f=%d %.2g/%.2g", c.frequency(), c.measured()[last], c.predicted()[last]));
        }
        return s.append(String.format(Locale.ROOT, "  (%.1f s)", run.seconds())).toString();
    }
}
