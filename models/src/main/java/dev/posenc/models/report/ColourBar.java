package dev.posenc.models.report;

/**
 * The scale of a shaded scatter: which values map to the ends of {@code map}, drawn as a labelled bar to the
 * right of the plot. A NaN bound is taken from the shade values of the chart's curves.
 *
 * @param label what the colour means, e.g. "distance preservation"
 */
public record ColourBar(String label, ColourMap map, double min, double max) {
    public ColourBar {
        if (label == null || map == null) throw new IllegalArgumentException("colour bar: expected a label and a map");
        if (!Double.isNaN(min) && !Double.isNaN(max) && !(min < max)) throw new IllegalArgumentException(
                "colour bar %s: expected min < max, got [%s, %s]".formatted(label, min, max));
    }

    /** A bar over the range of the shade values. */
    public static ColourBar of(String label, ColourMap map) { return new ColourBar(label, map, Double.NaN, Double.NaN); }
}
