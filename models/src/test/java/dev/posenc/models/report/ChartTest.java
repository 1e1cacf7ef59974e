package dev.posenc.models.report;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ChartTest {
    private static final int W = 600, H = 400;
    /** Colour-bar rows next to the ends are one interpolation step (of H rows) from t = 0 and 1: a level or so. */
    private static final int BAR_LEVELS = 3;
    private static final Color RED = new Color(0xd62728);

    @Test
    void aDashedLineHasGapsAndASolidOneHasNone() {
        List<double[]> flat = List.of(new double[] {0, 0.5}, new double[] {1, 0.5});
        for (boolean dashed : new boolean[] {true, false}) {
            Curve c = Curve.line("flat", flat).colour(RED);
            Chart chart = Chart.of("t", "x", "y").xRange(0, 1).yRange(0, 1).with(dashed ? c.dashed() : c);
            BufferedImage img = chart.render(W, H);
            ChartPainter.Layout l = layout(chart);
            int runs = runsAlong(img, l, RED, ChartPainter.yPixel(l, 0.5));
            if (dashed) assertTrue(runs >= 10, "a dashed line across the plot has many dashes, got " + runs);
            else assertEquals(1, runs, "a solid line is one run");
        }
    }

    @Test
    void markersOnlyDrawsAtThePointsAndNothingBetween() {
        Chart chart = Chart.of("t", "x", "y").xRange(0, 4).yRange(0, 4)
                .with(Curve.scatter("pts", List.of(new double[] {1, 1}, new double[] {3, 3})).colour(RED));
        BufferedImage img = chart.render(W, H);
        ChartPainter.Layout l = layout(chart);
        assertEquals(RED.getRGB(), img.getRGB(ChartPainter.xPixel(l, 1), ChartPainter.yPixel(l, 1)));
        assertEquals(RED.getRGB(), img.getRGB(ChartPainter.xPixel(l, 3), ChartPainter.yPixel(l, 3)));
        assertNotEquals(RED.getRGB(), img.getRGB(ChartPainter.xPixel(l, 2), ChartPainter.yPixel(l, 2)),
                "no line joins the points");
    }

    @Test
    void nonPositiveValuesOnLogAxesBreakTheLineWithoutThrowing() {
        List<double[]> pts = new ArrayList<>();
        for (double x : new double[] {1, 2, 4, 8, 16, 32, 64}) pts.add(new double[] {x, x == 8 ? 0 : x});
        pts.add(new double[] {-3, 5});
        pts.add(new double[] {128, -1});
        Chart chart = Chart.of("t", "x", "y").logX().logY().with(Curve.line("gap", pts).colour(RED));
        BufferedImage img = chart.render(W, H);
        ChartPainter.Layout l = layout(chart);
        assertEquals(1, l.x().lo(), 1e-12, "only positive x sets the range");
        assertTrue(columnHas(img, l, ChartPainter.xPixel(l, 2.8), RED), "the line from 2 to 4 is drawn");
        assertTrue(columnHas(img, l, ChartPainter.xPixel(l, 23), RED), "the line from 16 to 32 is drawn");
        assertFalse(columnHas(img, l, ChartPainter.xPixel(l, 8), RED), "the line is broken around y(8) = 0");
    }

    @Test
    void colourBarEndsAreTheColourMapEnds() {
        List<double[]> pts = List.of(new double[] {0, 0}, new double[] {1, 1}, new double[] {2, 4});
        Chart chart = Chart.of("t", "x", "y").with(Curve.shaded("", pts, new double[] {0, 0.5, 1}))
                .colourBar(new ColourBar("d", ColourMap.VIRIDIS, 0, 1));
        BufferedImage img = chart.render(W, H);
        Rectangle b = layout(chart).bar();
        int cx = b.x + b.width / 2;
        assertClose(ColourMap.VIRIDIS.at(1), new Color(img.getRGB(cx, b.y + 1)), "top of the bar");
        assertClose(ColourMap.VIRIDIS.at(0), new Color(img.getRGB(cx, b.y + b.height - 2)), "bottom of the bar");
        assertClose(ColourMap.VIRIDIS.at(0.5), new Color(img.getRGB(cx, b.y + b.height / 2)), "middle of the bar");
        ChartPainter.Layout l = layout(chart);
        assertEquals(ColourMap.VIRIDIS.at(1).getRGB(), img.getRGB(ChartPainter.xPixel(l, 2), ChartPainter.yPixel(l, 4)),
                "the point with shade 1 takes the top colour");
    }

    @Test
    void colourMapsRunFromTheirFirstToTheirLastStop() {
        assertEquals(new Color(0x440154), ColourMap.VIRIDIS.at(0));
        assertEquals(new Color(0xfde725), ColourMap.VIRIDIS.at(1));
        assertEquals(new Color(0xfde725), ColourMap.VIRIDIS.at(7), "clamped");
        assertEquals(new Color(0x21918c), ColourMap.VIRIDIS.at(0.5));
    }

    @Test
    void badChartsSayWhatIsWrong() {
        Chart shaded = Chart.of("psnr", "x", "y").with(Curve.shaded("", List.of(new double[] {1, 1}), new double[] {0}));
        var e = assertThrows(IllegalArgumentException.class, () -> shaded.render(W, H));
        assertEquals("chart \"psnr\": a shaded curve needs a colour bar (Chart.colourBar), got none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Chart.of("small", "x", "y").render(100, 100));
        assertEquals("chart \"small\": expected at least 140 × 150 pixels, got 100 × 100", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Curve.line("c", List.of(new double[] {1, 2, 3})));
        assertEquals("curve c: expected {x, y} points, got one of length 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Curve.shaded("s", List.of(), new double[] {1}));
        assertEquals("curve s: expected one shade per point (0), got 1", e.getMessage());
    }

    static ChartPainter.Layout layout(Chart chart) {
        return ChartPainter.layout(chart, new Rectangle(0, 0, W, H), true, 0, ChartPainter.metrics());
    }

    /** Runs of {@code c} across the plot in the first of rows y−1..y+1 that has any: a 2-px line covers one fully. */
    private static int runsAlong(BufferedImage img, ChartPainter.Layout l, Color c, int y) {
        for (int row = y - 1; row <= y + 1; row++) {
            int runs = 0;
            boolean in = false;
            for (int x = l.plot().x + 1; x < l.plot().x + l.plot().width; x++) {
                boolean hit = img.getRGB(x, row) == c.getRGB();
                if (hit && !in) runs++;
                in = hit;
            }
            if (runs > 0) return runs;
        }
        return 0;
    }

    private static boolean columnHas(BufferedImage img, ChartPainter.Layout l, int x, Color c) {
        for (int y = l.plot().y + 1; y < l.plot().y + l.plot().height; y++) if (img.getRGB(x, y) == c.getRGB()) return true;
        return false;
    }

    private static void assertClose(Color want, Color got, String where) {
        int d = Math.max(Math.abs(want.getRed() - got.getRed()), Math.max(Math.abs(want.getGreen() - got.getGreen()),
                Math.abs(want.getBlue() - got.getBlue())));
        assertTrue(d <= BAR_LEVELS, where + ": expected " + want + ", got " + got);
    }
}
