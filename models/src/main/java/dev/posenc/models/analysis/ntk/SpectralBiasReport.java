package dev.posenc.models.analysis.ntk;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.core.io.Png;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.Panels;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;

/** results.csv, results.md and spectral_bias.png of {@code analyze spectral-bias}, written atomically. */
public final class SpectralBiasReport {
    public static final String CSV = "results.csv", MARKDOWN = "results.md", PLOT = "spectral_bias.png";
    public static final List<String> CSV_HEADER =
            List.of("encoding", "frequency", "step", "measured_error", "predicted_error");

    private SpectralBiasReport() {}

    /** Rewrites every file from the runs so far. */
    public static void write(Path dir, SequencedMap<String, String> settings, List<SpectralBiasAnalysis.Run> runs)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (SpectralBiasAnalysis.Run run : runs) {
            for (SpectralBiasAnalysis.Curve c : run.curves()) {
                for (int i = 0; i < c.steps().length; i++) {
                    rows.add(List.of(run.encoding(), Integer.toString(c.frequency()), Integer.toString(c.steps()[i]),
                            Tables.number(c.measured()[i], 6), Tables.number(c.predicted()[i], 6)));
                }
            }
        }
        AtomicFiles.writeString(dir.resolve(CSV), Tables.csv(CSV_HEADER, rows));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(settings, runs));
        Png.write(dir.resolve(PLOT), plot(runs));
    }

    static String markdown(SequencedMap<String, String> settings, List<SpectralBiasAnalysis.Run> runs) {
        List<String> header = new ArrayList<>(List.of("encoding", "η", "λ_max(K_0)"));
        List<Integer> freqs = runs.isEmpty() ? List.of()
                : runs.getFirst().curves().stream().map(SpectralBiasAnalysis.Curve::frequency).toList();
        for (int f : freqs) header.add("f=" + f + " measured / predicted");
        header.addAll(List.of("max gap", "final loss", "seconds"));
        List<List<String>> rows = new ArrayList<>();
        for (SpectralBiasAnalysis.Run run : runs) {
            List<String> row = new ArrayList<>(List.of(run.encoding(), Tables.number(run.eta(), 4),
                    Tables.number(run.lambdaMax(), 4)));
            for (SpectralBiasAnalysis.Curve c : run.curves()) {
                int last = c.steps().length - 1;
                row.add(Tables.number(c.measured()[last], 2) + " / " + Tables.number(c.predicted()[last], 2));
            }
            row.addAll(List.of(Tables.number(run.maxGap(), 2), Tables.number(run.finalLoss(), 3),
                    Tables.fixed(run.seconds(), 1)));
            rows.add(row);
        }
        String notes = """
                - **Error of frequency f** at step t: |R_t(f)| / |Y(f)|, the DFT magnitudes of the residual r_t = f_t − y \
                and of the signal y at f on the training grid (1 at the start if the network starts near 0; 0 when \
                learnt). The columns give the last step's value, measured on the network / predicted.
                - **Predicted**: the network linearised at initialisation, r_t = Q diag((1 − ηλ_k/N)^t) Qᵀ r_0 with \
                K_0 = Q Λ Qᵀ the empirical NTK on the grid: exactly what plain gradient descent does to a model linear \
                in its parameters (the test checks this on a linear model), only approximately for the finite-width \
                network, whose kernel moves during training. "max gap": max |measured − predicted| over frequencies and steps.
                - **Kernel of what**: f = output channel 0 of fit-image's network before the sigmoid.
                - **η** = lr-scale·N/λ_max(K_0): every encoding trains at the same fraction of its own stability limit \
                2N/λ_max, so the curves compare how the kernel's spectrum is spread, not how large it is.""";
        return Tables.markdown("posenc analyze spectral-bias", settings, header, rows, notes);
    }

    /**
     * One panel per encoding: relative error against step on a log scale, one colour per frequency, measured
     * solid and predicted dashed; the same axes in every panel so the panels compare.
     */
    static BufferedImage plot(List<SpectralBiasAnalysis.Run> runs) {
        List<Chart> charts = new ArrayList<>();
        for (SpectralBiasAnalysis.Run run : runs) {
            Chart chart = Chart.of(run.encoding(), "step", "relative error of frequency f").logY().yRange(ERROR_FLOOR, 2);
            for (int i = 0; i < run.curves().size(); i++) {
                SpectralBiasAnalysis.Curve c = run.curves().get(i);
                Color colour = LinePlot.PALETTE[i % LinePlot.PALETTE.length];
                chart = chart.with(Curve.line("f = " + c.frequency() + ", measured", points(c.steps(), c.measured())).colour(colour))
                        .with(Curve.line("f = " + c.frequency() + ", NTK prediction", points(c.steps(), c.predicted()))
                                .dashed().colour(colour));
            }
            charts.add(chart);
        }
        return new Panels("Spectral bias: error of each frequency during gradient descent", charts, 3, true)
                .render(PANEL_WIDTH, PANEL_HEIGHT);
    }

    /** The panels' y axis starts here: a frequency whose error is below 1e-4 of its amplitude is learnt. */
    static final double ERROR_FLOOR = 1e-4;
    static final int PANEL_WIDTH = 480, PANEL_HEIGHT = 360;

    private static List<double[]> points(int[] x, double[] y) {
        List<double[]> p = new ArrayList<>();
        for (int i = 0; i < x.length; i++) p.add(new double[] {x[i], y[i]});
        return p;
    }
}
