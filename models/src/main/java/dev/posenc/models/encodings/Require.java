package dev.posenc.models.encodings;

/** Hyperparameter checks: the message names the encoding, the argument, what was expected and what came. */
final class Require {
    private Require() {}

    static int positive(String encoding, String arg, int v) {
        if (v <= 0) throw new IllegalArgumentException("%s: %s: expected > 0, got %d".formatted(encoding, arg, v));
        return v;
    }

    static double nonNegative(String encoding, String arg, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(
                "%s: %s: expected a finite value >= 0, got %s".formatted(encoding, arg, v));
        return v;
    }

    static double positive(String encoding, String arg, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(
                "%s: %s: expected a finite value > 0, got %s".formatted(encoding, arg, v));
        return v;
    }

    static void divides(String encoding, String arg, int divisor, String ofWhat, int of) {
        if (of % divisor != 0) throw new IllegalArgumentException(
                "%s: %s: expected a divisor of %s = %d, got %d".formatted(encoding, arg, ofWhat, of, divisor));
    }

    static void that(boolean ok, String encoding, String arg, String expected, Object actual) {
        if (!ok) throw new IllegalArgumentException("%s: %s: expected %s, got %s".formatted(encoding, arg, expected, actual));
    }
}
