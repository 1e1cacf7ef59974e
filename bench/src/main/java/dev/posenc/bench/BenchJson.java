package dev.posenc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Benchmark results as JSON: an array with one object per benchmark and parameter set, one object per line,
 * so that files diff well:
 * <pre>{@code
 * [
 *   {"name": "FourierBench.forward", "mode": "avgt", "params": {"n": "4096"}, "score": 12.5, "error": 0.25,
 *    "unit": "us/op", "median": 12.4, "min": 12.1, "max": 13.0, "samples": 6}
 * ]}</pre>
 * A number JSON cannot hold (NaN, e.g. the error of a single iteration) is written as {@code null}.
 */
public final class BenchJson {
    private BenchJson() {}

    /** The whole document, ending in a newline. */
    public static String format(List<BenchRecord> records) {
        var sb = new StringBuilder("[\n");
        for (int i = 0; i < records.size(); i++) {
            sb.append("  ").append(object(records.get(i))).append(i + 1 < records.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    /**
     * Writes {@link #format} to {@code file} atomically: to a temporary file in the same folder, then renamed
     * over the target, so a reader never sees half a file and a failed run leaves the old one intact.
     */
    public static void write(Path file, List<BenchRecord> records) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, format(records), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);   // only still there when writing or renaming failed
        }
    }

    static String object(BenchRecord r) {
        var sb = new StringBuilder("{");
        sb.append("\"name\": ").append(string(r.name()));
        sb.append(", \"mode\": ").append(string(r.mode()));
        sb.append(", \"params\": {");
        String sep = "";
        for (Map.Entry<String, String> e : r.params().entrySet()) {
            sb.append(sep).append(string(e.getKey())).append(": ").append(string(e.getValue()));
            sep = ", ";
        }
        sb.append("}");
        sb.append(", \"score\": ").append(number(r.score()));
        sb.append(", \"error\": ").append(number(r.error()));
        sb.append(", \"unit\": ").append(string(r.unit()));
        sb.append(", \"median\": ").append(number(r.median()));
        sb.append(", \"min\": ").append(number(r.min()));
        sb.append(", \"max\": ").append(number(r.max()));
        sb.append(", \"samples\": ").append(r.samples());
        return sb.append("}").toString();
    }

    /** Double.toString's form (e.g. 1.5E-7) is valid JSON; NaN and infinities are not. */
    static String number(double x) {
        return Double.isFinite(x) ? Double.toString(x) : "null";
    }

    static String string(String s) {
        var sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append("\\u%04x".formatted((int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
