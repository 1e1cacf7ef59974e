package dev.posenc.models.cli;

import dev.posenc.models.analysis.ntk.Grid;
import dev.posenc.models.analysis.ntk.KernelMemory;
import dev.posenc.models.analysis.ntk.NtkAnalysis;
import dev.posenc.models.analysis.ntk.NtkReport;
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
 * {@code posenc analyze ntk}: the empirical neural tangent kernel of fit-image's model for each encoding, its
 * spectrum and its shift-invariance (see {@link NtkAnalysis}). Every file is rewritten after each encoding.
 */
@Command(name = "ntk", sortOptions = false,
        description = {"The empirical neural tangent kernel of fit-image's coordinate MLP (output channel 0 before the",
                "sigmoid) for each encoding, on N points of [0,1) or an n×n grid, at initialisation and after --steps",
                "of gradient descent. Writes ntk_spectrum.png, ntk_kernel.png, results.md and results.csv."})
final class AnalyzeNtkCommand implements BackendCommand {
    @Mixin private KernelOptions options;

    @Option(names = "--points", paramLabel = "N", defaultValue = "1024",
            description = "Points: N of [0,1) for --dims 1; for --dims 2 a square n² (an n×n grid) (default: ${DEFAULT-VALUE}).")
    private int points;

    @Option(names = "--dims", paramLabel = "1|2", defaultValue = "1", description = "Position dimensions (default: ${DEFAULT-VALUE}).")
    private int dims;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "0",
            description = "Also the kernel after K gradient-descent steps on the signal (default: ${DEFAULT-VALUE}: init only).")
    private int steps;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "analyze-ntk-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        Grid grid = grid();
        options.validate(grid.side());
        if (steps < 0) throw new IllegalArgumentException("--steps: expected an integer >= 0, got " + steps);
        KernelMemory.require("--points", grid.points(), false, Runtime.getRuntime().maxMemory());
        NtkAnalysis.Settings settings = new NtkAnalysis.Settings(grid, options.sigma, options.posencScale, steps,
                options.lrScale, options.target(), options.seed);
        Files.createDirectories(out);

        PrintStream terminal = new PrintStream(System.out, true);
        ProgressBar bar = new ProgressBar(terminal, ProgressBar.stdoutIsTerminal());
        context.out().printf("analyze ntk: %s, encodings %s, %d GD steps, backend %s%n", describe(grid),
                String.join(",", options.encodings), steps, context.backend().describe());
        context.out().flush();
        List<NtkAnalysis.Kernel> kernels = new ArrayList<>();
        for (String encoding : options.encodings) {
            bar.start(encoding, steps, ProgressBar.Metric.NONE);
            List<NtkAnalysis.Kernel> mine = NtkAnalysis.analyse(context.backend(), settings, encoding,
                    (step, loss) -> bar.update(step, loss, Double.NaN));
            if (steps > 0) bar.finish(encoding + " trained");
            for (NtkAnalysis.Kernel k : mine) context.out().println(summary(k));
            context.out().flush();
            kernels.addAll(mine);
            NtkReport.write(out, settings(grid), kernels);
        }
        context.out().printf("wrote %s, %s, %s, %s in %s%n", NtkReport.SPECTRUM, NtkReport.KERNEL, NtkReport.MARKDOWN,
                NtkReport.CSV, out);
        return 0;
    }

    /** The points, each of the options' mistakes named. */
    private Grid grid() {
        if (dims != 1 && dims != 2) throw new IllegalArgumentException("--dims: expected 1 or 2, got " + dims);
        if (points < 4) throw new IllegalArgumentException("--points: expected at least 4, got " + points);
        if (dims == 1) return new Grid(1, points);
        int side = (int) Math.round(Math.sqrt(points));
        if (side * side != points) throw new IllegalArgumentException(
                "--points: expected a square n² for --dims 2 (e.g. %d or %d), got %d".formatted(side * side,
                        (side + 1) * (side + 1), points));
        return new Grid(2, side);
    }

    private static String describe(Grid grid) {
        return grid.dims() == 1 ? grid.points() + " points of [0,1)" : "a %d×%d grid".formatted(grid.side(), grid.side());
    }

    private SequencedMap<String, String> settings(Grid grid) {
        SequencedMap<String, String> s = options.describe();
        s.putFirst("points", describe(grid) + (grid.dims() == 1 ? ", x_j = j/N" : ", point r·n + c at (c/n, r/n)"));
        if (grid.dims() == 2) s.put("signal (2-D)", "½(y(x₁) + y(x₂)) with y the 1-D signal above");
        s.put("GD steps", Integer.toString(steps));
        return s;
    }

    private static String summary(NtkAnalysis.Kernel k) {
        double[] l = k.eigenvalues();
        return String.format(Locale.ROOT, "%-10s step %-5d λ_max %.4g  λ_10/λ_max %.3g  λ_100/λ_max %.3g  shift variance %.3g  kernel %.3f s",
                k.encoding(), k.step(), l[0], l.length > 10 ? l[10] / l[0] : Double.NaN,
                l.length > 100 ? l[100] / l[0] : Double.NaN, k.shiftVariance(), k.seconds());
    }
}
