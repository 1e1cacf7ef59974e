package dev.posenc.models.cli;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where numbers from the command line are checked, by kind: each check names the option,
 * what was expected and what came, in one line ("--lr: expected a finite number > 0, got Infinity"), and
 * runs before anything is loaded or allocated. picocli turns "1e309" and "Infinity" into an infinite double
 * and "NaN" into NaN without complaint, so every double is checked for being finite here.
 *
 * <p>The frequency limit, {@value #MAX_FREQUENCY} cycles per unit, shared by {@code --sigma},
 * {@code --posenc-scale} and {@code --gamma}: positions are in [0, 1) and the phase 2π·f·x is computed in
 * float32. At f = 2¹⁶ the phase reaches 2π·2¹⁶ ≈ 4.1·10⁵ rad, where float32's spacing is 2⁻⁵ ≈ 0.03 rad; above
 * it the rounding of the phase grows in proportion and soon swamps it, and such a frequency is already 16 times
 * the Nyquist frequency of the largest training grid (--size 16384: 8192 samples per unit, Nyquist 4096).
 * Nothing sensible lies beyond; typos such as --posenc-scale 1e6 (frequencies 2^1e6 = Inf) do.
 */
final class OptionChecks {
    private OptionChecks() {}

    /** Highest frequency, cycles per unit, an encoding may be asked for (see the class comment). */
    static final double MAX_FREQUENCY = 65536;
    /** A Gaussian draw lies within 4σ but for 1 in 16,000: σ ≤ MAX/4 keeps B's largest entries under the limit. */
    static final double MAX_SIGMA = MAX_FREQUENCY / 4;
    /** Positional frequencies reach 2^scale − 1. */
    static final double MAX_POSENC_SCALE = Math.log(MAX_FREQUENCY) / Math.log(2);
    /** LFF's W_r ~ N(0, γ⁻²) in radians per unit: its largest entries 4/γ stay under 2π·MAX. */
    static final double MIN_GAMMA = 4 / (2 * Math.PI * MAX_FREQUENCY);
    /** Layer widths beyond this are typos; the memory budget judges what fits below it. */
    static final int MAX_WIDTH = 65536;
    /** Counts of steps, epochs, images: 10⁸ steps are years at the defaults' speed. */
    static final int MAX_COUNT = 100_000_000;
    /** ForkJoinPool refuses more than 32767 workers (with an exception without a message); 1024 is already 64× a big CPU. */
    static final int MAX_THREADS = 1024;
    /** Image sides: 16384² RGB floats are 3 GiB on the heap. */
    static final int MAX_SIDE = 16384;

    /** A finite number > 0. */
    static double positive(String option, double v) {
        if (!Double.isFinite(v) || v <= 0) throw bad(option, "a finite number > 0", v);
        return v;
    }

    /** A finite number in [lo, hi] (loOpen: in (lo, hi]); {@code why} follows the value in the message. */
    static double inRange(String option, double v, double lo, boolean loOpen, double hi, String why) {
        boolean ok = Double.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi;
        if (!ok) throw new IllegalArgumentException("%s: expected a finite number in %s%s, %s], got %s (%s)"
                .formatted(option, loOpen ? "(" : "[", number(lo), number(hi), number(v), why));
        return v;
    }

    /** An integer in [lo, hi]. */
    static int inRange(String option, int v, int lo, int hi) {
        if (v < lo || v > hi) throw new IllegalArgumentException(
                "%s: expected an integer in [%d, %d], got %d".formatted(option, lo, hi, v));
        return v;
    }

    /** An even integer in [lo, hi] (cos and sin halves). */
    static int evenInRange(String option, int v, int lo, int hi) {
        if (v < lo || v > hi || v % 2 != 0) throw new IllegalArgumentException(
                "%s: expected an even integer in [%d, %d] (cos and sin halves), got %d".formatted(option, lo, hi, v));
        return v;
    }

    /** A power of two in [lo, hi]. */
    static int powerOfTwo(String option, int v, int lo, int hi, String why) {
        if (v < lo || v > hi || Integer.bitCount(v) != 1) throw new IllegalArgumentException(
                "%s: expected a power of two in [%d, %d] (%s), got %d".formatted(option, lo, hi, why, v));
        return v;
    }

    /** Fails unless {@code given} holds a name that is not blank ("--encodings ," gives none). */
    static void atLeastOne(String option, List<String> given, List<String> allowed) {
        if (given == null || given.stream().allMatch(String::isBlank)) throw new IllegalArgumentException(
                "%s: expected at least one name from %s, got none".formatted(option, allowed));
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?", Pattern.CASE_INSENSITIVE);

    /** A memory size such as 512m, 8g, 1.5t or 4096 (bytes); k, m, g, t are powers of 1024. */
    static long bytes(String option, String text) {
        Matcher m = SIZE.matcher(text.strip());
        long value = -1;
        if (m.matches()) {
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10; case "m" -> 20; case "g" -> 30; case "t" -> 40; default -> 0;
            };
            double v = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
            if (v >= 1 && v < Long.MAX_VALUE) value = (long) v;
        }
        if (value < 1) throw new IllegalArgumentException(
                "%s: expected a size such as 512m, 8g or 1t, got '%s'".formatted(option, text));
        return value;
    }

    private static IllegalArgumentException bad(String option, String expected, double v) {
        return new IllegalArgumentException("%s: expected %s, got %s".formatted(option, expected, number(v)));
    }

    /** 3.0E-5 as 3e-05, 1000000.0 as 1e+06, Infinity as Infinity: short and unambiguous. */
    static String number(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("\\.?0+(e|$)", "$1");
    }
}
