package dev.posenc.models.report;

import dev.posenc.core.io.Png;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Small multiples: several {@link Chart charts} in a grid of {@code columns}, filled row by row, in one picture,
 * each panel {@code panelWidth × panelHeight} pixels with its own title, axes and curves. With a shared legend
 * the panels draw none, and one legend column (each curve name once, in the colour and style of its first
 * appearance) sits at the right of the grid; give the same name the same colour in every panel for it to
 * make sense. An optional figure title goes above the grid.
 *
 * <pre>{@code
 * List<Chart> charts = new ArrayList<>();
 * for (String enc : encodings) {
 *     Chart c = Chart.of(enc, "frequency", "error").logY().yRange(1e-4, 1);   // same y limits in every panel
 *     for (int f = 0; f < freqs.length; f++) {
 *         Color colour = LinePlot.PALETTE[f];
 *         c = c.with(Curve.line("f = " + freqs[f] + ", measured", measured(enc, f)).colour(colour))
 *              .with(Curve.line("f = " + freqs[f] + ", predicted", predicted(enc, f)).dashed().colour(colour));
 *     }
 *     charts.add(c);
 * }
 * new Panels("measured and predicted", charts, 2, true).write(out.resolve("panels.png"), 560, 400);
 * }</pre>
 *
 * @param title        the figure title, or "" for none
 * @param charts       the panels in reading order, at least one
 * @param columns      panels per row, at least 1 (rows = ⌈charts / columns⌉; the last row may be short)
 * @param sharedLegend one legend for the whole figure instead of one per panel
 */
public record Panels(String title, List<Chart> charts, int columns, boolean sharedLegend) {
    private static final int TITLE = 36, LEGEND_TOP = 50;

    public Panels {
        if (title == null) throw new IllegalArgumentException("panels: expected a title (\"\" for none), got null");
        if (charts == null || charts.isEmpty()) throw new IllegalArgumentException(
                "panels: expected at least one chart, got none");
        if (columns < 1) throw new IllegalArgumentException("panels: expected columns ≥ 1, got " + columns);
        charts = List.copyOf(charts);
    }

    /** Rows in the grid. */
    public int rows() { return (charts.size() + columns - 1) / columns; }

    /** The columns actually used: fewer than {@link #columns} when there are fewer charts. */
    public int usedColumns() { return Math.min(columns, charts.size()); }

    /**
     * The figure: {@code usedColumns · panelWidth} (+ the shared legend) by {@code title + rows · panelHeight}.
     *
     * @throws IllegalArgumentException if a panel is too small for its chart (the message names the chart)
     */
    public BufferedImage render(int panelWidth, int panelHeight) {
        List<Curve> legend = sharedLegend ? Legend.entries(charts) : List.of();
        int legendWidth = legend.isEmpty() ? 0 : Legend.width(legend, ChartPainter.metrics()) + 20;
        int top = title.isEmpty() ? 0 : TITLE;
        BufferedImage out = ChartPainter.blank(usedColumns() * panelWidth + legendWidth, top + rows() * panelHeight);
        Graphics2D g = ChartPainter.graphics(out);
        try {
            for (int i = 0; i < charts.size(); i++) {
                Rectangle area = new Rectangle(i % columns * panelWidth, top + i / columns * panelHeight,
                        panelWidth, panelHeight);
                ChartPainter.paint(g, charts.get(i), area, !sharedLegend, 0);
            }
            g.setColor(Color.DARK_GRAY);
            g.setFont(ChartPainter.LABEL.deriveFont(Font.BOLD, 17f));
            g.drawString(title, (out.getWidth() - g.getFontMetrics().stringWidth(title)) / 2, 26);
            g.setFont(ChartPainter.SMALL);
            Legend.paint(g, legend, usedColumns() * panelWidth + 5, top + LEGEND_TOP);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Writes {@link #render} to {@code file} as PNG, atomically. */
    public void write(Path file, int panelWidth, int panelHeight) throws IOException {
        Png.write(file, render(panelWidth, panelHeight));
    }
}
