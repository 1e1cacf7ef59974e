package dev.posenc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps the names a user types ({@code matmul}, {@code fourier}, {@code fma}) to benchmark classes, so that a
 * new benchmark class needs no change here. A name selects, ignoring case, the class called NAME or
 * NAME{@code Bench} if there is one; otherwise every class whose simple name starts with NAME. So
 * {@code fourier} picks FourierBench alone even beside FourierCudaBench, and {@code fourierc} picks the latter.
 */
public final class BenchSelection {
    private BenchSelection() {}

    /**
     * The fully qualified classes the names select, sorted and without repeats.
     *
     * @param available the benchmark classes compiled into the jar (fully qualified)
     * @throws IllegalArgumentException naming the first unknown name and every available class
     */
    public static List<String> resolve(List<String> available, List<String> names) {
        if (available.isEmpty()) throw new IllegalArgumentException(
                "no benchmarks are compiled into this jar (META-INF/BenchmarkList is missing or empty)");
        var selected = new TreeSet<String>();
        for (String name : names) {
            String wanted = name.toLowerCase(Locale.ROOT);
            List<String> exact = new ArrayList<>(), prefixed = new ArrayList<>();
            for (String fqn : available) {
                String simple = simpleName(fqn).toLowerCase(Locale.ROOT);
                if (simple.equals(wanted) || simple.equals(wanted + "bench")) exact.add(fqn);
                if (simple.startsWith(wanted)) prefixed.add(fqn);
            }
            List<String> chosen = exact.isEmpty() ? prefixed : exact;
            if (chosen.isEmpty()) throw new IllegalArgumentException("unknown benchmark '%s'; available: %s".formatted(
                    name, String.join(", ", simpleNames(available))));
            selected.addAll(chosen);
        }
        return List.copyOf(selected);
    }

    /** JMH's include pattern for every benchmark method of {@code fqn}, and of no other class. */
    public static String includeRegex(String fqn) {
        return "^" + Pattern.quote(fqn) + "\\.";
    }

    /** The simple class names, sorted, for listings. */
    public static List<String> simpleNames(List<String> fqns) {
        return fqns.stream().map(BenchSelection::simpleName).sorted().distinct().toList();
    }

    static String simpleName(String fqn) {
        return fqn.substring(fqn.lastIndexOf('.') + 1);
    }
}
