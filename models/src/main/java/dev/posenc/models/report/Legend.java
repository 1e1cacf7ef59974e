package dev.posenc.models.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A legend column (a short sample of each curve's line and marker, then its name) and the strokes and marker
 * shapes that the plot area and the legend share, so a legend entry always looks like its curve.
 */
final class Legend {
    /** Length of the line sample, gap before the name, height of one entry, in pixels. */
    static final int SAMPLE = 25, GAP = 8, ROW = 22;
    /** Marker radius in pixels: large enough to see the colour of a shaded point. */
    static final double RADIUS = 4.5;
    private static final Color SHADED_SAMPLE = new Color(0x909090), INK = Color.DARK_GRAY;

    private Legend() {}

    /** The named curves of {@code charts}, once per name (first one wins), each with its drawn colour fixed. */
    static List<Curve> entries(List<Chart> charts) {
        Map<String, Curve> byName = new LinkedHashMap<>();
        for (Chart chart : charts) {
            for (int i = 0; i < chart.curves().size(); i++) {
                Curve c = chart.curves().get(i);
                if (!c.name().isEmpty()) byName.putIfAbsent(c.name(), c.colour(c.colourAt(i)));
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** The width the legend of {@code entries} needs, 0 when there are none. */
    static int width(List<Curve> entries, FontMetrics m) {
        int w = 0;
        for (Curve c : entries) w = Math.max(w, m.stringWidth(c.name()));
        return entries.isEmpty() ? 0 : SAMPLE + GAP + w + 10;
    }

    /** Draws {@code entries} (colours already fixed) from ({@code x}, {@code y}) downwards, in the current font. */
    static void paint(Graphics2D g, List<Curve> entries, int x, int y) {
        FontMetrics m = g.getFontMetrics();
        int ly = y;
        for (Curve c : entries) {
            Color colour = c.shades() != null ? SHADED_SAMPLE : c.colour();
            g.setColor(colour);
            if (c.line() != Curve.Line.NONE) {
                g.setStroke(stroke(c.line()));
                g.drawLine(x, ly, x + SAMPLE, ly);
            }
            if (c.marker() != Curve.Marker.NONE) g.fill(marker(c.marker(), x + SAMPLE / 2.0, ly));
            g.setColor(INK);
            g.drawString(c.name(), x + SAMPLE + GAP, ly + m.getAscent() / 2 - 1);
            ly += ROW;
        }
    }

    /** The stroke of a line pattern; dashes are long enough to tell from a solid line at a glance. */
    static Stroke stroke(Curve.Line line) {
        return line == Curve.Line.DASHED
                ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f)
                : new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** The filled shape of {@code marker} centred on ({@code cx}, {@code cy}). */
    static Shape marker(Curve.Marker marker, double cx, double cy) {
        double r = RADIUS;
        return switch (marker) {
            case CIRCLE, NONE -> new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case SQUARE -> new Rectangle2D.Double(cx - r * 0.9, cy - r * 0.9, 1.8 * r, 1.8 * r);
            case TRIANGLE -> {
                Path2D.Double t = new Path2D.Double();
                t.moveTo(cx, cy - r * 1.2);
                t.lineTo(cx + r * 1.1, cy + r * 0.8);
                t.lineTo(cx - r * 1.1, cy + r * 0.8);
                t.closePath();
                yield t;
            }
        };
    }
}
