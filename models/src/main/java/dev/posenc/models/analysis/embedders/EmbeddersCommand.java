package dev.posenc.models.analysis.embedders;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.cli.BackendCommand;
import dev.posenc.models.cli.RunContext;
import dev.posenc.models.report.ProgressBar;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * {@code posenc analyze embedders}: Zheng et al.'s trade-off between the stable rank of an embedding and how
 * well it preserves distance, on 1-D signals ({@link EmbeddersAnalysis}). Writes results.csv, results.md,
 * embedders_kernel.png and embedders_tradeoff.png into {@code --out}, each atomically.
 */
@Command(name = "embedders", sortOptions = false,
        description = {"Shifted-basis embedders: stable rank against distance preservation.",
                "Zheng et al.: for each embedder and parameter, the stable rank, distance",
                "preservation and train/test PSNR of a linear layer (or an MLP) fitted on every",
                "other sample of a 1-D signal. Writes results.csv, results.md,",
                "embedders_kernel.png and embedders_tradeoff.png."})
public final class EmbeddersCommand implements BackendCommand {
    static final String CSV_HEADER = "embedder,param,stable_rank,distance_preservation,train_psnr,test_psnr";
    /** The largest embedding, N × d values: 2²⁴ doubles = 128 MB (the defaults use 512 000). */
    static final long MAX_CELLS = 1L << 24;
    static final String KERNEL_PLOT = "embedders_kernel.png", TRADEOFF_PLOT = "embedders_tradeoff.png";

    /** Where the signal comes from: a file, or a row of an image; neither: the built-in 1/f signals. */
    static final class Source {
        @Option(names = "--signal", paramLabel = "FILE", required = true,
                description = "A signal: one float per line, or a .npy float32/float64 array.")
        Path signal;

        @ArgGroup(exclusive = false)
        ImageRow image;
    }

    static final class ImageRow {
        @Option(names = "--image", paramLabel = "IMAGE", required = true, description = "An image file (PNG, JPEG, ...)...")
        Path image;

        @Option(names = "--row", paramLabel = "R", required = true, description = "...and its row R, as grey levels in [0, 1].")
        int row;
    }

    @ArgGroup(exclusive = true)
    private Source source;

    @Option(names = "--signals", paramLabel = "K", defaultValue = "3",
            description = "Built-in 1/f signals (seeds 0..K−1) when no --signal or --image (default ${DEFAULT-VALUE}).")
    private int builtinSignals;

    @Option(names = "--sweep", paramLabel = "NAME=p1,p2,...",
            description = {"An embedder and its parameters; repeatable. Default: every embedder of "
                    + "gaussian, triangle, square, impulse, sine, rff, linf, logf with the parameters of spec §3.4.",
                    "Parameters: gaussian σ, triangle w, impulse s (widths on [0,1)), square and sine f (cycles),"
                            + " rff β (std of the frequencies), linf and logf L (highest frequency 2^L)."})
    private List<String> sweeps = new ArrayList<>();

    @Option(names = "--shifts", paramLabel = "d", defaultValue = "1000",
            description = "Shifts (embedding dimension; even) on [0, 1) (default ${DEFAULT-VALUE}).")
    private int shifts;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "0",
            description = "Hidden ReLU layers before the output (default ${DEFAULT-VALUE}: one linear layer).")
    private int depth;

    @Option(names = "--width", paramLabel = "W", defaultValue = "256", description = "Their width (default ${DEFAULT-VALUE}).")
    private int width;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "2000",
            description = "Full-batch Adam steps per fit (default ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seeds RFF draws and MLP weights (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "embedders-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws IOException {
        List<EmbeddersAnalysis.Sweep> plan = parseSweeps(sweeps);
        EmbeddersAnalysis.Settings settings = settings();
        List<double[]> signals = signals();
        long cells = (long) signals.getFirst().length * shifts;
        if (cells > MAX_CELLS) throw new IllegalArgumentException(("--shifts: expected samples × shifts ≤ %d (the "
                + "embedding is held in double, %d MB at most, and the similarity profile costs N²/8·d), got %d × %d")
                .formatted(MAX_CELLS, MAX_CELLS * Double.BYTES >> 20, signals.getFirst().length, shifts));
        Files.createDirectories(out);
        PrintStream terminal = new PrintStream(System.out, true);
        ProgressBar bar = new ProgressBar(terminal, ProgressBar.stdoutIsTerminal());
        context.out().printf("analyze embedders: %s, %d samples, d = %d, depth %d, %d steps, backend %s%n",
                describeSource(), signals.getFirst().length, shifts, depth, steps, context.backend().describe());
        context.out().flush();
        int total = signals.size() * plan.stream().mapToInt(s -> s.params().length).sum();
        bar.start("fits", total, ProgressBar.Metric.PSNR_DB, "fits");
        List<EmbeddersAnalysis.Row> rows = EmbeddersAnalysis.run(context.backend(), signals, plan, settings,
                (done, all, fit) -> bar.update(done, fit.trainMse(), fit.testPsnr()));
        bar.finish("%d fits done".formatted(total));
        for (var r : rows) context.out().println(summaryLine(r));
        AtomicFiles.writeString(out.resolve("results.csv"), csv(rows));
        AtomicFiles.writeString(out.resolve("results.md"), markdown(rows, settingsTable(signals)));
        EmbeddersPlots.kernel(out.resolve(KERNEL_PLOT), rows, signals.getFirst().length);
        EmbeddersPlots.tradeoff(out.resolve(TRADEOFF_PLOT), rows);
        context.out().printf("wrote results.csv, results.md, %s, %s in %s%n", KERNEL_PLOT, TRADEOFF_PLOT, out);
        return 0;
    }

    /** {@code NAME=p1,p2,...} for each option value; none given: every embedder with its defaults. */
    static List<EmbeddersAnalysis.Sweep> parseSweeps(List<String> specs) {
        List<EmbeddersAnalysis.Sweep> plan = new ArrayList<>();
        if (specs.isEmpty()) {
            for (Embedder e : Embedder.values()) plan.add(new EmbeddersAnalysis.Sweep(e, e.defaults()));
            return plan;
        }
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) throw new IllegalArgumentException(
                    "--sweep: expected NAME=p1,p2,... (e.g. gaussian=0.01,0.005), got '%s'".formatted(spec));
            Embedder e = Embedder.byName("--sweep", spec.substring(0, eq).strip());
            String[] parts = spec.substring(eq + 1).split(",");
            double[] ps = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    ps[i] = Double.parseDouble(parts[i].strip());
                } catch (NumberFormatException ex) {
                    ps[i] = Double.NaN;
                }
                if (!(ps[i] > 0) || !Double.isFinite(ps[i])) throw new IllegalArgumentException(
                        "--sweep: %s %s: expected a finite number > 0, got '%s'".formatted(e.label(), e.paramSymbol(),
                                parts[i].strip()));
            }
            plan.add(new EmbeddersAnalysis.Sweep(e, ps));
        }
        return plan;
    }

    EmbeddersAnalysis.Settings settings() {
        if (shifts < 2 || shifts % 2 != 0) throw new IllegalArgumentException(
                "--shifts: expected an even number >= 2, got " + shifts);
        if (depth < 0) throw new IllegalArgumentException("--depth: expected >= 0, got " + depth);
        if (width < 1) throw new IllegalArgumentException("--width: expected >= 1, got " + width);
        if (steps < 1) throw new IllegalArgumentException("--steps: expected >= 1, got " + steps);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException(
                "--lr: expected a finite number > 0, got " + lr);
        if (builtinSignals < 1) throw new IllegalArgumentException("--signals: expected >= 1, got " + builtinSignals);
        return new EmbeddersAnalysis.Settings(shifts, depth, width, steps, lr, seed);
    }

    List<double[]> signals() throws IOException {
        if (source == null) {
            List<double[]> s = new ArrayList<>();
            for (int k = 0; k < builtinSignals; k++) s.add(Signals.builtin(k));
            return s;
        }
        if (source.signal != null) return List.of(Signals.read(source.signal, "--signal"));
        return List.of(Signals.imageRow(source.image.image, source.image.row, "--image"));
    }

    private String describeSource() {
        if (source == null) return "%d built-in 1/f signals".formatted(builtinSignals);
        if (source.signal != null) return "signal " + source.signal;
        return "image %s row %d".formatted(source.image.image, source.image.row);
    }

    private SequencedMap<String, String> settingsTable(List<double[]> signals) {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("signal", describeSource() + ", " + signals.getFirst().length + " samples at x = n/N; train on even n, test on odd n");
        s.put("shifts d", shifts + " on [0, 1), t_i = i/d; each embedding divided by its largest row norm");
        s.put("model", depth == 0 ? "one linear layer (w, b), starting at 0" : depth + " hidden ReLU layers of " + width
                + " (torch init), linear output");
        s.put("training", "%d full-batch Adam steps, lr %s, loss mean((f − y)²)".formatted(steps, lr));
        s.put("seed", seed + " (signal k draws RFF frequencies from seed + k)");
        s.put("stable_rank", "‖A‖_F² / s₁² of the training rows A; ‖A‖_F² = sum of squared entries, s₁² = largest "
                + "eigenvalue of A·Aᵀ (EJML, double); mean over signals");
        s.put("distance_preservation", "Pearson correlation of k(m) = mean_n cos∠(Ψ(x_n), Ψ(x_{n+m})) with −m, "
                + "lags m = 1..N/8 on the sample grid (first signal's embedding)");
        s.put("PSNR", "−10·log10(MSE) of the final weights on the train / test samples; mean of the dB values over signals");
        return s;
    }

    static String csv(List<EmbeddersAnalysis.Row> rows) {
        StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
        for (var r : rows) s.append(String.join(",", cells(r))).append('\n');
        return s.toString();
    }

    static String markdown(List<EmbeddersAnalysis.Row> rows, SequencedMap<String, String> settings) {
        StringBuilder s = new StringBuilder("# posenc analyze embedders\n\n## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        s.append("\n## Results\n\n| ").append(CSV_HEADER.replace(",", " | ")).append(" |\n|---|---:|---:|---:|---:|---:|\n");
        for (var r : rows) s.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
        return s.toString();
    }

    private static String[] cells(EmbeddersAnalysis.Row r) {
        return new String[] {r.embedder().label(), fmt("%s", r.param()), fmt("%.2f", r.stableRank()),
                fmt("%.3f", r.distancePreservation()), fmt("%.2f", r.trainPsnr()), fmt("%.2f", r.testPsnr())};
    }

    static String summaryLine(EmbeddersAnalysis.Row r) {
        return String.format(Locale.ROOT, "%-9s %s=%-8s stable rank %7.2f  DP %6.3f  train %6.2f dB  test %6.2f dB",
                r.embedder().label(), r.embedder().paramSymbol(), fmt("%s", r.param()), r.stableRank(),
                r.distancePreservation(), r.trainPsnr(), r.testPsnr());
    }

    private static String fmt(String f, double v) {
        if (Double.isNaN(v)) return "nan";
        if (f.equals("%s")) return plain(v);
        return String.format(Locale.ROOT, f, v);
    }

    /** A parameter as typed: 0.0005, not 5.0E-4; 22.5; 1000. */
    static String plain(double v) { return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(); }
}
