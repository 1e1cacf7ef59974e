package dev.posenc.models.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an axis starts and ends and where its ticks go, from the drawable data values along it.
 *
 * <p>Linear: ticks every 1, 2 or 5 × 10^k, about {@value #TARGET} of them; an automatic bound widens to the
 * next tick. Log: a major tick at every decade 10^k (labelled "0.01" … "1000", "1e-3" or "1e4" beyond) and
 * light minor ticks at 2..9 × 10^k; automatic bounds widen to whole decades. When a fixed log range holds
 * fewer than two decades, the 2 and 5 minor ticks get labels too, so the axis is still readable.
 *
 * @param lo    the value at the start of the axis
 * @param hi    the value at its end, {@code > lo}
 * @param major labelled ticks inside [lo, hi]
 * @param minor unlabelled ticks inside [lo, hi] (log axes only)
 */
record AxisTicks(Axis.Scale scale, double lo, double hi, List<Tick> major, List<Double> minor) {
    /** A labelled tick. */
    record Tick(double value, String label) {}

    private static final int TARGET = 6;
    /** Float slack when deciding whether a tick computed from lo and a step still lies inside the range. */
    private static final double EPS = 1e-9;

    /** The ticks of {@code axis} over the drawable {@code values} (others are ignored). */
    static AxisTicks of(Axis axis, double[] values) {
        double dlo = Double.POSITIVE_INFINITY, dhi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (axis.drawable(v)) { dlo = Math.min(dlo, v); dhi = Math.max(dhi, v); }
        }
        return axis.scale() == Axis.Scale.LOG ? log(axis, dlo, dhi) : linear(axis, dlo, dhi);
    }

    /** The fraction of the way from lo to hi where {@code v} sits (outside [0, 1] when off the axis). */
    double fraction(double v) {
        if (scale == Axis.Scale.LOG) return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return (v - lo) / (hi - lo);
    }

    private static AxisTicks linear(Axis axis, double dlo, double dhi) {
        if (dlo > dhi) { dlo = 0; dhi = 1; }                         // no data: a unit range
        double lo = Double.isNaN(axis.min()) ? dlo : axis.min(), hi = Double.isNaN(axis.max()) ? dhi : axis.max();
        if (lo >= hi) {                                              // flat data, or data beyond one fixed bound
            if (Double.isNaN(axis.min()) && Double.isNaN(axis.max())) { lo -= 0.5; hi += 0.5; }
            else if (Double.isNaN(axis.max())) hi = lo + 1;
            else lo = hi - 1;
        }
        double step = axis.integerTicks() ? Math.max(1, niceStep(hi - lo)) : niceStep(hi - lo);
        if (Double.isNaN(axis.min())) lo = Math.floor(lo / step + EPS) * step;
        if (Double.isNaN(axis.max())) hi = Math.ceil(hi / step - EPS) * step;
        List<Tick> major = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - EPS); k * step <= hi + step * EPS; k++) { // by index: += drifts
            double v = k * step;
            major.add(new Tick(v, linearLabel(v, step)));
        }
        return new AxisTicks(Axis.Scale.LINEAR, lo, hi, major, List.of());
    }

    private static AxisTicks log(Axis axis, double dlo, double dhi) {
        if (dlo > dhi) { dlo = 1; dhi = 10; }                       // no positive data: one decade
        double lo = Double.isNaN(axis.min()) ? Math.pow(10, Math.floor(Math.log10(dlo) + EPS)) : axis.min();
        double hi = Double.isNaN(axis.max()) ? Math.pow(10, Math.ceil(Math.log10(dhi) - EPS)) : axis.max();
        if (lo >= hi) {                                              // one exact decade, or data beyond a fixed bound
            if (Double.isNaN(axis.max())) hi = lo * 10; else lo = hi / 10;
        }
        boolean labelMinor = countDecades(lo, hi) < 3;               // two labels or fewer: add 2 and 5
        List<Tick> major = new ArrayList<>();
        List<Double> minor = new ArrayList<>();
        for (int k = (int) Math.floor(Math.log10(lo)) - 1; k <= (int) Math.ceil(Math.log10(hi)); k++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * Math.pow(10, k);
                if (v < lo * (1 - EPS) || v > hi * (1 + EPS)) continue;
                if (m == 1) major.add(new Tick(v, decadeLabel(k)));
                else if (labelMinor && (m == 2 || m == 5)) major.add(new Tick(v, minorLabel(m, k)));
                else minor.add(v);
            }
        }
        return new AxisTicks(Axis.Scale.LOG, lo, hi, major, minor);
    }

    private static int countDecades(double lo, double hi) {
        return (int) (Math.floor(Math.log10(hi) + EPS) - Math.ceil(Math.log10(lo) - EPS)) + 1;
    }

    /** A step of 1, 2 or 5 × 10^k giving about {@value #TARGET} ticks over {@code span}. */
    static double niceStep(double span) {
        double raw = span / TARGET, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    /** {@code v} with as many decimals as {@code step} needs; tiny values print as 0 rather than 1e-17. */
    static String linearLabel(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + EPS));
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 1e6 ? 0.0 : v);
    }

    /** 10^k as people write it: plain from 0.01 to 1000, "1e-3" and "1e4" beyond, where zeros get hard to count. */
    static String decadeLabel(int k) {
        if (k >= 0 && k <= 3) return Long.toString(Math.round(Math.pow(10, k)));
        if (k < 0 && k >= -2) return "0." + "0".repeat(-k - 1) + "1";
        return "1e" + k;
    }

    private static String minorLabel(int m, int k) {
        if (k >= -2 && k <= 3) return linearLabel(m * Math.pow(10, k), Math.pow(10, k));
        return m + "e" + k;
    }
}
