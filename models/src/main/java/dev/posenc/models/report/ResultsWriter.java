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
    /** Several images: one row per fit, beside results.csv's means. */
    public static final String IMAGES_CSV_NAME = "images.csv", IMAGES_CSV_HEADER = "image," + CSV_HEADER;

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

    /**
     * Several images: {@code results.csv} holds each encoding's means (so scripts that read one run's
     * results.csv read these too), {@code images.csv} every fit, and {@code results.md} the settings, a table
     * of mean ± std, min and max of the test PSNR over images, and the per-image table.
     *
     * @param images    the images' names, in the order of each {@link SpreadSummary#perImage()}
     * @param encodings one summary per encoding, in run order
     */
    public static void write(Path dir, List<String> images, List<SpreadSummary> encodings,
                             SequencedMap<String, String> settings) throws IOException {
        List<FitSummary> means = encodings.stream().map(SpreadSummary::mean).toList();
        AtomicFiles.writeString(dir.resolve(CSV_NAME), csv(means));
        AtomicFiles.writeString(dir.resolve(IMAGES_CSV_NAME), imagesCsv(images, encodings));
        StringBuilder md = new StringBuilder(markdown(means, settings).replace("\n## Results\n",
                "\n## Means over images\n\nEach row averages the encoding's fits over the %d images; seconds are per image.\n"
                        .formatted(images.size())));
        md.append("\n## Spread over images\n\n| encoding | test PSNR mean ± std | min | max | images |\n|---|---:|---:|---:|---:|\n");
        for (SpreadSummary e : encodings) {
            md.append("| %s | %s ± %s | %s | %s | %d |\n".formatted(mdEscape(e.mean().encoding()),
                    number(e.mean().testPsnr(), 2), number(e.testStd(), 2), number(e.testMin(), 2),
                    number(e.testMax(), 2), e.perImage().size()));
        }
        md.append("\n## Per image\n\n| ").append(IMAGES_CSV_HEADER.replace(",", " | ")).append(" |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < images.size(); i++) {
            for (SpreadSummary e : encodings) {
                FitSummary r = e.perImage().get(i);
                md.append("| ").append(mdEscape(images.get(i))).append(" | ").append(mdEscape(r.encoding()))
                        .append(" | ").append(String.join(" | ", cells(r))).append(" |\n");
            }
        }
        AtomicFiles.writeString(dir.resolve(MARKDOWN_NAME), md.toString());
    }

    /** images.csv: {@link #IMAGES_CSV_HEADER}, then image by image, each encoding in run order. */
    public static String imagesCsv(List<String> images, List<SpreadSummary> encodings) {
        StringBuilder s = new StringBuilder(IMAGES_CSV_HEADER).append('\n');
        for (int i = 0; i < images.size(); i++) {
            for (SpreadSummary e : encodings) {
                if (e.perImage().size() != images.size()) throw new IllegalArgumentException(
                        "encodings: expected %d fits of %s, got %d".formatted(images.size(), e.mean().encoding(),
                                e.perImage().size()));
                FitSummary r = e.perImage().get(i);
                s.append(csvQuote(images.get(i))).append(',').append(csvQuote(r.encoding())).append(',')
                        .append(String.join(",", cells(r))).append('\n');
            }
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
