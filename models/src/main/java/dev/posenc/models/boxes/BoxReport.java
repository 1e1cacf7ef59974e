package dev.posenc.models.boxes;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * results.csv ({@value #CSV_HEADER}; steps_to_90 −1 when never reached), results.md (settings, every run, and
 * per variant the median over seeds) and accuracy.png (test accuracy against step, median over seeds).
 */
public final class BoxReport {
    private BoxReport() {}

    public static final String CSV_HEADER = "pe,groups,seed,accuracy,steps_to_90";

    public static void write(Path dir, List<BoxTrainer.Result> results, SequencedMap<String, String> settings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(results));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(results, settings));
        chart(results).write(dir.resolve("accuracy.png"), LinePlot.WIDTH, LinePlot.HEIGHT);
    }

    static String csv(List<BoxTrainer.Result> results) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (BoxTrainer.Result r : results) sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%d%n",
                r.variant().pe(), r.variant().groups(), r.seed(), r.accuracy(), r.stepsTo90()));
        return sb.toString();
    }

    /** The one-line summary of a run, printed when it ends. */
    public static String summary(BoxTrainer.Result r) {
        return String.format(Locale.ROOT, "%-9s seed %d  accuracy %.2f %%  steps to 90 %%: %s  (%.0f s)",
                r.variant().label(), r.seed(), 100 * r.accuracy(), r.stepsTo90() < 0 ? "not reached" : r.stepsTo90(),
                r.seconds());
    }

    public static String markdown(List<BoxTrainer.Result> results, SequencedMap<String, String> settings) {
        StringBuilder sb = new StringBuilder("# train-boxes: widget boxes, inside / overlap / free\n\n");
        settings.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n| pe | G | median accuracy (%) | min – max (%) | seeds reaching 90 % | median steps to 90 % |\n")
                .append("|---|---|---|---|---|---|\n");
        for (BoxVariant v : variants(results)) {
            double[] acc = of(results, v).stream().mapToDouble(BoxTrainer.Result::accuracy).sorted().toArray();
            int[] to90 = of(results, v).stream().mapToInt(BoxTrainer.Result::stepsTo90).filter(s -> s >= 0).sorted()
                    .toArray();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f – %.2f | %d of %d | %s |%n", v.pe(),
                    v.groups(), 100 * median(acc), 100 * acc[0], 100 * acc[acc.length - 1], to90.length, acc.length,
                    to90.length == 0 ? "—" : Integer.toString(to90[to90.length / 2])));
        }
        sb.append("\n| pe | G | seed | accuracy (%) | steps to 90 % |\n|---|---|---|---|---|\n");
        for (BoxTrainer.Result r : results) sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %s |%n",
                r.variant().pe(), r.variant().groups(), r.seed(), 100 * r.accuracy(),
                r.stepsTo90() < 0 ? "—" : r.stepsTo90()));
        return sb.toString();
    }

    static Chart chart(List<BoxTrainer.Result> results) {
        List<Curve> curves = new ArrayList<>();
        Curve.Marker[] marks = {Curve.Marker.CIRCLE, Curve.Marker.SQUARE, Curve.Marker.TRIANGLE};
        int i = 0, seeds = 0;
        for (BoxVariant v : variants(results)) {
            List<BoxTrainer.Result> runs = of(results, v);
            seeds = Math.max(seeds, runs.size());
            List<double[]> pts = new ArrayList<>();
            for (int p = 0; p < runs.getFirst().curve().size(); p++) {
                int at = p;
                double[] acc = runs.stream().filter(r -> r.curve().size() > at)
                        .mapToDouble(r -> r.curve().get(at).accuracy()).sorted().toArray();
                pts.add(new double[] {runs.getFirst().curve().get(p).step(), 100 * median(acc)});
            }
            Curve c = Curve.line(v.label(), pts).markers(marks[i % marks.length]);
            curves.add(v.pe().equals("lff") ? c : c.dashed());
            i++;
        }
        return Chart.of("Widget boxes: inside / overlap / free (median of %d seed%s)".formatted(seeds,
                seeds == 1 ? "" : "s"), "training step", "test accuracy per widget (%)").with(curves);
    }

    private static List<BoxVariant> variants(List<BoxTrainer.Result> results) {
        return List.copyOf(new LinkedHashSet<>(results.stream().map(BoxTrainer.Result::variant).toList()));
    }

    private static List<BoxTrainer.Result> of(List<BoxTrainer.Result> results, BoxVariant v) {
        return results.stream().filter(r -> r.variant().equals(v)).toList();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
