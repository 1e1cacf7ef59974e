package dev.posenc.models.analysis.ntk;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.core.io.Png;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;

import java.awt.Color;
import java.awt.image.BufferedImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.Function;

/** results.csv, results.md, ntk_spectrum.png and ntk_kernel.png of {@code analyze ntk}, written atomically. */
public final class NtkReport {
    public static final String CSV = "results.csv", MARKDOWN = "results.md";
    public static final String SPECTRUM = "ntk_spectrum.png", KERNEL = "ntk_kernel.png";
    public static final List<String> CSV_HEADER = List.of("encoding", "index", "eigenvalue", "step");

    private NtkReport() {}

    /** Rewrites every file from the kernels so far (an interrupted run keeps the finished encodings). */
    public static void write(Path dir, SequencedMap<String, String> settings, List<NtkAnalysis.Kernel> kernels)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (NtkAnalysis.Kernel k : kernels) {
            for (int i = 0; i < k.eigenvalues().length; i++) {
                rows.add(List.of(k.encoding(), Integer.toString(i), Tables.number(k.eigenvalues()[i], 9),
                        Integer.toString(k.step())));
            }
        }
        AtomicFiles.writeString(dir.resolve(CSV), Tables.csv(CSV_HEADER, rows));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(settings, kernels));
        Png.write(dir.resolve(SPECTRUM), spectrumPlot(kernels));
        Png.write(dir.resolve(KERNEL), kernelPlot(kernels));
    }

    static String markdown(SequencedMap<String, String> settings, List<NtkAnalysis.Kernel> kernels) {
        List<String> header = List.of("encoding", "step", "λ_max", "λ_10/λ_max", "λ_100/λ_max",
                "#λ > 1e-6·λ_max", "shift variance", "kernel seconds", "GD η");
        List<List<String>> rows = new ArrayList<>();
        for (NtkAnalysis.Kernel k : kernels) {
            double[] l = k.eigenvalues();
            rows.add(List.of(k.encoding(), Integer.toString(k.step()), Tables.number(l[0], 4),
                    Tables.number(ratio(l, 10), 3), Tables.number(ratio(l, 100), 3),
                    Long.toString(countAbove(l, 1e-6 * l[0])), Tables.number(k.shiftVariance(), 3),
                    Tables.fixed(k.seconds(), 3), Tables.number(k.eta(), 4)));
        }
        String notes = """
                - **Kernel of what:** f(x) = output channel 0 of fit-image's coordinate network (the encoding, then \
                3 × [Dense(256) + ReLU] + Dense(3)) *before* its sigmoid: K(x, x′) = ⟨∂f(x)/∂θ, ∂f(x′)/∂θ⟩ over every \
                trainable parameter (the Gaussian and positional B are fixed; LFF's W_r and its MLP are trained).
                - **Computed** from the layer structure, K = Σ_l (X_l X_lᵀ + 1) ⊙ (G_l G_lᵀ), in float32 with the engine's \
                matmul ("kernel seconds": wall time in this run, including the JIT's warm-up for the first kernels; \
                the warm time is NtkBench's in bench/RESULTS.md); eigenvalues in double precision (EJML, symmetric QR).
                - **λ_k/λ_max**: how much slower gradient descent learns the k-th eigenvector than the first \
                (the error along q_k decays like (1 − ηλ_k/N)^t). ntk_spectrum.png plots λ_k/λ_max on a log scale down to \
                1e-6: below that the float32 kernel's rounding (about 1e-6·λ_max) dominates, so smaller eigenvalues \
                (and the count of those above 1e-6·λ_max) are at the limit of what float32 can say.
                - **shift variance**: over the pairs with |x − x′| ≤ ¼, the fraction of the variance of \
                K(x,x′)/√(K(x,x)K(x′,x′)) that the offset x − x′ does not explain; 0 for a shift-invariant kernel \
                k(x − x′), near 1 for one that depends on where the pair sits. ntk_kernel.png plots the centre point's row, normalised \
                by K(x, x), against x′ − x.
                - After training (step > 0): plain gradient descent on (1/2N)Σ(f − y)² over the grid, target the \
                spectral-bias signal, η = lr-scale·N/λ_max(K_0).""";
        return Tables.markdown("posenc analyze ntk", settings, header, rows, notes);
    }

    /**
     * Eigenvalues below this fraction of λ_max are not drawn: the kernel is computed in float32, whose rounding
     * (~1e-7 of each entry, summed over N rows) perturbs every eigenvalue by about 1e-6·λ_max.
     */
    static final double FLOOR = 1e-6;

    static double ratio(double[] l, int k) { return k < l.length ? l[k] / l[0] : Double.NaN; }

    static long countAbove(double[] l, double threshold) {
        long c = 0;
        for (double v : l) if (v > threshold) c++;
        return c;
    }

    /** Each encoding in one colour: its kernel at initialisation solid, after training dashed. */
    static List<Curve> curves(List<NtkAnalysis.Kernel> kernels, Function<NtkAnalysis.Kernel, List<double[]>> points) {
        List<String> encodings = kernels.stream().map(NtkAnalysis.Kernel::encoding).distinct().toList();
        List<Curve> curves = new ArrayList<>();
        for (NtkAnalysis.Kernel k : kernels) {
            Color colour = LinePlot.PALETTE[encodings.indexOf(k.encoding()) % LinePlot.PALETTE.length];
            Curve c = Curve.line(k.step() == 0 ? k.encoding() : k.encoding() + ", step " + k.step(), points.apply(k))
                    .colour(colour);
            curves.add(k.step() == 0 ? c : c.dashed());
        }
        return curves;
    }

    static BufferedImage spectrumPlot(List<NtkAnalysis.Kernel> kernels) {
        Chart chart = Chart.of("NTK eigenvalues, largest first (normalised by the largest)", "index k", "λ_k / λ_max")
                .logY().yRange(FLOOR, 1).with(curves(kernels, k -> {
                    List<double[]> points = new ArrayList<>();
                    double[] l = k.eigenvalues();
                    for (int i = 0; i < l.length; i++) points.add(new double[] {i, l[i] / l[0]});
                    return points;
                }));
        return chart.render(LinePlot.WIDTH, LinePlot.HEIGHT);
    }

    static BufferedImage kernelPlot(List<NtkAnalysis.Kernel> kernels) {
        Chart chart = Chart.of("A row of the NTK: K(x, x′) / K(x, x) at x = ½", "x′ − x", "K(x, x′) / K(x, x)")
                .xRange(-0.5, 0.5)
                .with(curves(kernels, k -> {
                    List<double[]> points = new ArrayList<>();
                    for (int i = 0; i < k.row().length; i++) points.add(new double[] {k.offsets()[i], k.row()[i]});
                    return points;
                }));
        return chart.render(LinePlot.WIDTH, LinePlot.HEIGHT);
    }
}
