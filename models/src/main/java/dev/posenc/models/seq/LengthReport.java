package dev.posenc.models.seq;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * {@code train-seq --task reverse}'s outputs, each written atomically: results.csv
 * ({@value #CSV_HEADER}, one row per run and test length), results.md (settings, the median over seeds per encoding and
 * length, every run) and length.png: accuracy against test length (log₂ axis), one line per encoding, the median over
 * seeds.
 */
public final class LengthReport {
    private LengthReport() {}

    public static final String CSV_HEADER = "pe,seed,train_length,test_length,accuracy";

    /** A finished run and the positions it was trained with. */
    public record Run(String pe, SeqTrainer.Result result) {}

    public static void write(Path dir, int trainLength, List<Run> runs, SequencedMap<String, String> settings) throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(trainLength, runs));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(runs, settings));
        Chart c = Chart.of("reverse: trained on n ≤ " + trainLength + ", median over seeds", "test length n", "test accuracy (%)")
                .logX().yRange(0, 100);
        var med = medians(runs);
        int shortest = med.values().stream().mapToInt(TreeMap::firstKey).min().orElse(1);
        int longest = med.values().stream().mapToInt(TreeMap::lastKey).max().orElse(2);
        c = c.xRange(shortest / 1.25, longest * 1.25);   // the automatic log axis spans whole decades: 10–1000 for 32–128
        for (var e : med.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            e.getValue().forEach((n, acc) -> pts.add(new double[] {n, 100 * acc}));
            c = c.with(Curve.line(e.getKey(), pts).markers(Curve.Marker.CIRCLE));
        }
        c.write(dir.resolve("length.png"), 720, 480);
    }

    public static String csv(int trainLength, List<Run> runs) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Run r : runs) {
            r.result().byLength().forEach((n, acc) -> b.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f%n", r.pe(),
                    r.result().seed(), trainLength, n, acc)));
        }
        return b.toString();
    }

    /** Per encoding (in run order), per test length: the median accuracy over the seeds run so far. */
    static Map<String, TreeMap<Integer, Double>> medians(List<Run> runs) {
        Map<String, TreeMap<Integer, List<Double>>> all = new LinkedHashMap<>();
        for (Run r : runs) {
            r.result().byLength().forEach((n, acc) ->
                    all.computeIfAbsent(r.pe(), k -> new TreeMap<>()).computeIfAbsent(n, k -> new ArrayList<>()).add(acc));
        }
        Map<String, TreeMap<Integer, Double>> out = new LinkedHashMap<>();
        all.forEach((pe, byN) -> {
            TreeMap<Integer, Double> m = new TreeMap<>();
            byN.forEach((n, accs) -> m.put(n, median(accs)));
            out.put(pe, m);
        });
        return out;
    }

    static double median(List<Double> x) {
        double[] s = x.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static String markdown(List<Run> runs, SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# train-seq: reverse (length extrapolation)\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        var med = medians(runs);
        List<Integer> lengths = med.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        b.append("\nMedian test accuracy over seeds:\n\n| pe |");
        lengths.forEach(n -> b.append(" n = ").append(n).append(" |"));
        b.append("\n|---|").append("---:|".repeat(lengths.size())).append('\n');
        med.forEach((pe, m) -> {
            b.append("| ").append(pe).append(" |");
            lengths.forEach(n -> b.append(m.containsKey(n) ? String.format(Locale.ROOT, " %.2f %% |", 100 * m.get(n)) : " – |"));
            b.append('\n');
        });
        b.append("\n| pe | seed | final train loss | diverged | accuracy by test length |\n|---|---:|---:|---|---|\n");
        for (Run r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %s | %s |%n", r.pe(), r.result().seed(), r.result().finalLoss(),
                    r.result().diverged() ? "yes" : "no", Arrays.toString(r.result().byLength().entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%d: %.2f %%", e.getKey(), 100 * e.getValue())).toArray())));
        }
        return b.toString();
    }
}
