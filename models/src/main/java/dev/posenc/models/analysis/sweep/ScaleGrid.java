package dev.posenc.models.analysis.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.Function;

/**
 * The grids of a scale sweep, parsed from the command line: which encodings, and for each the list of
 * scales (σ for {@code gaussian}, the log-linear scale for {@code positional}). Shared by {@code analyze sweep}
 * and {@code analyze toy1d}.
 *
 * <p>{@code --scales} is repeatable; each value is either {@code NAME=v1,v2,...} (the list of that encoding)
 * or {@code v1,v2,...} (the list of every encoding that has no list of its own). Every scale is a finite
 * number > 0: σ = 0 maps everything to one point, and the plots put σ on a log axis.
 */
public final class ScaleGrid {
    private ScaleGrid() {}

    /**
     * {@code given} checked against {@code valid}: not empty, every name known (the error lists the valid ones),
     * none twice. Returns the names in the given order.
     */
    public static List<String> names(String option, List<String> given, List<String> valid) {
        if (given == null || given.isEmpty()) throw new IllegalArgumentException(
                "%s: expected one or more of %s, got none".formatted(option, valid));
        List<String> out = new ArrayList<>();
        for (String raw : given) {
            String name = raw.strip();
            if (!valid.contains(name)) throw new IllegalArgumentException(
                    "%s: expected names from %s, got '%s'".formatted(option, valid, raw));
            if (out.contains(name)) throw new IllegalArgumentException(
                    "%s: expected each name once, got '%s' twice".formatted(option, name));
            out.add(name);
        }
        return out;
    }

    /**
     * The scales of each of {@code encodings}, in their order: from {@code specs} (the values of the option
     * {@code option}, see the class comment), else {@code defaults.apply(name)}.
     *
     * @throws IllegalArgumentException naming {@code option}: an empty list, a value that is not a finite number
     *         > 0, a name not among {@code encodings}, or two lists for one encoding
     */
    public static SequencedMap<String, List<Double>> parse(String option, List<String> specs, List<String> encodings,
                                                           Function<String, List<Double>> defaults) {
        SequencedMap<String, List<Double>> named = new LinkedHashMap<>();
        List<Double> forAll = null;
        for (String spec : specs == null ? List.<String>of() : specs) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                if (forAll != null) throw new IllegalArgumentException(
                        "%s: expected one unnamed list, got a second: '%s'".formatted(option, spec));
                forAll = values(option, spec, spec);
                continue;
            }
            String name = spec.substring(0, eq).strip();
            if (!encodings.contains(name)) throw new IllegalArgumentException(
                    "%s: expected NAME=LIST with NAME among %s, got '%s'".formatted(option, encodings, spec));
            if (named.containsKey(name)) throw new IllegalArgumentException(
                    "%s: expected one list for %s, got a second: '%s'".formatted(option, name, spec));
            named.put(name, values(option, spec.substring(eq + 1), spec));
        }
        SequencedMap<String, List<Double>> grid = new LinkedHashMap<>();
        for (String name : encodings) {
            List<Double> list = named.containsKey(name) ? named.get(name) : forAll != null ? forAll : defaults.apply(name);
            grid.put(name, List.copyOf(list));
        }
        return grid;
    }

    /** The numbers of a comma-separated list; {@code spec} is the whole option value, for the message. */
    static List<Double> values(String option, String list, String spec) {
        List<Double> out = new ArrayList<>();
        for (String cell : list.split(",", -1)) {
            String s = cell.strip();
            if (s.isEmpty() && list.isBlank()) throw new IllegalArgumentException(
                    "%s: expected a comma-separated list of numbers > 0, got an empty list in '%s'".formatted(option, spec));
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "%s: expected finite numbers > 0, got '%s' in '%s'".formatted(option, s, spec));
            }
            if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(
                    "%s: expected finite numbers > 0, got %s in '%s'".formatted(option, s, spec));
            out.add(v);
        }
        return out;
    }

    /** A scale as the CSVs write it: the shortest decimal that reads back as the same double, "1" for 1.0. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** {@code center}·2^k for k = {@code from}..{@code to}: a log grid of octaves around a default. */
    public static List<Double> octaves(double center, int from, int to) {
        List<Double> out = new ArrayList<>();
        for (int k = from; k <= to; k++) out.add(center * Math.pow(2, k));
        return out;
    }

    /** from, from + step, ..., to (inclusive, by index so that no rounding accumulates). */
    public static List<Double> linear(double from, double to, double step) {
        List<Double> out = new ArrayList<>();
        for (int k = 0; from + k * step <= to + step * 1e-9; k++) out.add(from + k * step);
        return out;
    }
}
