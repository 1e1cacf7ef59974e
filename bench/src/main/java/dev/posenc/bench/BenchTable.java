package dev.posenc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Benchmark results as an aligned text table: benchmark, params, mode, score ± error, unit, and the
 * median, min and max of the iteration scores. Text columns are left-aligned, numbers right-aligned.
 */
public final class BenchTable {
    private static final List<String> HEADER =
            List.of("Benchmark", "Params", "Mode", "Score", "± Error", "Unit", "Median", "Min", "Max", "N");
    private static final int FIRST_NUMBER_COLUMN = 3, UNIT_COLUMN = 5;

    private BenchTable() {}

    /** The table, one line per record, each line ending in a newline. */
    public static String format(List<BenchRecord> records) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (BenchRecord r : records) {
            rows.add(List.of(r.name(), params(r.params()), r.mode(), number(r.score()), number(r.error()), r.unit(),
                    number(r.median()), number(r.min()), number(r.max()), Integer.toString(r.samples())));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < width.length; c++) width[c] = Math.max(width[c], row.get(c).length());
        }
        var sb = new StringBuilder();
        for (List<String> row : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                boolean numeric = c >= FIRST_NUMBER_COLUMN && c != UNIT_COLUMN;
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(numeric ? pad + cell : cell + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** {@code n=4096 h=128}, or {@code -} when the benchmark has no parameters. */
    static String params(Map<String, String> params) {
        if (params.isEmpty()) return "-";
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /**
     * About four significant digits without exponents for the usual range, so that columns compare at a
     * glance: 123456.7, 1234.6, 12.346, 0.1235, 0.0001235; NaN (no error estimate) as {@code n/a}.
     */
    static String number(double x) {
        if (Double.isNaN(x)) return "n/a";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        double a = Math.abs(x);
        if (a >= 1000) return String.format(Locale.ROOT, "%.1f", x);
        if (a >= 1) return String.format(Locale.ROOT, "%.3f", x);
        if (a == 0) return "0";
        if (a < 1e-6) return String.format(Locale.ROOT, "%.3e", x);
        int decimals = 3 - (int) Math.floor(Math.log10(a));   // four significant digits below 1
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }
}
