package dev.posenc.models.analysis.sweep;

import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;

import java.awt.Color;
import java.util.List;

/**
 * The picture of a scale sweep: train PSNR (dashed) and test PSNR (solid) against the scale, one colour per
 * group (a falloff p, or an encoding), and a light grey vertical line where the scale reaches the training grid's
 * Nyquist frequency, the highest frequency the training samples can pin down.
 */
public final class ScaleChart {
    private ScaleChart() {}

    /** One group's curves: {scale, PSNR} points in scale order. */
    public record Group(String name, List<double[]> train, List<double[]> test) {}

    /** The line-style legend entries in near-black; the Nyquist line in a light grey that no group uses. */
    private static final Color STYLE = new Color(0x202020), NYQUIST = new Color(0xb0b0b0);

    /**
     * The chart. With one group the legend says "test" and "train"; with several it names each group once (on
     * its test line) and adds two near-black entries for the line styles.
     *
     * @param nyquistAt the scale at which the mapping reaches the training Nyquist (σ = Nyquist, or the
     *                  positional s with 2^s − 1 = Nyquist); NaN for no line
     */
    public static Chart of(String title, String xLabel, boolean logX, List<Group> groups, double nyquistAt) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Group g : groups) {
            for (List<double[]> pts : List.of(g.train(), g.test())) {
                for (double[] p : pts) {
                    if (Double.isFinite(p[1])) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }
                }
            }
        }
        if (lo > hi) { lo = 0; hi = 1; }
        // whole tens of dB, so that the Nyquist line spans exactly the fixed range
        double y0 = Math.floor(lo / 10) * 10, y1 = Math.max(y0 + 10, Math.ceil(hi / 10) * 10);
        Chart chart = Chart.of(title, xLabel, "PSNR (dB)").yRange(y0, y1);
        if (logX) chart = chart.logX();
        boolean one = groups.size() == 1;
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            Color colour = LinePlot.PALETTE[i % LinePlot.PALETTE.length];
            chart = chart.with(Curve.line(one ? "test" : g.name(), g.test()).colour(colour).markers(Curve.Marker.CIRCLE))
                    .with(Curve.line(one ? "train" : "", g.train()).dashed().colour(colour));
        }
        if (!one) {
            chart = chart.with(Curve.line("test", List.of()).colour(STYLE)).with(Curve.line("train", List.of()).dashed()
                    .colour(STYLE));
        }
        if (Double.isFinite(nyquistAt)) {
            chart = chart.with(Curve.line("training Nyquist", List.of(new double[] {nyquistAt, y0},
                    new double[] {nyquistAt, y1})).colour(NYQUIST));
        }
        return chart;
    }
}
