package dev.posenc.models.analysis.embedders;

import dev.posenc.models.report.Chart;
import dev.posenc.models.report.ColourBar;
import dev.posenc.models.report.ColourMap;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.Panels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The two pictures of {@code analyze embedders}. */
final class EmbeddersPlots {
    private EmbeddersPlots() {}

    /**
     * embedders_kernel.png: one panel per embedder, one line per parameter: the similarity profile k against the
     * displacement Δ = m/N, mirrored to negative Δ (k is symmetric by definition).
     */
    static void kernel(Path file, List<EmbeddersAnalysis.Row> rows, int n) throws IOException {
        List<Chart> charts = new ArrayList<>();
        for (var entry : byEmbedder(rows).entrySet()) {
            Chart c = Chart.of(entry.getKey().label(), "displacement x − x′", "mean cos∠(Ψ(x), Ψ(x′))")
                    .yRange(-0.2, 1);
            for (var r : entry.getValue()) {
                double[] k = r.profile();
                List<double[]> pts = new ArrayList<>();
                for (int m = -(k.length - 1); m < k.length; m++) pts.add(new double[] {(double) m / n, k[Math.abs(m)]});
                c = c.with(Curve.line(entry.getKey().paramSymbol() + " = " + EmbeddersCommand.plain(r.param()), pts));
            }
            charts.add(c);
        }
        new Panels("Distance preservation: similarity against displacement (DP = its correlation with −|Δ|)",
                charts, 4, false).write(file, 470, 330);
    }

    /**
     * embedders_tradeoff.png: test PSNR against stable rank (log), each point shaded by distance preservation;
     * a line in each embedder's colour joins its parameters in the order swept (widest first by default).
     */
    static void tradeoff(Path file, List<EmbeddersAnalysis.Row> rows) throws IOException {
        Chart c = Chart.of("Test PSNR against stable rank, shaded by distance preservation", "stable rank (training rows)",
                "test PSNR (dB)").logX().colourBar(ColourBar.of("distance preservation", ColourMap.VIRIDIS));
        Curve.Marker[] marks = {Curve.Marker.CIRCLE, Curve.Marker.SQUARE, Curve.Marker.TRIANGLE};
        int i = 0;
        for (var entry : byEmbedder(rows).entrySet()) {
            List<EmbeddersAnalysis.Row> sorted = entry.getValue();
            List<double[]> pts = sorted.stream().map(r -> new double[] {r.stableRank(), r.testPsnr()}).toList();
            double[] dp = sorted.stream().mapToDouble(EmbeddersAnalysis.Row::distancePreservation).toArray();
            var colour = LinePlot.PALETTE[i % LinePlot.PALETTE.length];
            c = c.with(Curve.line(entry.getKey().label(), pts).colour(colour).markers(marks[i % marks.length]))
                    .with(Curve.shaded("", pts, dp).markers(marks[i % marks.length]));
            i++;
        }
        c.write(file, 1000, 600);
    }

    private static Map<Embedder, List<EmbeddersAnalysis.Row>> byEmbedder(List<EmbeddersAnalysis.Row> rows) {
        Map<Embedder, List<EmbeddersAnalysis.Row>> m = new LinkedHashMap<>();
        for (var r : rows) m.computeIfAbsent(r.embedder(), e -> new ArrayList<>()).add(r);
        return m;
    }
}
