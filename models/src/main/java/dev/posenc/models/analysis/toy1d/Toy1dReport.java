package dev.posenc.models.analysis.toy1d;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.analysis.sweep.ScaleGrid;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/** results.csv and results.md of {@code analyze toy1d}, written atomically. */
final class Toy1dReport {
    private Toy1dReport() {}

    static final String CSV_HEADER = "mapping,p,scale,train_psnr,test_psnr";
    static final String CSV = "results.csv", MARKDOWN = "results.md";

    static void write(Path dir, List<Toy1d.Row> rows, SequencedMap<String, String> settings, String findings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve(CSV), csv(rows));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(rows, settings, findings));
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
