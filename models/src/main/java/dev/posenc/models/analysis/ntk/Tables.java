package dev.posenc.models.analysis.ntk;

import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * The text of results.csv and results.md for the NTK analyses: a settings table, a results table, notes.
 * Numbers use a dot decimal separator whatever the locale; NaN is written {@code nan} (Python reads it).
 */
final class Tables {
    private Tables() {}

    /** Header line, then one line per row; cells must not contain commas (ours are names and numbers). */
    static String csv(List<String> header, List<List<String>> rows) {
        StringBuilder s = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> row : rows) s.append(String.join(",", row)).append('\n');
        return s.toString();
    }

    /** "# title", a settings table, a results table, then {@code notes} (Markdown, may be empty). */
    static String markdown(String title, SequencedMap<String, String> settings, List<String> header,
                           List<List<String>> rows, String notes) {
        StringBuilder s = new StringBuilder("# ").append(title).append("\n\n## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> s.append("| ").append(escape(k)).append(" | ").append(escape(v)).append(" |\n"));
        s.append("\n## Results\n\n| ").append(String.join(" | ", header)).append(" |\n|---");
        s.append("|---:".repeat(header.size() - 1)).append("|\n");
        for (List<String> row : rows) s.append("| ").append(String.join(" | ", row.stream().map(Tables::escape).toList())).append(" |\n");
        if (!notes.isEmpty()) s.append('\n').append(notes).append('\n');
        return s.toString();
    }

    /** {@code v} with {@code significant} significant digits, in plain or scientific form. */
    static String number(double v, int significant) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%." + significant + "g", v);
    }

    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) return number(v, 1);
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String escape(String cell) { return cell.replace("|", "\\|").replace("\n", " "); }
}
