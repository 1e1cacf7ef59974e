package dev.posenc.models.analysis.toy1d;

import dev.posenc.models.analysis.sweep.ScaleGrid;
import dev.posenc.models.analysis.sweep.SweepShape;
import dev.posenc.models.cli.BackendCommand;
import dev.posenc.models.cli.RunContext;
import dev.posenc.models.cli.Streams;
import dev.posenc.models.report.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * {@code posenc analyze toy1d}: Tancik et al.'s 1-D toy as a sweep of the mapping's scale ({@link Toy1d}).
 * Every file is rewritten atomically after each row, so an interrupted run keeps what it finished; nothing is
 * written before every option has been checked.
 */
@Command(name = "toy1d", sortOptions = false,
        description = {"Tancik et al.'s 1-D toy: train and test PSNR against the mapping's scale.",
                "Fits random power-law signals (amplitudes 1/k^p) on every K-th grid point with a Gaussian mapping of "
                + "scale σ and a positional one of scale s, and tests on the others. Writes toy1d_sigma.png, "
                + "toy1d_scale.png, results.csv and results.md."})
public final class Toy1dCommand implements BackendCommand {
    static final List<String> MAPPINGS = List.of("gaussian", "positional");

    @Option(names = "--mappings", paramLabel = "LIST", split = ",", defaultValue = "gaussian,positional",
            description = "Mappings to sweep, from gaussian, positional (default: ${DEFAULT-VALUE}).")
    private List<String> mappings;

    @Option(names = "--scales", paramLabel = "[NAME=]LIST",
            description = "Scales to sweep, repeatable: 'gaussian=1,4,16' for one mapping, '1,2,4' for every mapping "
                    + "without its own list (default gaussian: σ = 1/4, 1/2, 1, 2, ..., 256 cycles per unit; positional: "
                    + "s = 1, 2, ..., 10, top frequency 2^s − 1).")
    private List<String> scales;

    @Option(names = "--p", paramLabel = "LIST", split = ",", defaultValue = "0.5,1,1.5,2",
            description = "The signals' spectral falloffs p, amplitudes 1/k^p (default: ${DEFAULT-VALUE}).")
    private List<String> powers;

    @Option(names = "--signals", paramLabel = "N", defaultValue = "3",
            description = "Random signals per p; the report gives the mean (default: ${DEFAULT-VALUE}).")
    private int signals;

    @Option(names = "--points", paramLabel = "N", defaultValue = "256",
            description = "Grid points on [0, 1) (default: ${DEFAULT-VALUE}, as the notebook).")
    private int points;

    @Option(names = "--train-every", paramLabel = "K", defaultValue = "2",
            description = "Train on every K-th point, test on the rest (default: ${DEFAULT-VALUE}; the notebook used 8). "
                    + "With K = 2 the default signal lies below the training Nyquist, so the test error is the "
                    + "interpolation's, not content no sample saw.")
    private int trainEvery;

    @Option(names = "--max-frequency", paramLabel = "K",
            description = "The signals' highest frequency, cycles per unit (default N/4 − 1, as the notebook).")
    private Integer maxFrequency;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300",
            description = "Full-batch Adam steps per fit (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--width", paramLabel = "W", defaultValue = "256", description = "MLP hidden width (default: ${DEFAULT-VALUE}).")
    private int width;

    @Option(names = "--depth", paramLabel = "L", defaultValue = "4",
            description = "MLP layers, the linear output layer included (default: ${DEFAULT-VALUE}; Tancik: 4).")
    private int depth;

    @Option(names = "--features", paramLabel = "M", defaultValue = "128",
            description = "Frequencies of each mapping, 2M features (default: ${DEFAULT-VALUE}).")
    private int features;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seeds signals, weights and B (default 0).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "toy1d-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws IOException {
        Toy1dConfig config = config();
        List<String> names = ScaleGrid.names("--mappings", mappings, MAPPINGS);
        SequencedMap<String, List<Double>> grid = ScaleGrid.parse("--scales", scales, names, Toy1dCommand::defaultScales);
        Files.createDirectories(out);
        int fits = grid.values().stream().mapToInt(List::size).sum() * config.powers().size() * config.signals();
        context.out().printf(Locale.ROOT, "toy1d: %d points, train every %d (Nyquist %.4g), p %s, %d signals each, "
                        + "%d fits of %d steps, backend %s%n", config.points(), config.trainEvery(), config.trainNyquist(),
                config.powers(), config.signals(), fits, config.steps(), context.backend().describe());
        context.out().flush();
        ProgressBar bar = new ProgressBar(Streams.of(context.out()), ProgressBar.stdoutIsTerminal());
        bar.start("toy1d fits", fits, ProgressBar.Metric.PSNR_DB, "fits");
        SequencedMap<String, String> settings = settings(config);
        List<String> lines = new ArrayList<>();
        List<Toy1d.Row> rows = Toy1d.run(context.backend(), config, grid, new Toy1d.Listener() {
            @Override public void fitDone(int done, int total, double trainPsnr, double testPsnr) {
                bar.update(done, 0.5 * Math.pow(10, -trainPsnr / 10), testPsnr);   // the bar's loss is 0.5·MSE
            }

            @Override public void rowDone(Toy1d.Row row, List<Toy1d.Row> all) throws IOException {
                lines.add(String.format(Locale.ROOT, "%-10s p=%-4s %s=%-8s train %6.2f dB  test %6.2f dB",
                        row.mapping(), ScaleGrid.format(row.p()), row.mapping().equals("gaussian") ? "σ" : "s",
                        ScaleGrid.format(row.scale()), row.trainPsnr(), row.testPsnr()));
                Toy1dReport.write(out, all, settings, findings(all, config.trainNyquist()), config.trainNyquist());
            }
        });
        bar.finish(String.join("\n", lines));
        String findings = findings(rows, config.trainNyquist());
        Toy1dReport.write(out, rows, settings, findings, config.trainNyquist());
        context.out().print(findings);
        context.out().printf("wrote %s, %s, %s, %s in %s%n", Toy1dReport.SIGMA_PLOT, Toy1dReport.SCALE_PLOT,
                Toy1dReport.CSV, Toy1dReport.MARKDOWN, out);
        return 0;
    }

    /** One line per (mapping, p) with its whole curve: the shape of the mean PSNRs against the scale. */
    static String findings(List<Toy1d.Row> rows, double nyquist) {
        StringBuilder s = new StringBuilder();
        for (String mapping : rows.stream().map(Toy1d.Row::mapping).distinct().toList()) {
            for (double p : rows.stream().filter(r -> r.mapping().equals(mapping)).map(Toy1d.Row::p).distinct().toList()) {
                List<Toy1d.Row> curve = rows.stream().filter(r -> r.mapping().equals(mapping) && r.p() == p)
                        .sorted(Comparator.comparingDouble(Toy1d.Row::scale)).toList();
                if (curve.size() < 3) continue;   // no shape to speak of yet
                SweepShape shape = SweepShape.of(curve.stream().mapToDouble(Toy1d.Row::scale).toArray(),
                        curve.stream().mapToDouble(Toy1d.Row::trainPsnr).toArray(),
                        curve.stream().mapToDouble(Toy1d.Row::testPsnr).toArray());
                s.append("- ").append(mapping).append(", p = ").append(ScaleGrid.format(p)).append(": ")
                        .append(shape.describeFor(mapping, nyquist)).append('\n');
            }
        }
        return s.toString();
    }

    /** Octaves of σ from 1/4 to 256 cycles per unit; positional scales 1..10 (top frequency 1 to 1023). */
    static List<Double> defaultScales(String mapping) {
        return mapping.equals("gaussian") ? ScaleGrid.octaves(1, -2, 8) : ScaleGrid.linear(1, 10, 1);
    }

    /** The settings, every option checked with its name before anything is computed or written. */
    Toy1dConfig config() {
        if (points < 4) throw new IllegalArgumentException("--points: expected an integer >= 4, got " + points);
        if (trainEvery < 2 || trainEvery > points / 2) throw new IllegalArgumentException(
                "--train-every: expected an integer from 2 to N/2 = %d, got %d".formatted(points / 2, trainEvery));
        int k = maxFrequency == null ? points / 4 - 1 : maxFrequency;
        if (k < 1 || 2 * k >= points) throw new IllegalArgumentException(
                "--max-frequency: expected 1 <= K < N/2 = %d, got %d".formatted((points + 1) / 2, k));
        if (signals < 1) throw new IllegalArgumentException("--signals: expected at least 1, got " + signals);
        if (steps < 1) throw new IllegalArgumentException("--steps: expected at least 1, got " + steps);
        if (width < 1) throw new IllegalArgumentException("--width: expected at least 1, got " + width);
        if (depth < 1) throw new IllegalArgumentException("--depth: expected at least 1 layer, got " + depth);
        if (features < 1) throw new IllegalArgumentException("--features: expected at least 1, got " + features);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(
                "--lr: expected a finite rate > 0, got " + lr);
        return new Toy1dConfig(points, trainEvery, k, powers(), signals, steps, width, depth, features, lr, seed);
    }

    private List<Double> powers() {
        List<Double> out = new ArrayList<>();
        for (String s : powers) {
            double p;
            try {
                p = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--p: expected finite numbers >= 0, got '%s'".formatted(s));
            }
            if (!(p >= 0) || Double.isInfinite(p)) throw new IllegalArgumentException(
                    "--p: expected finite numbers >= 0, got " + s.strip());
            if (out.contains(p)) throw new IllegalArgumentException("--p: expected each value once, got %s twice".formatted(s));
            out.add(p);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--p: expected one or more falloffs, got none");
        return out;
    }

    private SequencedMap<String, String> settings(Toy1dConfig c) {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("grid", "%d points x_i = i/%d on [0, 1)".formatted(c.points(), c.points()));
        s.put("split", "train on x_i with i ≡ 0 (mod %d) (%d points, Nyquist %s cycles per unit), test on the other %d"
                .formatted(c.trainEvery(), (c.points() + c.trainEvery() - 1) / c.trainEvery(),
                        ScaleGrid.format(c.trainNyquist()), c.points() - (c.points() + c.trainEvery() - 1) / c.trainEvery()));
        s.put("signals", "s_i = Σ_{k=1..%d} k^(−p) cos(2πk x_i + φ_k), φ_k random, mapped onto [−0.5, 0.5]; %d per p, p ∈ %s"
                .formatted(c.maxFrequency(), c.signals(), c.powers()));
        s.put("network", "%d hidden layers of %d, ReLU, stax init, linear output".formatted(c.depth() - 1, c.width()));
        s.put("mappings", "gaussian: B ~ N(0, σ²), %d frequencies; positional: 2^linspace(0, s, %d) − 1; amplitude 1"
                .formatted(c.features(), c.features()));
        s.put("training", "full-batch Adam, lr %s, %d steps, loss 0.5·MSE; PSNR = −10·log10(MSE)"
                .formatted(c.lr(), c.steps()));
        s.put("seed", Long.toString(c.seed()));
        return s;
    }
}
