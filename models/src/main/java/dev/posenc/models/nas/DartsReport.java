package dev.posenc.models.nas;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.Panels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * What {@code nas darts} writes: results.csv (one row per seed and selection), alpha.csv (α's softmax per edge and
 * search epoch), projections.csv (DARTS-PT's accuracy with each candidate removed), results.md (settings, table,
 * means, how to read it) and two plots: alpha.png (the weight of skip_connect and of the parameter-free
 * operations against search epoch) and accuracy.png (retrain test accuracy per seed, α against perturbation).
 */
public final class DartsReport {
    private DartsReport() {}

    public static final String CSV_HEADER = "seed,selection,architecture,supernet_val_acc,retrain_test_acc,skip_count,seconds";
    static final List<String> FILES = List.of("results.csv", "alpha.csv", "projections.csv", "results.md", "alpha.png", "accuracy.png");

    static void write(Path dir, List<DartsSeed.Result> results, List<NasOp> candidates, SequencedMap<String, String> settings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(results));
        AtomicFiles.writeString(dir.resolve("alpha.csv"), alphaCsv(results, candidates));
        AtomicFiles.writeString(dir.resolve("projections.csv"), projectionsCsv(results, candidates));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(results, settings));
        alphaChart(results, candidates).write(dir.resolve("alpha.png"), 560, 400);
        accuracyChart(results.stream().flatMap(r -> r.rows().stream()).toList()).write(dir.resolve("accuracy.png"), 460, 360);
    }

    /**
     * Renders accuracy.png again from a finished run's results.csv ({@link #CSV_HEADER}), without searching again:
     * the chart needs only each row's seed, selection, retrained accuracy and skip count.
     */
    public static void rerenderAccuracy(Path resultsCsv, Path png) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(resultsCsv);
        if (lines.isEmpty() || !lines.getFirst().equals(CSV_HEADER)) throw new IllegalArgumentException(
                "%s: expected the header %s, got '%s'".formatted(resultsCsv, CSV_HEADER, lines.isEmpty() ? "" : lines.getFirst()));
        List<DartsSeed.Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            rows.add(new DartsSeed.Row(Long.parseLong(f[0]), f[1], new NasOp[0], Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Integer.parseInt(f[5]), Double.parseDouble(f[6])));
        }
        accuracyChart(rows).write(png, 460, 360);
    }

    static String csv(List<DartsSeed.Result> results) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (DartsSeed.Result r : results)
            for (DartsSeed.Row row : r.rows())
                b.append(String.format(Locale.ROOT, "%d,%s,%s,%.4f,%.4f,%d,%.1f%n", row.seed(), row.selection(),
                        row.architectureText(), row.supernetValAcc(), row.retrainTestAcc(), row.skipCount(), row.seconds()));
        return b.toString();
    }

    static String alphaCsv(List<DartsSeed.Result> results, List<NasOp> candidates) {
        StringBuilder b = new StringBuilder("seed,epoch,edge");
        for (NasOp o : candidates) b.append(",p_").append(o.label);
        b.append(",alpha_selects\n");
        for (DartsSeed.Result r : results)
            for (DartsSeed.AlphaPoint p : r.alphaTrace())
                for (int e = 0; e < p.softmax().length; e++) {
                    b.append(p.seed()).append(',').append(p.epoch()).append(',').append(e);
                    for (double v : p.softmax()[e]) b.append(String.format(Locale.ROOT, ",%.5f", v));
                    b.append(',').append(p.selection()[e].label).append('\n');
                }
        return b.toString();
    }

    static String projectionsCsv(List<DartsSeed.Result> results, List<NasOp> candidates) {
        StringBuilder b = new StringBuilder("seed,order,edge");
        for (NasOp o : candidates) b.append(",acc_without_").append(o.label);
        b.append(",chosen\n");
        for (DartsSeed.Result r : results)
            for (int i = 0; i < r.projections().size(); i++) {
                DartsSeed.Projection p = r.projections().get(i);
                b.append(p.seed()).append(',').append(i).append(',').append(p.edge());
                for (double v : p.accuracyWithout()) b.append(String.format(Locale.ROOT, ",%.4f", v));
                b.append(',').append(p.chosen().label).append('\n');
            }
        return b.toString();
    }

    static String markdown(List<DartsSeed.Result> results, SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# nas darts: α against perturbation selection (DARTS-PT toy)\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n| seed | selection | architecture (cell 0 e0,e1,e2 \\| cell 1 e0,e1,e2) | supernet val acc | retrain test acc | skips | seconds |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (DartsSeed.Result r : results)
            for (DartsSeed.Row row : r.rows())
                b.append(String.format(Locale.ROOT, "| %d | %s | %s | %.2f %% | %.2f %% | %d | %.0f |%n", row.seed(), row.selection(),
                        row.architectureText().replace("|", " \\| "), 100 * row.supernetValAcc(), 100 * row.retrainTestAcc(),
                        row.skipCount(), row.seconds()));
        b.append('\n');
        b.append("- seconds per seed are cumulative (perturbation's include the search); the JIT compiled for ")
                .append(String.join(", ", results.stream().map(r -> String.format(Locale.ROOT, "%.1f s", r.jitSeconds())).toList()))
                .append(" during seed(s) ").append(String.join(", ", results.stream().map(r -> String.valueOf(r.rows().getFirst().seed())).toList()))
                .append(" (on its own threads, competing with the run's): the first seed carries the JIT warm-up, so compare later seeds for speed\n");
        for (String sel : List.of("alpha", "perturbation")) {
            List<DartsSeed.Row> rows = results.stream().flatMap(r -> r.rows().stream()).filter(r -> r.selection().equals(sel)).toList();
            double[] acc = rows.stream().mapToDouble(DartsSeed.Row::retrainTestAcc).toArray();
            b.append(String.format(Locale.ROOT, "- %s: retrain test accuracy %.2f ± %.2f %% (mean ± sd over %d seed(s)), %.1f skip(s) and "
                            + "%.1f parameter-free op(s) per architecture on average%n", sel, 100 * mean(acc), 100 * sd(acc), acc.length,
                    rows.stream().mapToInt(DartsSeed.Row::skipCount).average().orElse(Double.NaN),
                    rows.stream().mapToLong(r -> java.util.Arrays.stream(r.architecture()).filter(NasOp::parameterFree).count())
                            .average().orElse(Double.NaN)));
        }
        b.append("""

                How to read it: α selection keeps each edge's largest softmax(α) among the candidates other than none; \
                perturbation selection (DARTS-PT) removes each candidate in turn, keeps the one whose removal lowers the \
                supernet's validation accuracy most, projects the edge to it and fine-tunes before the next edge \
                (projections.csv has every accuracy). Both architectures are retrained from scratch with the same budget and \
                tested on the test set. alpha.png shows how much weight α puts on skip_connect and on all parameter-free \
                operations as the search goes on: DARTS's skip collapse is the first rising. supernet_val_acc is the \
                supernet's at the end of the search for α, and the projected supernet's after the last fine-tuning for \
                perturbation.
                """);
        return b.toString();
    }

    private static Chart alphaChart(List<DartsSeed.Result> results, List<NasOp> candidates) {
        Chart c = Chart.of("α's weight on parameter-free ops, mean over edges", "search epoch", "mean softmax(α)");
        int skip = candidates.indexOf(NasOp.SKIP);
        int i = 0;
        for (DartsSeed.Result r : results) {
            List<double[]> skipPts = new ArrayList<>(), freePts = new ArrayList<>();
            for (DartsSeed.AlphaPoint p : r.alphaTrace()) {
                double s = 0, f = 0;
                for (double[] edge : p.softmax()) {
                    if (skip >= 0) s += edge[skip];
                    for (int o = 0; o < edge.length; o++) if (candidates.get(o).parameterFree() && candidates.get(o) != NasOp.NONE) f += edge[o];
                }
                skipPts.add(new double[] {p.epoch(), s / p.softmax().length});
                freePts.add(new double[] {p.epoch(), f / p.softmax().length});
            }
            long seed = r.rows().getFirst().seed();
            var colour = LinePlot.PALETTE[i++ % LinePlot.PALETTE.length];
            if (skip >= 0) c = c.with(Curve.line("skip, seed " + seed, skipPts).colour(colour).markers(Curve.Marker.CIRCLE));
            c = c.with(Curve.line("skip+pools, seed " + seed, freePts).colour(colour).dashed());
        }
        return c;
    }

    private static Panels accuracyChart(List<DartsSeed.Row> rows) {
        Chart acc = Chart.of("retrained test accuracy", "seed", "test accuracy (%)");
        Chart skips = Chart.of("skip_connect edges chosen", "seed", "edges");
        int i = 0;
        for (String sel : List.of("alpha", "perturbation")) {
            List<double[]> a = new ArrayList<>(), s = new ArrayList<>();
            for (DartsSeed.Row row : rows)
                if (row.selection().equals(sel)) {
                    double x = row.seed() + (i == 0 ? -0.1 : 0.1);   // side by side, not on top
                    a.add(new double[] {x, 100 * row.retrainTestAcc()});
                    s.add(new double[] {x, row.skipCount()});
                }
            var colour = LinePlot.PALETTE[i++];
            Curve.Marker m = sel.equals("alpha") ? Curve.Marker.CIRCLE : Curve.Marker.SQUARE;
            acc = acc.with(Curve.scatter(sel, a).colour(colour).markers(m));
            skips = skips.with(Curve.scatter(sel, s).colour(colour).markers(m));
        }
        double lo = rows.stream().mapToLong(DartsSeed.Row::seed).min().orElse(0) - 0.5;
        double hi = rows.stream().mapToLong(DartsSeed.Row::seed).max().orElse(0) + 0.5;
        return new Panels("nas darts: α against perturbation selection", List.of(acc.xRange(lo, hi).xWholeNumbers(), skips.xRange(lo, hi).xWholeNumbers().yWholeNumbers()), 2, true);
    }

    private static double mean(double[] v) { return java.util.Arrays.stream(v).average().orElse(Double.NaN); }

    private static double sd(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
