package dev.posenc.models.analysis.kernel;

import dev.posenc.core.Backend;
import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.cli.BackendCommand;
import dev.posenc.models.cli.RunContext;
import dev.posenc.core.Rng;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.train.FitConfig;
import dev.posenc.models.train.FitResult;
import dev.posenc.models.train.ImageFit;
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
 * {@code posenc analyze kernel}: does the dot product of learnable Fourier features approximate a
 * shift-invariant Gaussian kernel, with an error falling like 1/√F (Li et al. 2021, RQ1)? And how do the
 * other 2-D encodings' kernels look ({@link KernelAnalysis})? Writes results.csv, results.md, kernel.png and
 * kernel_rmse.png into {@code --out}, each atomically.
 */
@Command(name = "kernel", sortOptions = false,
        description = {"Is each 2-D encoding's inner product a Gaussian kernel of distance?",
                "How well each 2-D positional encoding preserves distance: <PE(x), PE(y)>",
                "against |x - y| on a grid, and the rmse of its kernel against a Gaussian as the",
                "number of features F grows (Li et al. 2021). Writes results.csv, results.md,",
                "kernel.png and kernel_rmse.png."})
public final class KernelCommand implements BackendCommand {
    static final String CSV_HEADER = "encoding,features,kernel_rmse";
    static final List<String> ENCODINGS = List.of("lff", "gaussian", "sine2d", "embed2d");

    @Option(names = "--features", paramLabel = "F", split = ",", defaultValue = "16,64,256,1024,4096",
            description = "Feature counts F (multiples of 4) (default ${DEFAULT-VALUE}).")
    private List<Integer> features;

    @Option(names = "--grid", paramLabel = "n", defaultValue = "16", description = "An n × n grid of positions on [0,1)² (default ${DEFAULT-VALUE}).")
    private int grid;

    @Option(names = "--gamma", paramLabel = "γ",
            description = "The kernel length γ: LFF's W_r ~ N(0, γ⁻²), Gaussian σ = 1/(2πγ) (default: the fit's, 1/(2π·1.25) ≈ 0.127).")
    private Double gamma;

    @Option(names = "--draws", paramLabel = "K", defaultValue = "5",
            description = "Random draws per F of lff and gaussian; rmse is their mean (default ${DEFAULT-VALUE}).")
    private int draws;

    @Option(names = "--plot-features", paramLabel = "F", defaultValue = "256",
            description = "F of kernel.png and of the trained LFF (default ${DEFAULT-VALUE}).")
    private int plotFeatures;

    @Option(names = "--fit-steps", paramLabel = "N", defaultValue = "200",
            description = "Steps of the fit-image run that trains LFF (astronaut, 64×64; 0 skips it) (default ${DEFAULT-VALUE}).")
    private int fitSteps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seeds every draw and the fit (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "kernel-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private double wrChange = Double.NaN, fitPsnr = Double.NaN;

    /** One CSV row. */
    record Row(String encoding, int features, double rmse) {}

    /** A kernel profile for the plot: k̂ by distance bin. */
    record Profile(String name, double[] meanByBin) {}

    static final int FIT_SIZE = 64, BINS = 40;
    /** The largest encoding matrix, n² × F values: 2²⁵ doubles = 256 MB (the defaults use 1 048 576). */
    static final long MAX_CELLS = 1L << 25;

    @Override public int run(RunContext context) throws IOException {
        validate();
        double g = gamma != null ? gamma : FitConfig.gammaFor(FitConfig.sigmaFor(FIT_SIZE));
        Backend be = context.backend();
        KernelAnalysis.Grid positions = KernelAnalysis.Grid.of(grid);
        Files.createDirectories(out);
        context.out().printf("analyze kernel: %d×%d grid, γ = %.4g, F = %s, %d draws, backend %s%n", grid, grid, g,
                features, draws, be.describe());
        context.out().flush();
        ProgressBar bar = new ProgressBar(new PrintStream(System.out, true), ProgressBar.stdoutIsTerminal());
        int total = features.size() * (2 * draws + 2), done = 0;
        bar.start("kernels", total, ProgressBar.Metric.NONE, "kernels");
        List<Row> rows = new ArrayList<>();
        for (String name : ENCODINGS) {
            boolean random = name.equals("lff") || name.equals("gaussian");
            for (int f : features) {
                double sum = 0;
                for (int k = 0; k < (random ? draws : 1); k++) {
                    double[] kk = KernelAnalysis.normalisedGram(
                            KernelAnalysis.encode(be, name, f, g, positions, drawSeed(name, k), null), positions.size());
                    sum += random ? KernelAnalysis.rmse(kk, positions, g) : KernelAnalysis.bestGaussian(kk, positions)[1];
                    bar.advance(++done);
                }
                rows.add(new Row(name, f, sum / (random ? draws : 1)));
            }
        }
        bar.finish("%d kernels done".formatted(total));

        List<Profile> profiles = new ArrayList<>();
        for (String name : ENCODINGS) {
            double[] kk = KernelAnalysis.normalisedGram(
                    KernelAnalysis.encode(be, name, plotFeatures, g, positions, drawSeed(name, 0), null), positions.size());
            profiles.add(new Profile(name.equals("lff") ? "lff (init)" : name, KernelAnalysis.profile(kk, positions, BINS)));
        }
        String trainedNote = "not run (--fit-steps 0)";
        if (fitSteps > 0) {
            float[] wr = trainedWr(be, g, context);
            double[] kk = KernelAnalysis.normalisedGram(
                    KernelAnalysis.encode(be, "lff", plotFeatures, g, positions, seed, wr), positions.size());
            double[] best = KernelAnalysis.bestGaussian(kk, positions);
            rows.add(new Row("lff-trained", plotFeatures, best[1]));
            profiles.add(1, new Profile("lff (trained)", KernelAnalysis.profile(kk, positions, BINS)));
            trainedNote = ("astronaut %d×%d, %d steps of fit-image's lff (F = %d, test %.2f dB); W_r moved by "
                    + "‖ΔW_r‖/‖W_r‖ = %.4f; best-fitting ℓ = %.4g (init γ = %.4g)")
                    .formatted(FIT_SIZE, FIT_SIZE, fitSteps, plotFeatures, fitPsnr, wrChange, best[0], g);
        }
        for (Row r : rows) context.out().println(String.format(Locale.ROOT, "%-12s F=%-5d kernel rmse %.5f",
                r.encoding(), r.features(), r.rmse()));
        SequencedMap<String, String> settings = settings(g, trainedNote);
        AtomicFiles.writeString(out.resolve("results.csv"), csv(rows));
        AtomicFiles.writeString(out.resolve("results.md"), markdown(rows, settings));
        KernelPlots.kernel(out.resolve("kernel.png"), profiles, g, plotFeatures);
        KernelPlots.rmse(out.resolve("kernel_rmse.png"), rows);
        context.out().printf("wrote results.csv, results.md, kernel.png, kernel_rmse.png in %s%n", out);
        return 0;
    }

    /**
     * The seed of draw k of an encoding. The gaussian's draws are offset: from the same seed, LFF at init and the
     * Gaussian mapping with σ = 1/(2πγ) are the same features (W_r = 2π·B), and their lines would coincide.
     */
    private long drawSeed(String name, int k) { return seed + k + (name.equals("gaussian") ? GAUSSIAN_SEED_OFFSET : 0); }

    static final long GAUSSIAN_SEED_OFFSET = 1000;

    /** W_r after a short fit-image run of lff with F = plotFeatures, γ = g, starting from std 1/γ. */
    private float[] trainedWr(Backend be, double g, RunContext context) {
        FitConfig c = FitConfig.defaults().withSize(FIT_SIZE).withSigma(1 / (2 * Math.PI * g)).withGamma(g)
                .withSteps(fitSteps).withSeed(seed).withLff(plotFeatures, 256, 256, 1);
        ProgressBar bar = new ProgressBar(new PrintStream(System.out, true), ProgressBar.stdoutIsTerminal());
        bar.start("lff fit", fitSteps);
        float[] start;
        try (CoordinateModel init = CoordinateModel.create("lff", c.encodingParams(), Mlp.TANCIK_HIDDEN, new Rng(seed))) {
            start = init.store().get("encoding.wr").value().toArray();   // the fit starts from this same draw
        }
        try (FitResult fit = ImageFit.fit(be, BuiltinImages.astronaut(FIT_SIZE), "lff", c, bar::update)) {
            float[] wr = fit.model().store().get("encoding.wr").value().toArray();
            double moved = 0, norm = 0;
            for (int i = 0; i < wr.length; i++) {
                moved += Math.pow(wr[i] - start[i], 2);
                norm += Math.pow(start[i], 2);
            }
            wrChange = Math.sqrt(moved / norm);
            bar.finish(String.format(Locale.ROOT, "lff fit: %d steps, train %.2f dB, test %.2f dB, ‖ΔW_r‖/‖W_r‖ = %.4f",
                    fitSteps, fit.trainPsnr(), fit.testPsnr(), wrChange));
            fitPsnr = fit.testPsnr();
            return wr;
        }
    }

    void validate() {
        if (features.isEmpty()) throw new IllegalArgumentException("--features: expected at least one F, got none");
        for (int f : features) {
            if (f < 4 || f % 4 != 0) throw new IllegalArgumentException(
                    "--features: expected multiples of 4 (sin and cos for two axes), got " + f);
        }
        if (plotFeatures < 4 || plotFeatures % 4 != 0) throw new IllegalArgumentException(
                "--plot-features: expected a multiple of 4, got " + plotFeatures);
        if (grid < 2 || grid > 64) throw new IllegalArgumentException(
                "--grid: expected 2..64 (the pairs grow as n⁴), got " + grid);
        long largest = (long) grid * grid * Math.max(plotFeatures, features.stream().mapToInt(Integer::intValue).max().orElse(0));
        if (largest > MAX_CELLS) throw new IllegalArgumentException(("--features: expected n² × F ≤ %d (the encodings "
                + "are held in double, %d MB at most), got %d² × %d").formatted(MAX_CELLS, MAX_CELLS * Double.BYTES >> 20,
                grid, largest / ((long) grid * grid)));
        if (gamma != null && (!(gamma > 0) || !Double.isFinite(gamma))) throw new IllegalArgumentException(
                "--gamma: expected a finite number > 0, got " + gamma);
        if (draws < 1) throw new IllegalArgumentException("--draws: expected >= 1, got " + draws);
        if (fitSteps < 0) throw new IllegalArgumentException("--fit-steps: expected >= 0, got " + fitSteps);
    }

    private SequencedMap<String, String> settings(double g, String trainedNote) {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("positions", "%d×%d grid (c/n, r/n) on [0,1)²; embed2d looks up cells (r, c)".formatted(grid, grid));
        s.put("γ", "%.6g (lff W_r ~ N(0, γ⁻²), gaussian σ = 1/(2πγ) = %.6g)".formatted(g, 1 / (2 * Math.PI * g)));
        s.put("k̂", "⟨PE(p), PE(q)⟩ / mean ‖PE(p)‖² (lff: exactly 2 r_p·r_q)");
        s.put("kernel_rmse", "rmse over pairs p ≠ q of k̂ − exp(−‖p−q‖²/(2ℓ²)); lff, gaussian: ℓ = γ (their expected kernel),"
                + " mean of %d draws (gaussian's seeds offset by %d); sine2d, embed2d, lff-trained: the best-fitting ℓ".formatted(draws, GAUSSIAN_SEED_OFFSET));
        s.put("lff-trained", trainedNote);
        s.put("seed", Long.toString(seed));
        return s;
    }

    static String csv(List<Row> rows) {
        StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) s.append(String.format(Locale.ROOT, "%s,%d,%.6f%n", r.encoding(), r.features(), r.rmse()));
        return s.toString();
    }

    static String markdown(List<Row> rows, SequencedMap<String, String> settings) {
        StringBuilder s = new StringBuilder("# posenc analyze kernel\n\n## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        s.append("\n## Results\n\n| encoding | features | kernel_rmse |\n|---|---:|---:|\n");
        for (Row r : rows) s.append(String.format(Locale.ROOT, "| %s | %d | %.5f |%n", r.encoding(), r.features(), r.rmse()));
        return s.toString();
    }
}
