package dev.posenc.models.seq;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.Panels;

import java.awt.Color;
import dev.posenc.models.vit.CurvePoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.ToDoubleFunction;

/**
 * {@code train-seq}'s outputs, each written atomically: results.csv (one row per run), results.md (settings, a summary
 * per attention over seeds, every run), curves.csv (every evaluation) and curves.png: training loss and test accuracy
 * against step, per attention the mean over seeds (solid) and each seed (dashed, same colour), so an unstable seed shows.
 */
public final class SeqReport {
    private SeqReport() {}

    public static final String CSV_HEADER = "task,attention,seed,test_accuracy,final_train_loss,steps,step_ms,diverged";

    public static void write(Path dir, String task, List<SeqTrainer.Result> runs, SequencedMap<String, String> settings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(task, runs));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(task, runs, settings));
        AtomicFiles.writeString(dir.resolve("curves.csv"), curvesCsv(runs));
        Chart loss = Chart.of("training loss", "step", "cross-entropy").with(curves(runs, CurvePoint::trainLoss, 1));
        Chart acc = Chart.of("test accuracy", "step", "test accuracy (%)").with(curves(runs, CurvePoint::testAccuracy, 100));
        new Panels(task + ": mean over seeds (solid), each seed (dashed)", List.of(loss, acc), 2, true)
                .write(dir.resolve("curves.png"), 560, 420);
    }

    public static String csv(String task, List<SeqTrainer.Result> runs) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (SeqTrainer.Result r : runs) {
            b.append(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.4f,%d,%.2f,%b%n", task, r.attention().cliName, r.seed(),
                    r.testAccuracy(), r.finalLoss(), r.steps(), r.stepMs(), r.diverged()).replace("NaN", "nan"));
        }
        return b.toString();
    }

    public static String curvesCsv(List<SeqTrainer.Result> runs) {
        StringBuilder b = new StringBuilder("attention,seed,step,test_accuracy,train_loss\n");
        for (SeqTrainer.Result r : runs) {
            for (CurvePoint p : r.curve()) b.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.5f%n", r.attention().cliName,
                    r.seed(), p.step(), p.testAccuracy(), p.trainLoss()).replace("NaN", "nan"));
        }
        return b.toString();
    }

    /** Per attention: accuracy mean ± sd over seeds (sd with n − 1), min–max, final loss mean, step ms mean, diverged runs. */
    public static String markdown(String task, List<SeqTrainer.Result> runs, SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# train-seq: " + task + "\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n| attention | seeds | test accuracy mean ± sd | min – max | final train loss | ms / step | diverged |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (var e : byAttention(runs).entrySet()) {
            List<SeqTrainer.Result> rs = e.getValue();
            double[] acc = rs.stream().mapToDouble(SeqTrainer.Result::testAccuracy).toArray();
            b.append(String.format(Locale.ROOT, "| %s | %d | %.2f ± %.2f %% | %.2f – %.2f %% | %.4f | %.1f | %d |%n", e.getKey(),
                    rs.size(), 100 * mean(acc), 100 * sd(acc), 100 * min(acc), 100 * max(acc),
                    mean(rs.stream().mapToDouble(SeqTrainer.Result::finalLoss).toArray()),
                    mean(rs.stream().mapToDouble(SeqTrainer.Result::stepMs).toArray()),
                    rs.stream().filter(SeqTrainer.Result::diverged).count()));
        }
        b.append("\n| attention | seed | test accuracy | final train loss | steps | ms / step | diverged |\n")
                .append("|---|---:|---:|---:|---:|---:|---|\n");
        for (SeqTrainer.Result r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.2f %% | %.4f | %d | %.1f | %s |%n", r.attention().cliName, r.seed(),
                    100 * r.testAccuracy(), r.finalLoss(), r.steps(), r.stepMs(), r.diverged() ? "yes" : "no"));
        }
        return b.toString();
    }

    private static Map<String, List<SeqTrainer.Result>> byAttention(List<SeqTrainer.Result> runs) {
        Map<String, List<SeqTrainer.Result>> m = new LinkedHashMap<>();
        for (SeqTrainer.Result r : runs) m.computeIfAbsent(r.attention().cliName, k -> new ArrayList<>()).add(r);
        return m;
    }

    /**
     * Per attention (colour i): the mean of {@code value}·scale over the seeds that reached each evaluated step, solid and
     * named; then each seed dashed and unnamed (kept out of the legend).
     */
    static List<Curve> curves(List<SeqTrainer.Result> runs, ToDoubleFunction<CurvePoint> value, double scale) {
        List<Curve> out = new ArrayList<>();
        int i = 0;
        for (var e : byAttention(runs).entrySet()) {
            Color colour = LinePlot.PALETTE[i++ % LinePlot.PALETTE.length];
            Map<Integer, double[]> sums = new java.util.TreeMap<>();
            List<Curve> seeds = new ArrayList<>();
            for (SeqTrainer.Result r : e.getValue()) {
                List<double[]> pts = new ArrayList<>();
                for (CurvePoint p : r.curve()) {
                    double v = scale * value.applyAsDouble(p);
                    pts.add(new double[] {p.step(), v});
                    double[] s = sums.computeIfAbsent(p.step(), k -> new double[2]);
                    s[0] += v;
                    s[1]++;
                }
                if (e.getValue().size() > 1) seeds.add(Curve.line("", pts).dashed().colour(colour));
            }
            List<double[]> mean = new ArrayList<>();
            sums.forEach((step, s) -> mean.add(new double[] {step, s[0] / s[1]}));
            out.add(Curve.line(e.getKey(), mean).colour(colour));
            out.addAll(seeds);
        }
        return out;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    static double sd(double[] x) {
        if (x.length < 2) return 0;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }

    private static double min(double[] x) { return java.util.Arrays.stream(x).min().orElse(Double.NaN); }

    private static double max(double[] x) { return java.util.Arrays.stream(x).max().orElse(Double.NaN); }
}
