package dev.posenc.models.analysis.sweep;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Panels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/** results.csv, results.md and sweep.png of {@code analyze sweep}, written atomically. */
final class SweepReport {
    private SweepReport() {}

    static final String CSV_HEADER = "encoding,scale,train_psnr,test_psnr";
    static final String CSV = "results.csv", MARKDOWN = "results.md", PLOT = "sweep.png";
    static final int PANEL_WIDTH = 620, PANEL_HEIGHT = 460;

    /** results.csv, results.md and sweep.png (one panel per encoding); {@code nyquist} of the training grid. */
    static void write(Path dir, List<ImageSweep.Row> rows, SequencedMap<String, String> settings, List<String> findings,
                      double nyquist) throws IOException {
        AtomicFiles.writeString(dir.resolve(CSV), csv(rows));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(rows, settings, findings));
        List<Chart> panels = new ArrayList<>();
        for (String encoding : rows.stream().map(ImageSweep.Row::encoding).distinct().toList()) {
            List<ImageSweep.Row> mine = rows.stream().filter(r -> r.encoding().equals(encoding))
                    .sorted(Comparator.comparingDouble(ImageSweep.Row::scale)).toList();
            var group = new ScaleChart.Group(encoding, mine.stream().map(r -> new double[] {r.scale(), r.trainPsnr()}).toList(),
                    mine.stream().map(r -> new double[] {r.scale(), r.testPsnr()}).toList());
            boolean positional = encoding.equals("positional");
            panels.add(ScaleChart.of(encoding, positional ? "s (top frequency 2^s − 1 per axis)"
                            : encoding.equals("lff") ? "initial σ = 1/(2πγ) (cycles per unit)" : "σ (cycles per unit)",
                    !positional, List.of(group), positional ? Math.log(nyquist + 1) / Math.log(2) : nyquist));
        }
        new Panels("PSNR against the mapping's scale (fit-image protocol)", panels, panels.size(), false)
                .write(dir.resolve(PLOT), PANEL_WIDTH, PANEL_HEIGHT);
    }

    static String csv(List<ImageSweep.Row> rows) {
        StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
        for (ImageSweep.Row r : rows) {
            s.append(String.format(Locale.ROOT, "%s,%s,%.3f,%.3f%n", r.encoding(), ScaleGrid.format(r.scale()),
                    r.trainPsnr(), r.testPsnr()));
        }
        return s.toString();
    }

    static String markdown(List<ImageSweep.Row> rows, SequencedMap<String, String> settings, List<String> findings) {
        StringBuilder s = new StringBuilder("# posenc analyze sweep\n\n## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        if (!findings.isEmpty()) {
            s.append("\n## What it shows\n\n");
            findings.forEach(f -> s.append("- ").append(f).append('\n'));
        }
        s.append("\n## Results\n\n| encoding | scale | train PSNR (dB) | test PSNR (dB) | seconds |\n|---|---:|---:|---:|---:|\n");
        for (ImageSweep.Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.1f |%n", r.encoding(),
                    SweepShape.shortNumber(r.scale()), r.trainPsnr(), r.testPsnr(), r.seconds()));
        }
        return s.toString();
    }
}
