package dev.posenc.models.report;

import dev.posenc.core.io.Png;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line plot in plain Java2D: test PSNR against steps, one coloured line per encoding, axes with "nice" ticks
 * (1, 2 or 5 × 10^k), axis labels and a legend to the right of the plot area, where no line can hide it.
 * Non-finite points (a diverged fit) break the line rather than throwing.
 */
public final class LinePlot {
    /** One line: its legend name and its {x, y} points in x order. */
    public record Series(String name, List<double[]> points) {}

    /** Matplotlib's tab10, so the figure reads like the PyTorch side's. */
    public static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};
    public static final int WIDTH = 900, HEIGHT = 540;
    /** Plot-area margins in pixels; the right one holds the legend. */
    static final int LEFT = 70, RIGHT = 170, TOP = 40, BOTTOM = 60;
    private static final int TICKS = 6;

    private LinePlot() {}

    /** Writes the test-PSNR curves of {@code results} to {@code file} as PNG, atomically. */
    public static void write(Path file, List<FitSummary> results) throws IOException {
        List<Series> series = new ArrayList<>();
        for (FitSummary r : results) series.add(new Series(r.encoding(), r.curve()));
        Png.write(file, render("test PSNR during training", "step", "test PSNR (dB)", series, WIDTH, HEIGHT));
    }

    /** The plot, {@code width × height} pixels; series i is drawn in {@code PALETTE[i % 10]}. */
    public static BufferedImage render(String title, String xLabel, String yLabel, List<Series> series,
                                       int width, int height) {
        if (width < LEFT + RIGHT + 50 || height < TOP + BOTTOM + 50) throw new IllegalArgumentException(
                "plot: expected at least %d × %d pixels, got %d × %d".formatted(
                        LEFT + RIGHT + 50, TOP + BOTTOM + 50, width, height));
        double[] xr = range(series, 0), yr = range(series, 1);
        double xStep = niceStep(xr[1] - xr[0]), yStep = niceStep(yr[1] - yr[0]);
        double x0 = Math.floor(xr[0] / xStep) * xStep, x1 = Math.ceil(xr[1] / xStep) * xStep;
        double y0 = Math.floor(yr[0] / yStep) * yStep, y1 = Math.ceil(yr[1] / yStep) * yStep;
        int pw = width - LEFT - RIGHT, ph = height - TOP - BOTTOM;

        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13), label = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
            g.setFont(small);
            FontMetrics m = g.getFontMetrics();
            // grid lines and tick labels
            for (int k = 0; x0 + k * xStep <= x1 + xStep / 2; k++) { // by index: repeated += drifts
                double v = x0 + k * xStep;
                int px = LEFT + (int) Math.round((v - x0) / (x1 - x0) * pw);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(px, TOP, px, TOP + ph);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(px, TOP + ph, px, TOP + ph + 5);
                String s = tick(v, xStep);
                g.drawString(s, px - m.stringWidth(s) / 2, TOP + ph + 8 + m.getAscent());
            }
            for (int k = 0; y0 + k * yStep <= y1 + yStep / 2; k++) {
                double v = y0 + k * yStep;
                int py = TOP + ph - (int) Math.round((v - y0) / (y1 - y0) * ph);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(LEFT, py, LEFT + pw, py);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(LEFT - 5, py, LEFT, py);
                String s = tick(v, yStep);
                g.drawString(s, LEFT - 8 - m.stringWidth(s), py + m.getAscent() / 2 - 1);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(LEFT, TOP, pw, ph);
            // axis labels and title
            g.setFont(label);
            FontMetrics lm = g.getFontMetrics();
            g.drawString(xLabel, LEFT + (pw - lm.stringWidth(xLabel)) / 2, height - 15);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(TOP + (ph + lm.stringWidth(yLabel)) / 2), 20);
            g.setTransform(saved);
            g.setFont(label.deriveFont(Font.BOLD));
            g.drawString(title, LEFT + (pw - g.getFontMetrics().stringWidth(title)) / 2, TOP - 14);
            // lines, clipped to the plot area
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setClip(LEFT, TOP, pw + 1, ph + 1);
            for (int i = 0; i < series.size(); i++) {
                g.setColor(PALETTE[i % PALETTE.length]);
                Path2D.Double line = new Path2D.Double();
                boolean pen = false;
                for (double[] p : series.get(i).points()) {
                    if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) { pen = false; continue; }
                    double px = LEFT + (p[0] - x0) / (x1 - x0) * pw, py = TOP + ph - (p[1] - y0) / (y1 - y0) * ph;
                    if (pen) line.lineTo(px, py); else line.moveTo(px, py);
                    pen = true;
                }
                g.draw(line);
            }
            g.setClip(null);
            // legend
            g.setFont(small);
            int ly = TOP + 10;
            for (int i = 0; i < series.size(); i++, ly += 22) {
                g.setColor(PALETTE[i % PALETTE.length]);
                g.drawLine(LEFT + pw + 15, ly, LEFT + pw + 40, ly);
                g.setColor(Color.DARK_GRAY);
                g.drawString(series.get(i).name(), LEFT + pw + 48, ly + m.getAscent() / 2 - 1);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** {min, max} of coordinate {@code axis} over all finite points; [0, 1] when there are none; widened if flat. */
    static double[] range(List<Series> series, int axis) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    lo = Math.min(lo, p[axis]);
                    hi = Math.max(hi, p[axis]);
                }
            }
        }
        if (lo > hi) return new double[] {0, 1};
        if (lo == hi) return new double[] {lo - 0.5, hi + 0.5};
        return new double[] {lo, hi};
    }

    /** A step of 1, 2 or 5 × 10^k giving about {@value #TICKS} ticks over {@code span}. */
    static double niceStep(double span) {
        double raw = span / TICKS, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    private static String tick(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 1e6 ? 0.0 : v);
    }
}
