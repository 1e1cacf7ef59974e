package dev.posenc.models.analysis.toy1d;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.analysis.sweep.ScaleChart;
import dev.posenc.models.analysis.sweep.ScaleGrid;
import dev.posenc.models.report.Chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/** results.csv, results.md, toy1d_sigma.png and toy1d_scale.png of {@code analyze toy1d}, written atomically. */
final class Toy1dReport {
    private Toy1dReport() {}

    static final String CSV_HEADER = "mapping,p,scale,train_psnr,test_psnr";
    static final String CSV = "results.csv", MARKDOWN = "results.md";
    static final String SIGMA_PLOT = "toy1d_sigma.png", SCALE_PLOT = "toy1d_scale.png";
    static final int WIDTH = 900, HEIGHT = 540;

    /** results.csv, results.md and the plot of each mapping that has rows; {@code nyquist} of the training grid. */
    static void write(Path dir, List<Toy1d.Row> rows, SequencedMap<String, String> settings, String findings,
                      double nyquist) throws IOException {
        AtomicFiles.writeString(dir.resolve(CSV), csv(rows));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(rows, settings, findings));
        if (rows.stream().anyMatch(r -> r.mapping().equals("gaussian"))) {
            chart(rows, "gaussian", "Gaussian mapping: PSNR against σ, mean over the signals of each p",
                    "σ (cycles per unit)", true, nyquist).write(dir.resolve(SIGMA_PLOT), WIDTH, HEIGHT);
        }
        if (rows.stream().anyMatch(r -> r.mapping().equals("positional"))) {
            chart(rows, "positional", "Positional mapping: PSNR against its scale s", "s (top frequency 2^s − 1)",
                    false, Math.log(nyquist + 1) / Math.log(2)).write(dir.resolve(SCALE_PLOT), WIDTH, HEIGHT);
        }
    }

    /** One group per p: its mean train and test PSNR against the scale of {@code mapping}. */
    static Chart chart(List<Toy1d.Row> rows, String mapping, String title, String xLabel, boolean logX, double nyquistAt) {
        List<ScaleChart.Group> groups = new ArrayList<>();
        for (double p : rows.stream().map(Toy1d.Row::p).distinct().toList()) {
            List<Toy1d.Row> mine = rows.stream().filter(r -> r.mapping().equals(mapping) && r.p() == p)
                    .sorted(Comparator.comparingDouble(Toy1d.Row::scale)).toList();
            if (mine.isEmpty()) continue;
            groups.add(new ScaleChart.Group("p = " + ScaleGrid.format(p),
                    mine.stream().map(r -> new double[] {r.scale(), r.trainPsnr()}).toList(),
                    mine.stream().map(r -> new double[] {r.scale(), r.testPsnr()}).toList()));
        }
        return ScaleChart.of(title, xLabel, logX, groups, nyquistAt);
    }

    static String csv(List<Toy1d.Row> rows) {
        StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
        for (Toy1d.Row r : rows) {
            s.append(String.format(Locale.ROOT, "%s,%s,%s,%.3f,%.3f%n", r.mapping(), ScaleGrid.format(r.p()), ScaleGrid.format(r.scale()),
                    r.trainPsnr(), r.testPsnr()));
        }
        return s.toString();
    }

    static String markdown(List<Toy1d.Row> rows, SequencedMap<String, String> settings, String findings) {
        StringBuilder s = new StringBuilder("# posenc analyze toy1d\n\n## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        if (!findings.isEmpty()) s.append("\n## What it shows\n\n").append(findings);
        s.append("\n## Results (mean ± sample std over the signals)\n\n");
        s.append("| mapping | p | scale | train PSNR (dB) | test PSNR (dB) |\n|---|---:|---:|---:|---:|\n");
        for (Toy1d.Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f ± %.2f | %.2f ± %.2f |%n", r.mapping(),
                    ScaleGrid.format(r.p()), ScaleGrid.format(r.scale()), r.trainPsnr(), r.trainStd(), r.testPsnr(), r.testStd()));
        }
        return s.toString();
    }
}
