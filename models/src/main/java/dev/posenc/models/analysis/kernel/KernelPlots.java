package dev.posenc.models.analysis.kernel;

import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The two pictures of {@code analyze kernel}. */
final class KernelPlots {
    private KernelPlots() {}

    /** kernel.png: mean k̂ per distance bin, one line per encoding, and the Gaussian exp(−d²/(2γ²)) dashed. */
    static void kernel(Path file, List<KernelCommand.Profile> profiles, double gamma, int features) throws IOException {
        Chart c = Chart.of("Normalised inner product against distance (F = %d, 2-D grid)".formatted(features),
                "‖x − y‖", "⟨PE(x), PE(y)⟩ / mean ‖PE‖²  (mean per distance bin)");
        int bins = profiles.getFirst().meanByBin().length;
        for (var p : profiles) {
            List<double[]> pts = new ArrayList<>();
            for (int b = 0; b < bins; b++) {   // an empty bin (no grid distance falls in it) is skipped, not a gap
                if (!Double.isNaN(p.meanByBin()[b])) pts.add(new double[] {(b + 0.5) * Math.sqrt(2) / bins, p.meanByBin()[b]});
            }
            Curve line = Curve.line(p.name(), pts);
            c = c.with(p.name().contains("trained") ? line.markers(Curve.Marker.CIRCLE) : line);
        }
        List<double[]> ideal = new ArrayList<>();
        for (int i = 0; i <= 200; i++) {
            double d = i * Math.sqrt(2) / 200;
            ideal.add(new double[] {d, Math.exp(-d * d / (2 * gamma * gamma))});
        }
        c = c.with(Curve.line("exp(−d²/2γ²), γ = %.3f".formatted(gamma), ideal).dashed().colour(Color.BLACK));
        c.write(file, 1000, 560);
    }

    /** kernel_rmse.png: rmse against F on log-log axes, one line per encoding, and c/√F dashed through lff's first point. */
    static void rmse(Path file, List<KernelCommand.Row> rows) throws IOException {
        Map<String, List<double[]>> byEncoding = new LinkedHashMap<>();
        for (var r : rows) byEncoding.computeIfAbsent(r.encoding(), e -> new ArrayList<>()).add(new double[] {r.features(), r.rmse()});
        Chart c = Chart.of("Kernel rmse against the number of features F", "features F", "kernel rmse").logX().logY();
        for (var e : byEncoding.entrySet()) c = c.with(Curve.line(e.getKey(), e.getValue()).markers(Curve.Marker.CIRCLE));
        List<double[]> lff = byEncoding.get("lff");
        if (lff != null && lff.size() > 1) {
            double f0 = lff.getFirst()[0], k = lff.getFirst()[1] * Math.sqrt(f0), f1 = lff.getLast()[0];
            c = c.with(Curve.line("∝ 1/√F", List.of(new double[] {f0, k / Math.sqrt(f0)}, new double[] {f1, k / Math.sqrt(f1)}))
                    .dashed().colour(Color.BLACK));
        }
        c.write(file, 900, 540);
    }
}
