package dev.posenc.models.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LinePlotTest {
    @TempDir Path dir;

    @Test
    void eachSeriesIsDrawnInItsColourAndHigherValuesSitHigher() throws IOException {
        // "low" is flat at 15 dB, "high" rises from 20 to 30 dB: every high pixel must sit above every low one
        List<double[]> low = new ArrayList<>(), high = new ArrayList<>();
        for (int s = 0; s <= 2000; s += 100) {
            low.add(new double[] {s, 15});
            high.add(new double[] {s, 20 + s / 200.0});
        }
        Path file = dir.resolve("psnr.png");
        LinePlot.write(file, List.of(new FitSummary("low", 0, 15, 2000, 1, low),
                new FitSummary("high", 0, 30, 2000, 1, high)));
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals(LinePlot.WIDTH, png.getWidth());
        assertEquals(LinePlot.HEIGHT, png.getHeight());

        int plotRight = LinePlot.WIDTH - LinePlot.RIGHT; // the legend lies beyond; count line pixels only
        Hits lowPx = pixels(png, LinePlot.PALETTE[0], plotRight), highPx = pixels(png, LinePlot.PALETTE[1], plotRight);
        assertTrue(lowPx.count > 300, "the flat line spans the plot: " + lowPx.count + " pixels");
        assertTrue(highPx.count > 300, "the rising line spans the plot: " + highPx.count + " pixels");
        assertTrue(highPx.maxY < lowPx.minY, "the 20–30 dB line must be drawn above the 15 dB line");
        assertTrue(pixels(png, LinePlot.PALETTE[0], LinePlot.WIDTH).count > lowPx.count, "legend swatch missing");
    }

    @Test
    void nonFiniteAndEmptySeriesDoNotBreakThePlot() {
        List<double[]> diverged = List.of(new double[] {0, 10}, new double[] {100, Double.NaN},
                new double[] {200, Double.POSITIVE_INFINITY});
        BufferedImage img = LinePlot.render("t", "x", "y", List.of(new LinePlot.Series("nan", diverged),
                new LinePlot.Series("empty", List.of())), 400, 300);
        assertEquals(400, img.getWidth());
    }

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(500, LinePlot.niceStep(2000), 1e-9);
        assertEquals(2, LinePlot.niceStep(12), 1e-9);
        assertEquals(0.1, LinePlot.niceStep(0.5), 1e-12);
        AxisTicks flat = AxisTicks.of(Axis.linear("y"), new double[] {5, 5});
        assertTrue(flat.lo() < 5 && flat.hi() > 5 && flat.hi() - flat.lo() <= 1.2 + 1e-9,
                "a flat line sits inside a range of about one unit: " + flat.lo() + ".." + flat.hi());
    }

    private record Hits(int count, int minY, int maxY) {}

    /** Pixels of exactly {@code colour} (line centres are fully covered, so antialiasing leaves them exact). */
    private static Hits pixels(BufferedImage img, Color colour, int xEnd) {
        int n = 0, minY = Integer.MAX_VALUE, maxY = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < xEnd; x++) {
                if ((img.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    n++;
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return new Hits(n, minY, maxY);
    }
}
