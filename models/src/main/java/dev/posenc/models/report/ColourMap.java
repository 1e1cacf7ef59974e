package dev.posenc.models.report;

import java.awt.Color;

/**
 * Colour maps for a shaded scatter: t in [0, 1] to a colour, linear between matplotlib's values sampled at
 * t = 0, 1/8, …, 1. Nine stops keep each map's monotone lightness and stay within a few levels of the full
 * 256-entry tables, which is plenty for a few dozen scatter points.
 */
public enum ColourMap {
    /** Dark purple to yellow; readable in grey and by most colour-blind readers. */
    VIRIDIS(0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725),
    /** Dark blue through magenta to yellow. */
    PLASMA(0x0d0887, 0x4c02a1, 0x7e03a8, 0xa92395, 0xcc4778, 0xe56b5d, 0xf89441, 0xfdc328, 0xf0f921),
    /** Blue through light grey to red, for values around a meaningful middle. */
    COOLWARM(0x3b4cc0, 0x5977e3, 0x7b9ff9, 0x9ebeff, 0xc0d4f5, 0xdddcdc, 0xf2cbb7, 0xf7ac8e, 0xb40426);

    private final int[] stops;

    ColourMap(int... stops) { this.stops = stops; }

    /** The colour at {@code t}, clamped to [0, 1]; NaN gives the middle grey so a missing value shows as such. */
    public Color at(double t) {
        if (Double.isNaN(t)) return Color.GRAY;
        double s = Math.clamp(t, 0, 1) * (stops.length - 1);
        int i = Math.min((int) s, stops.length - 2);
        double f = s - i;
        int a = stops[i], b = stops[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }
}
