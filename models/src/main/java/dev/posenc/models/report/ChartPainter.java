package dev.posenc.models.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws one {@link Chart} into a rectangle of a picture: title on top, y tick labels and label on the left,
 * x ones below, then to the right of the plot area its colour bar (if any) and its legend (unless a
 * {@link Panels} figure draws one shared legend). Margins grow with the tick labels, so "1e-3" or "0.0001"
 * never runs into the axis label.
 */
final class ChartPainter {
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13), LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    /** The smallest plot area, in pixels, that still shows a curve. */
    static final int MIN_PLOT = 50;
    private static final double MINOR_GAP = 2.5;
    private static final int TOP = 40, TOP_UNTITLED = 15, BOTTOM = 60, MIN_LEFT = 70, RIGHT = 20, PAD = 15, BAR = 16;
    private static final Color GRID = new Color(0xe6e6e6), MINOR = new Color(0xf2f2f2), INK = Color.DARK_GRAY;

    /**
     * Where things go inside the area given to a chart.
     *
     * @param plot    the plot area
     * @param bar     the colour bar, or null
     * @param legendX where the legend starts, or -1 for none
     */
    record Layout(Rectangle plot, Rectangle bar, int legendX, AxisTicks x, AxisTicks y, AxisTicks shade,
                  List<Curve> legend) {}

    private ChartPainter() {}

    /** {@code chart} alone, with its own legend, on a white {@code width × height} picture. */
    static BufferedImage image(Chart chart, int width, int height) {
        BufferedImage out = blank(width, height);
        Graphics2D g = graphics(out);
        try {
            paint(g, chart, new Rectangle(0, 0, width, height), true, 0);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** A white picture. */
    static BufferedImage blank(int width, int height) {
        if (width < 1 || height < 1) throw new IllegalArgumentException(
                "picture: expected a positive size, got %d × %d".formatted(width, height));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return out;
    }

    /** The metrics of the tick and legend font, for sizing a layout before drawing. */
    static FontMetrics metrics() {
        Graphics2D g = blank(1, 1).createGraphics();
        try {
            return g.getFontMetrics(SMALL);
        } finally {
            g.dispose();
        }
    }

    /** Antialiased graphics on {@code image}. */
    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    /**
     * The layout of {@code chart} in {@code area}.
     *
     * @param ownLegend whether the chart's legend goes beside it
     * @param minRight  the least room right of the plot for the colour bar and legend (LinePlot keeps 170 px)
     * @throws IllegalArgumentException if {@code area} leaves less than {@value #MIN_PLOT} px each way to plot in
     */
    static Layout layout(Chart chart, Rectangle area, boolean ownLegend, int minRight, FontMetrics m) {
        AxisTicks xt = AxisTicks.of(chart.x(), coordinates(chart, 0)), yt = AxisTicks.of(chart.y(), coordinates(chart, 1));
        if (chart.colourBar() == null && chart.curves().stream().anyMatch(c -> c.shades() != null)) {
            throw new IllegalArgumentException("chart \"%s\": a shaded curve needs a colour bar (Chart.colourBar), got none"
                    .formatted(chart.title()));
        }
        AxisTicks st = null;
        int barRoom = 0;
        if (chart.colourBar() != null) {
            ColourBar cb = chart.colourBar();
            st = AxisTicks.of(Axis.linear(cb.label()).range(cb.min(), cb.max()), shades(chart));
            barRoom = PAD + BAR + 6 + maxLabelWidth(st, m) + 8 + m.getHeight();
        }
        List<Curve> legend = ownLegend ? Legend.entries(List.of(chart)) : List.of();
        int legendRoom = legend.isEmpty() ? 0 : PAD + Legend.width(legend, m);
        int left = Math.max(MIN_LEFT, 34 + maxLabelWidth(yt, m));
        int right = Math.max(minRight, Math.max(RIGHT, barRoom + legendRoom));
        int top = chart.title().isEmpty() ? TOP_UNTITLED : TOP;
        int pw = area.width - left - right, ph = area.height - top - BOTTOM;
        if (pw < MIN_PLOT || ph < MIN_PLOT) throw new IllegalArgumentException(
                "chart \"%s\": expected at least %d × %d pixels, got %d × %d".formatted(chart.title(),
                        area.width - pw + MIN_PLOT, area.height - ph + MIN_PLOT, area.width, area.height));
        Rectangle plot = new Rectangle(area.x + left, area.y + top, pw, ph);
        Rectangle bar = st == null ? null : new Rectangle(plot.x + pw + PAD, plot.y, BAR, ph);
        int legendX = legend.isEmpty() ? -1 : plot.x + pw + barRoom + PAD;
        return new Layout(plot, bar, legendX, xt, yt, st, legend);
    }

    /** Draws {@code chart} into {@code area} of {@code g}. */
    static void paint(Graphics2D g, Chart chart, Rectangle area, boolean ownLegend, int minRight) {
        g.setFont(SMALL);
        FontMetrics m = g.getFontMetrics();
        Layout l = layout(chart, area, ownLegend, minRight, m);
        Rectangle p = l.plot();
        axes(g, l, m);
        g.setColor(INK);
        g.setFont(LABEL);
        FontMetrics lm = g.getFontMetrics();
        g.drawString(chart.x().label(), p.x + (p.width - lm.stringWidth(chart.x().label())) / 2, p.y + p.height + 45);
        verticalText(g, chart.y().label(), area.x + 20, p.y + p.height / 2);
        g.setFont(LABEL.deriveFont(Font.BOLD));
        g.drawString(chart.title(), p.x + (p.width - g.getFontMetrics().stringWidth(chart.title())) / 2, p.y - 14);
        curves(g, chart, l);
        g.setFont(SMALL);
        if (l.bar() != null) colourBar(g, chart.colourBar(), l, m);
        if (l.legendX() >= 0) {
            g.setClip(area);                     // a legend longer than the panel must not spill into the next one
            Legend.paint(g, l.legend(), l.legendX(), p.y + 10);
            g.setClip(null);
        }
    }

    private static void axes(Graphics2D g, Layout l, FontMetrics m) {
        Rectangle p = l.plot();
        g.setStroke(new BasicStroke(1f));
        // minor ticks closer than a few pixels would grey the plot out rather than help read it
        for (double v : sparse(l.x(), p.width) ? l.x().minor() : List.<Double>of()) {
            int px = xPixel(l, v);
            g.setColor(MINOR);
            g.drawLine(px, p.y, px, p.y + p.height);
            g.setColor(INK);
            g.drawLine(px, p.y + p.height, px, p.y + p.height + 3);
        }
        for (double v : sparse(l.y(), p.height) ? l.y().minor() : List.<Double>of()) {
            int py = yPixel(l, v);
            g.setColor(MINOR);
            g.drawLine(p.x, py, p.x + p.width, py);
            g.setColor(INK);
            g.drawLine(p.x - 3, py, p.x, py);
        }
        List<AxisTicks.Tick> xs = l.x().major(), ys = l.y().major();
        int xStride = stride(xs.size(), maxLabelWidth(l.x(), m) + 10, p.width);
        int yStride = stride(ys.size(), m.getHeight() + 2, p.height);
        for (int k = 0; k < xs.size(); k++) {
            int px = xPixel(l, xs.get(k).value());
            g.setColor(GRID);
            g.drawLine(px, p.y, px, p.y + p.height);
            g.setColor(INK);
            g.drawLine(px, p.y + p.height, px, p.y + p.height + 5);
            String s = xs.get(k).label();
            if (k % xStride == 0) g.drawString(s, px - m.stringWidth(s) / 2, p.y + p.height + 8 + m.getAscent());
        }
        for (int k = 0; k < ys.size(); k++) {
            int py = yPixel(l, ys.get(k).value());
            g.setColor(GRID);
            g.drawLine(p.x, py, p.x + p.width, py);
            g.setColor(INK);
            g.drawLine(p.x - 5, py, p.x, py);
            String s = ys.get(k).label();
            if (k % yStride == 0) g.drawString(s, p.x - 8 - m.stringWidth(s), py + m.getAscent() / 2 - 1);
        }
        g.setColor(INK);
        g.drawRect(p.x, p.y, p.width, p.height);
    }

    private static void curves(Graphics2D g, Chart chart, Layout l) {
        Rectangle p = l.plot();
        for (int i = 0; i < chart.curves().size(); i++) {
            Curve c = chart.curves().get(i);
            g.setColor(c.colourAt(i));
            if (c.line() != Curve.Line.NONE) {
                g.setClip(p.x, p.y, p.width + 1, p.height + 1);
                g.setStroke(Legend.stroke(c.line()));
                g.draw(path(chart, c, l));
            }
            if (c.marker() == Curve.Marker.NONE) continue;
            int r = (int) Math.ceil(Legend.RADIUS * 1.3);   // markers on the frame show whole, not halved
            g.setClip(p.x - r, p.y - r, p.width + 2 * r + 1, p.height + 2 * r + 1);
            for (int j = 0; j < c.points().size(); j++) {
                double[] pt = c.points().get(j);
                if (!chart.x().drawable(pt[0]) || !chart.y().drawable(pt[1])) continue;
                double fx = l.x().fraction(pt[0]), fy = l.y().fraction(pt[1]);
                if (fx < -1e-9 || fx > 1 + 1e-9 || fy < -1e-9 || fy > 1 + 1e-9) continue; // off a fixed range
                if (c.shades() != null) g.setColor(chart.colourBar().map().at(l.shade().fraction(c.shades()[j])));
                g.fill(Legend.marker(c.marker(), p.x + fx * p.width, p.y + p.height - fy * p.height));
            }
        }
        g.setClip(null);
    }

    /** The line of {@code c}, lifted at every point that cannot be drawn on these axes. */
    private static Path2D path(Chart chart, Curve c, Layout l) {
        Rectangle p = l.plot();
        Path2D.Double line = new Path2D.Double();
        boolean pen = false;
        for (double[] pt : c.points()) {
            if (!chart.x().drawable(pt[0]) || !chart.y().drawable(pt[1])) { pen = false; continue; }
            double px = p.x + l.x().fraction(pt[0]) * p.width, py = p.y + p.height - l.y().fraction(pt[1]) * p.height;
            if (pen) line.lineTo(px, py); else line.moveTo(px, py);
            pen = true;
        }
        return line;
    }

    /** The bar, one pixel row per colour: the top row is {@code map.at(1)}, the bottom one {@code map.at(0)}. */
    private static void colourBar(Graphics2D g, ColourBar cb, Layout l, FontMetrics m) {
        Rectangle b = l.bar();
        for (int r = 0; r < b.height; r++) {
            g.setColor(cb.map().at(1 - r / (double) (b.height - 1)));
            g.fillRect(b.x, b.y + r, b.width, 1);
        }
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(b.x, b.y, b.width, b.height - 1);
        int labelX = b.x + b.width + 6, widest = 0;
        int stride = stride(l.shade().major().size(), m.getHeight() + 2, b.height);
        for (int k = 0; k < l.shade().major().size(); k++) {
            AxisTicks.Tick t = l.shade().major().get(k);
            int py = b.y + b.height - 1 - (int) Math.round(l.shade().fraction(t.value()) * (b.height - 1));
            g.drawLine(b.x + b.width, py, b.x + b.width + 3, py);
            if (k % stride == 0) g.drawString(t.label(), labelX, py + m.getAscent() / 2 - 1);
            widest = Math.max(widest, m.stringWidth(t.label()));
        }
        verticalText(g, cb.label(), labelX + widest + 8 + m.getAscent(), b.y + b.height / 2);
    }

    /** Draws {@code s} turned a quarter left, centred on {@code cy}, its baseline at {@code x}. */
    private static void verticalText(Graphics2D g, String s, int x, int cy) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(s, -(cy + g.getFontMetrics().stringWidth(s) / 2), x);
        g.setTransform(saved);
    }

    /** Whether the minor ticks of {@code t} are at least {@value #MINOR_GAP} px apart on {@code length} pixels. */
    private static boolean sparse(AxisTicks t, int length) {
        double decades = Math.log10(t.hi() / t.lo());
        return t.minor().isEmpty() || length / decades * Math.log10(10.0 / 9) >= MINOR_GAP; // 9→10 is the closest pair
    }

    /** Every how-many-th tick to label so that labels {@code each} pixels long fit in {@code room}. */
    private static int stride(int ticks, int each, int room) {
        return Math.max(1, (int) Math.ceil(ticks * (double) each / room));
    }

    private static int maxLabelWidth(AxisTicks t, FontMetrics m) {
        int w = 0;
        for (AxisTicks.Tick tick : t.major()) w = Math.max(w, m.stringWidth(tick.label()));
        return w;
    }

    static int xPixel(Layout l, double v) {
        return l.plot().x + (int) Math.round(l.x().fraction(v) * l.plot().width);
    }

    static int yPixel(Layout l, double v) {
        return l.plot().y + l.plot().height - (int) Math.round(l.y().fraction(v) * l.plot().height);
    }

    private static double[] coordinates(Chart chart, int axis) {
        return chart.curves().stream().flatMap(c -> c.points().stream())
                .filter(p -> chart.x().drawable(p[0]) && chart.y().drawable(p[1]))
                .mapToDouble(p -> p[axis]).toArray();
    }

    private static double[] shades(Chart chart) {
        return chart.curves().stream().filter(c -> c.shades() != null)
                .flatMapToDouble(c -> java.util.Arrays.stream(c.shades())).filter(Double::isFinite).toArray();
    }
}
