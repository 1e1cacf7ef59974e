package dev.posenc.core;

/**
 * Element-wise agreement of two arrays under llm.c's effective tolerance |a − b| ≤ atol + rtol·|expected|.
 * Used by tests, by benchmarks that check a kernel against its twin before timing it, and by the
 * gradient checker.
 */
public record Compare(int n, int failures, int worst, double worstExcess, double maxAbsError, double maxRelError,
                      double expectedAtWorst, double actualAtWorst, String firstFailures) {

    /** Compares {@code actual} with {@code expected}; never throws on a mismatch, see {@link #ok()}. */
    public static Compare of(double[] expected, double[] actual, double atol, double rtol) {
        if (expected.length != actual.length) throw new IllegalArgumentException(
                "actual: expected %d elements, got %d".formatted(expected.length, actual.length));
        int failures = 0, worst = -1;
        double worstExcess = Double.NEGATIVE_INFINITY, maxAbs = 0, maxRel = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i], err = Math.abs(a - e);
            if (Double.isNaN(err)) err = Double.isNaN(e) && Double.isNaN(a) ? 0 : Double.POSITIVE_INFINITY;
            double excess = err - (atol + rtol * Math.abs(e));
            maxAbs = Math.max(maxAbs, err);
            maxRel = Math.max(maxRel, err / Math.max(Math.abs(e), 1e-30));
            if (excess > worstExcess) { worstExcess = excess; worst = i; }
            if (excess > 0 && failures++ < 5) first.append("  [%d] expected %.9g, got %.9g%n".formatted(i, e, a));
        }
        return new Compare(expected.length, failures, worst, worstExcess, maxAbs, maxRel,
                worst < 0 ? 0 : expected[worst], worst < 0 ? 0 : actual[worst], first.toString());
    }

    public static Compare of(float[] expected, float[] actual, double atol, double rtol) {
        return of(toDouble(expected), toDouble(actual), atol, rtol);
    }

    public static Compare of(Tensor expected, Tensor actual, double atol, double rtol) {
        Shapes.same("compare", "actual", expected, actual);
        return of(expected.toArray(), actual.toArray(), atol, rtol);
    }

    public boolean ok() { return failures == 0; }

    /** The first five mismatches and the worst element, for an assertion message. */
    public String describe() {
        return "%d of %d elements outside tolerance; max abs err %.3g, max rel err %.3g; worst [%d] expected %.9g, got %.9g%n%s"
                .formatted(failures, n, maxAbsError, maxRelError, worst, expectedAtWorst, actualAtWorst, firstFailures);
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
