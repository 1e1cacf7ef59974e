package dev.posenc.models.report;

import dev.posenc.core.io.Png;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one plot shows: a title, two {@link Axis axes} (linear or log, automatic or fixed range), its
 * {@link Curve curves} and, for shaded scatters, a {@link ColourBar}. Immutable: each {@code with…} method
 * returns a new chart. Draw one with {@link #render}/{@link #write}, several in a grid with {@link Panels}.
 *
 * <pre>{@code
 * Chart loss = Chart.of("loss", "step", "MSE").logX().logY()
 *         .with(Curve.line("hash grid", hashPts))
 *         .with(Curve.line("hash grid, predicted", predPts).dashed().colour(LinePlot.PALETTE[0]));
 * loss.write(out.resolve("loss.png"), 900, 540);
 *
 * Chart psnr = Chart.of("PSNR against stable rank", "stable rank", "test PSNR (dB)")
 *         .with(Curve.shaded("", pts, distance))
 *         .colourBar(ColourBar.of("distance preservation", ColourMap.VIRIDIS));
 * }</pre>
 *
 * Points that cannot be drawn (non-finite, or ≤ 0 on a log axis) are skipped and break their line.
 *
 * @param colourBar the scale of shaded curves, or null when there are none (drawing a shaded curve without one
 *                  throws IllegalArgumentException)
 */
public record Chart(String title, Axis x, Axis y, List<Curve> curves, ColourBar colourBar) {
    public Chart {
        if (title == null || x == null || y == null || curves == null) throw new IllegalArgumentException(
                "chart: expected a title, two axes and a curve list, got a null");
        curves = List.copyOf(curves);
    }

    /** An empty chart with linear, automatic axes. */
    public static Chart of(String title, String xLabel, String yLabel) {
        return new Chart(title, Axis.linear(xLabel), Axis.linear(yLabel), List.of(), null);
    }

    /** This chart with {@code curve} added after the others (it takes the next palette colour). */
    public Chart with(Curve curve) {
        List<Curve> more = new ArrayList<>(curves);
        more.add(curve);
        return new Chart(title, x, y, more, colourBar);
    }

    /** This chart with all of {@code more} added in order. */
    public Chart with(List<Curve> more) {
        Chart c = this;
        for (Curve curve : more) c = c.with(curve);
        return c;
    }

    /** This chart with a base-10 log x axis. */
    public Chart logX() { return new Chart(title, x.scale(Axis.Scale.LOG), y, curves, colourBar); }

    /** This chart with a base-10 log y axis. */
    public Chart logY() { return new Chart(title, x, y.scale(Axis.Scale.LOG), curves, colourBar); }

    /** This chart with x ticks on whole numbers only (seeds, counts). */
    public Chart xWholeNumbers() { return new Chart(title, x.wholeNumbers(), y, curves, colourBar); }

    /** This chart with y ticks on whole numbers only (counts). */
    public Chart yWholeNumbers() { return new Chart(title, x, y.wholeNumbers(), curves, colourBar); }

    /** This chart with the x range fixed to [min, max] (NaN keeps a bound automatic). */
    public Chart xRange(double min, double max) { return new Chart(title, x.range(min, max), y, curves, colourBar); }

    /** This chart with the y range fixed to [min, max] (NaN keeps a bound automatic), e.g. shared by panels. */
    public Chart yRange(double min, double max) { return new Chart(title, x, y.range(min, max), curves, colourBar); }

    /** This chart with {@code bar} as the scale of its shaded curves. */
    public Chart colourBar(ColourBar bar) { return new Chart(title, x, y, curves, bar); }

    /** This chart, {@code width × height} pixels, with its legend at the right. */
    public BufferedImage render(int width, int height) {
        return ChartPainter.image(this, width, height);
    }

    /** Writes {@link #render} to {@code file} as PNG, atomically. */
    public void write(Path file, int width, int height) throws IOException {
        Png.write(file, render(width, height));
    }
}
