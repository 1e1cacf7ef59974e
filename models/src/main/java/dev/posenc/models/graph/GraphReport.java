package dev.posenc.models.graph;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.Panels;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * results.csv ({@value #CSV_HEADER}), results.md (settings, per task and model the median test ROC-AUC over the
 * seeds with its range, then every run) and auc.png (one panel per task: each seed's test AUC per model, and the
 * medians joined by a dashed line).
 */
public final class GraphReport {
    private GraphReport() {}

    public static final String CSV_HEADER = "task,model,seed,roc_auc,seconds";

    public static void write(Path dir, List<PairTrainer.Result> results, SequencedMap<String, String> settings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(results));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(results, settings));
        panels(results).write(dir.resolve("auc.png"), 560, 420);
    }

    static String csv(List<PairTrainer.Result> results) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (PairTrainer.Result r : results) sb.append(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.2f%n", r.task(),
                r.model().label(), r.seed(), r.rocAuc(), r.seconds()));
        return sb.toString();
    }

    /** The line printed when a run ends. */
    public static String summary(PairTrainer.Result r) {
        return String.format(Locale.ROOT, "%-17s %-10s seed %d  test ROC-AUC %.3f  (val %.3f at epoch %d%s, %.1f s)",
                r.task(), r.model().label(), r.seed(), r.rocAuc(), r.valAuc(), r.bestEpoch(),
                r.anchors() > 0 ? ", " + r.anchors() + " anchors" : "", r.seconds());
    }

    public static String markdown(List<PairTrainer.Result> results, SequencedMap<String, String> settings) {
        StringBuilder sb = new StringBuilder("# graph: position-aware pair tasks, test ROC-AUC\n\n");
        settings.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n| task | model | median ROC-AUC | min – max | seeds | median seconds |\n|---|---|---|---|---|---|\n");
        for (String task : tasks(results)) {
            for (GraphModel m : models(results)) {
                List<PairTrainer.Result> runs = of(results, task, m);
                if (runs.isEmpty()) continue;
                double[] auc = runs.stream().mapToDouble(PairTrainer.Result::rocAuc).sorted().toArray();
                double[] sec = runs.stream().mapToDouble(PairTrainer.Result::seconds).sorted().toArray();
                sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f – %.3f | %d | %.1f |%n", task, m.label(),
                        median(auc), auc[0], auc[auc.length - 1], auc.length, median(sec)));
            }
        }
        sb.append("\n| task | model | seed | ROC-AUC | best val AUC | at epoch | seconds |\n|---|---|---|---|---|---|---|\n");
        for (PairTrainer.Result r : results) sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.4f | %d | %.1f |%n",
                r.task(), r.model().label(), r.seed(), r.rocAuc(), r.valAuc(), r.bestEpoch(), r.seconds()));
        return sb.toString();
    }

    static Panels panels(List<PairTrainer.Result> results) {
        List<GraphModel> models = models(results);
        String order = String.join(" · ", models.stream().map(GraphModel::label).toList());
        List<Chart> charts = new ArrayList<>();
        Curve.Marker[] marks = {Curve.Marker.CIRCLE, Curve.Marker.SQUARE, Curve.Marker.TRIANGLE};
        for (String task : tasks(results)) {
            List<Curve> curves = new ArrayList<>();
            List<double[]> medians = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                List<PairTrainer.Result> runs = of(results, task, models.get(i));
                if (runs.isEmpty()) continue;
                List<double[]> pts = new ArrayList<>();
                for (int s = 0; s < runs.size(); s++) {
                    double jitter = runs.size() == 1 ? 0 : 0.24 * s / (runs.size() - 1) - 0.12;   // seeds side by side
                    pts.add(new double[] {i + 1 + jitter, runs.get(s).rocAuc()});
                }
                curves.add(Curve.scatter(models.get(i).label(), pts).markers(marks[i % marks.length]));
                medians.add(new double[] {i + 1, median(runs.stream().mapToDouble(PairTrainer.Result::rocAuc).sorted().toArray())});
            }
            curves.add(Curve.line("median over seeds", medians).dashed().colour(Color.DARK_GRAY));
            charts.add(Chart.of(task, "model: " + order, "test ROC-AUC").with(curves).xRange(0.5, models.size() + 0.5)
                    .yRange(0.0, 1.0));
        }
        return new Panels("Position-aware pair tasks: test ROC-AUC per seed (0.5 = chance)", charts, Math.min(3, charts.size()), true);
    }

    private static List<String> tasks(List<PairTrainer.Result> results) {
        return List.copyOf(new LinkedHashSet<>(results.stream().map(PairTrainer.Result::task).toList()));
    }

    private static List<GraphModel> models(List<PairTrainer.Result> results) {
        return List.copyOf(new LinkedHashSet<>(results.stream().map(PairTrainer.Result::model).toList()));
    }

    private static List<PairTrainer.Result> of(List<PairTrainer.Result> results, String task, GraphModel m) {
        return results.stream().filter(r -> r.task().equals(task) && r.model() == m).toList();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
