package dev.posenc.models.report;

import dev.posenc.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * {@code results.csv} and {@code results.md} for one {@code fit-image} run, written atomically. The CSV has
 * exactly the columns of {@link #CSV_HEADER}, the same as {@code bench/pytorch/fit_image.py} writes, so the two
 * can be compared line by line. Numbers use a dot decimal separator whatever the locale; NaN is written
 * {@code nan} (Python's {@code float()} reads it).
 */
public final class ResultsWriter {
    public static final String CSV_HEADER = "encoding,train_psnr,test_psnr,steps,seconds,steps_per_second";
    public static final String CSV_NAME = "results.csv", MARKDOWN_NAME = "results.md";

    private ResultsWriter() {}

    /** Writes {@code dir/results.csv} and {@code dir/results.md}; {@code settings} are listed in their order. */
    public static void write(Path dir, List<FitSummary> results, SequencedMap<String, String> settings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve(CSV_NAME), csv(results));
        AtomicFiles.writeString(dir.resolve(MARKDOWN_NAME), markdown(results, settings));
    }

    /** The CSV text: the header, then one line per result, in list order. */
    public static String csv(List<FitSummary> results) {
        StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
        for (FitSummary r : results) {
            s.append(csvQuote(r.encoding())).append(',').append(String.join(",", cells(r))).append('\n');
        }
        return s.toString();
    }

    /** The Markdown text: a settings table, then a results table with the CSV's columns. */
    public static String markdown(List<FitSummary> results, SequencedMap<String, String> settings) {
        StringBuilder s = new StringBuilder("# posenc fit-image results\n\n## Settings\n\n");
        s.append("| setting | value |\n|---|---|\n");
        for (var kv : settings.entrySet()) {
            s.append("| ").append(mdEscape(kv.getKey())).append(" | ").append(mdEscape(kv.getValue())).append(" |\n");
        }
        s.append("\n## Results\n\n| ").append(CSV_HEADER.replace(",", " | ")).append(" |\n");
        s.append("|---|---:|---:|---:|---:|---:|\n");
        for (FitSummary r : results) {
            s.append("| ").append(mdEscape(r.encoding())).append(" | ").append(String.join(" | ", cells(r)))
                    .append(" |\n");
        }
        return s.toString();
    }

    private static String[] cells(FitSummary r) {
        return new String[] {number(r.trainPsnr(), 3), number(r.testPsnr(), 3), Integer.toString(r.steps()),
                number(r.seconds(), 3), number(r.stepsPerSecond(), 2)};
    }

    private static String number(double v, int decimals) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String csvQuote(String field) {
        if (field.chars().noneMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')) return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static String mdEscape(String cell) {
        return cell.replace("|", "\\|").replace("\n", " ");
    }
}
