package dev.posenc.models.analysis.sweep;

import dev.posenc.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/** results.csv and results.md of {@code analyze sweep}, written atomically. */
final class SweepReport {
    private SweepReport() {}

    static final String CSV_HEADER = "encoding,scale,train_psnr,test_psnr";
    static final String CSV = "results.csv", MARKDOWN = "results.md";

    static void write(Path dir, List<ImageSweep.Row> rows, SequencedMap<String, String> settings, List<String> findings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve(CSV), csv(rows));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(rows, settings, findings));
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
