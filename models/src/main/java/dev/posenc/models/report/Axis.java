package dev.posenc.models.report;

/**
 * One axis of a {@link Chart}: its label, its scale and an optional fixed range.
 *
 * <p>A NaN bound means "from the data": a linear axis widens to the nearest nice tick (1, 2 or 5 × 10^k), a
 * log axis to whole decades. Fixed bounds are kept exactly, so that panels drawn with the same range line up.
 *
 * @param label the axis title
 * @param scale {@link Scale#LINEAR} or {@link Scale#LOG} (base 10)
 * @param min   the lower bound, or NaN for automatic
 * @param max   the upper bound, or NaN for automatic
 * @param integerTicks whether ticks fall on whole numbers only (seeds, counts): a linear axis never steps by less
 *              than 1, so a seed axis does not read "0.5"
 */
public record Axis(String label, Scale scale, double min, double max, boolean integerTicks) {
    /** How data values map to positions along the axis. */
    public enum Scale {
        /** position ∝ v */
        LINEAR,
        /** position ∝ log10 v; values ≤ 0 cannot be drawn and break the line, like NaN does */
        LOG
    }

    public Axis {
        if (label == null) throw new IllegalArgumentException("axis label: expected text, got null");
        if (scale == null) throw new IllegalArgumentException("axis " + label + ": expected a scale, got null");
        if (Double.isInfinite(min) || Double.isInfinite(max)) throw new IllegalArgumentException(
                "axis %s: expected finite bounds or NaN (automatic), got [%s, %s]".formatted(label, min, max));
        if (!Double.isNaN(min) && !Double.isNaN(max) && !(min < max)) throw new IllegalArgumentException(
                "axis %s: expected min < max, got [%s, %s]".formatted(label, min, max));
        if (scale == Scale.LOG && (min <= 0 || max <= 0)) throw new IllegalArgumentException(
                "axis %s: a log axis needs bounds > 0, got [%s, %s]".formatted(label, min, max));
    }

    /** An axis with ticks wherever 1, 2 or 5 × 10^k falls. */
    public Axis(String label, Scale scale, double min, double max) { this(label, scale, min, max, false); }

    /** A linear axis with its range taken from the data. */
    public static Axis linear(String label) { return new Axis(label, Scale.LINEAR, Double.NaN, Double.NaN); }

    /** A base-10 log axis with its range taken from the data (whole decades). */
    public static Axis log(String label) { return new Axis(label, Scale.LOG, Double.NaN, Double.NaN); }

    /** This axis with the fixed range [{@code min}, {@code max}]; either may be NaN to keep it automatic. */
    public Axis range(double min, double max) { return new Axis(label, scale, min, max, integerTicks); }

    /** This axis on {@code scale}, same label and range. */
    public Axis scale(Scale scale) { return new Axis(label, scale, min, max, integerTicks); }

    /** This axis with ticks on whole numbers only. */
    public Axis wholeNumbers() { return new Axis(label, scale, min, max, true); }

    /** Whether {@code v} can be placed on this axis: finite, and > 0 on a log axis. */
    public boolean drawable(double v) { return Double.isFinite(v) && (scale == Scale.LINEAR || v > 0); }
}
