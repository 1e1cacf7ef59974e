package dev.posenc.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

/**
 * One benchmark's result, as the table prints it and the JSON file stores it: JMH's score and error over
 * all measurement iterations of all forks, plus the median, minimum and maximum of those iteration scores
 * (a loaded machine shows as a spread, which a mean ± error hides).
 *
 * @param name    {@code Class.method}, e.g. {@code MatmulBench.multiply}
 * @param mode    JMH's short mode label, e.g. {@code avgt} or {@code thrpt}
 * @param params  the {@code @Param} values of this run, in JMH's key order
 * @param error   half-width of JMH's 99.9% confidence interval; NaN with fewer than 2 iterations
 * @param samples how many measurement iterations the median, min and max are over
 */
public record BenchRecord(String name, String mode, Map<String, String> params, double score, double error,
                          String unit, double median, double min, double max, int samples) {
    public BenchRecord {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The record of one JMH run result. */
    public static BenchRecord of(RunResult run) {
        BenchmarkParams bp = run.getParams();
        Map<String, String> params = new LinkedHashMap<>();
        for (Object key : bp.getParamsKeys()) params.put((String) key, bp.getParam((String) key));
        double[] iterations = run.getBenchmarkResults().stream()
                .flatMap(b -> b.getIterationResults().stream())
                .mapToDouble(i -> i.getPrimaryResult().getScore())
                .toArray();
        var primary = run.getPrimaryResult();
        return of(shortName(bp.getBenchmark()), bp.getMode().shortLabel(), params, primary.getScore(),
                primary.getScoreError(), primary.getScoreUnit(), iterations);
    }

    /** A record whose median, min and max are computed from the iteration scores; needs at least one. */
    public static BenchRecord of(String name, String mode, Map<String, String> params, double score, double error,
                                 String unit, double[] iterationScores) {
        if (iterationScores.length == 0) throw new IllegalArgumentException(
                "iterationScores: expected at least 1 for " + name + ", got 0");
        double[] sorted = iterationScores.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new BenchRecord(name, mode, params, score, error, unit, median, sorted[0], sorted[n - 1], n);
    }

    /** {@code dev.posenc.bench.MatmulBench.multiply} → {@code MatmulBench.multiply}. */
    static String shortName(String benchmark) {
        List<String> parts = List.of(benchmark.split("\\."));
        return parts.size() < 2 ? benchmark : parts.get(parts.size() - 2) + "." + parts.getLast();
    }
}
