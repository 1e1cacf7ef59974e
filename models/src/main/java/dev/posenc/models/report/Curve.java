package dev.posenc.models.report;

import java.awt.Color;
import java.util.List;

/**
 * One series of a {@link Chart} and how it is drawn: a solid or dashed line, optional point markers, or markers
 * only (a scatter); in one colour, or, for a scatter, each point in the colour its shade value takes in the
 * chart's {@link ColourBar}.
 *
 * <pre>{@code
 * Curve.line("measured", pts);                                  // solid, colour PALETTE[i] for the i-th curve
 * Curve.line("predicted", pts).dashed().colour(LinePlot.PALETTE[0]);
 * Curve.line("fit", pts).markers(Curve.Marker.CIRCLE);           // line with a dot at every point
 * Curve.scatter("runs", pts);                                    // markers only
 * Curve.shaded("runs", pts, distance);                          // markers coloured by distance[i]
 * }</pre>
 *
 * @param name    the legend entry; an empty name is left out of the legend
 * @param points  {x, y} pairs, in x order for lines; a non-finite coordinate, or one ≤ 0 on a log axis, is
 *                skipped and breaks the line
 * @param line    the line pattern, {@link Line#NONE} for a scatter
 * @param marker  the mark at each point, {@link Marker#NONE} for a plain line
 * @param colour  the colour, or null for {@code LinePlot.PALETTE[i % 10]}, i the curve's index in its chart
 * @param shades  one value per point for a shaded scatter (mapped by the chart's colour bar), else null
 */
public record Curve(String name, List<double[]> points, Line line, Marker marker, Color colour, double[] shades) {
    /** The line pattern. */
    public enum Line { SOLID, DASHED, NONE }

    /** The mark drawn at each point. */
    public enum Marker { NONE, CIRCLE, SQUARE, TRIANGLE }

    public Curve {
        if (name == null) throw new IllegalArgumentException("curve name: expected text, got null");
        if (points == null) throw new IllegalArgumentException("curve " + name + ": expected points, got null");
        for (double[] p : points) {
            if (p == null || p.length != 2) throw new IllegalArgumentException(
                    "curve %s: expected {x, y} points, got one of length %s".formatted(name, p == null ? null : p.length));
        }
        if (line == null || marker == null) throw new IllegalArgumentException("curve " + name + ": null style");
        if (line == Line.NONE && marker == Marker.NONE) throw new IllegalArgumentException(
                "curve " + name + ": expected a line or a marker, got neither");
        if (shades != null && shades.length != points.size()) throw new IllegalArgumentException(
                "curve %s: expected one shade per point (%d), got %d".formatted(name, points.size(), shades.length));
        points = List.copyOf(points);
        shades = shades == null ? null : shades.clone();
    }

    /** A solid line through {@code points}, in the palette colour. */
    public static Curve line(String name, List<double[]> points) {
        return new Curve(name, points, Line.SOLID, Marker.NONE, null, null);
    }

    /** Circles at {@code points}, no line, in the palette colour. */
    public static Curve scatter(String name, List<double[]> points) {
        return new Curve(name, points, Line.NONE, Marker.CIRCLE, null, null);
    }

    /** Circles at {@code points}, point i coloured by {@code shades[i]} through the chart's colour bar. */
    public static Curve shaded(String name, List<double[]> points, double[] shades) {
        return new Curve(name, points, Line.NONE, Marker.CIRCLE, null, shades);
    }

    /** This curve with a dashed line. */
    public Curve dashed() { return new Curve(name, points, Line.DASHED, marker, colour, shades); }

    /** This curve with {@code marker} at every point ({@link Marker#NONE} removes them). */
    public Curve markers(Marker marker) { return new Curve(name, points, line, marker, colour, shades); }

    /** This curve with markers only, no line. */
    public Curve noLine() { return new Curve(name, points, Line.NONE, marker == Marker.NONE ? Marker.CIRCLE : marker,
            colour, shades); }

    /** This curve in {@code colour} rather than the palette's. */
    public Curve colour(Color colour) { return new Curve(name, points, line, marker, colour, shades); }

    /** The colour of the i-th curve of a chart: its own, or the palette's. */
    Color colourAt(int index) { return colour != null ? colour : LinePlot.PALETTE[index % LinePlot.PALETTE.length]; }
}
