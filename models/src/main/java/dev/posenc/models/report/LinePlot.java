package dev.posenc.models.report;

import dev.posenc.core.io.Png;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A line plot in plain Java2D: test PSNR against steps, one coloured line per encoding, axes with "nice" ticks
 * (1, 2 or 5 × 10^k), axis labels and a legend to the right of the plot area, where no line can hide it.
 * Non-finite points (a diverged fit) break the line rather than throwing. A thin front over {@link Chart}, which
 * adds log axes, dashed lines, markers, shaded scatters and fixed ranges; {@link Panels} puts charts in a grid.
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

    private LinePlot() {}

    /** Writes the test-PSNR curves of {@code results} to {@code file} as PNG, atomically. */
    public static void write(Path file, List<FitSummary> results) throws IOException {
        write(file, results, "test PSNR during training");
    }

    /** {@link #write(Path, List)} under another title (a multi-image run plots its mean curves). */
    public static void write(Path file, List<FitSummary> results, String title) throws IOException {
        List<Series> series = new ArrayList<>();
        for (FitSummary r : results) series.add(new Series(r.encoding(), r.curve()));
        Png.write(file, render(title, "step", "test PSNR (dB)", series, WIDTH, HEIGHT));
    }

    /** The plot, {@code width × height} pixels; series i is drawn in {@code PALETTE[i % 10]}. */
    public static BufferedImage render(String title, String xLabel, String yLabel, List<Series> series,
                                       int width, int height) {
        if (width < LEFT + RIGHT + 50 || height < TOP + BOTTOM + 50) throw new IllegalArgumentException(
                "plot: expected at least %d × %d pixels, got %d × %d".formatted(
                        LEFT + RIGHT + 50, TOP + BOTTOM + 50, width, height));
        Chart chart = Chart.of(title, xLabel, yLabel);
        for (Series one : series) chart = chart.with(Curve.line(one.name(), one.points()));
        BufferedImage out = ChartPainter.blank(width, height);
        Graphics2D g = ChartPainter.graphics(out);
        try {
            ChartPainter.paint(g, chart, new Rectangle(0, 0, width, height), true, RIGHT);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** A step of 1, 2 or 5 × 10^k giving about six ticks over {@code span}. */
    static double niceStep(double span) {
        return AxisTicks.niceStep(span);
    }
}
