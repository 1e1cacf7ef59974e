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

class PanelsTest {
    @TempDir Path dir;

    private static List<Chart> charts(int n) {
        List<Chart> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Chart.of("panel " + i, "x", "y").yRange(0, 10)
                    .with(Curve.line("measured", List.of(new double[] {0, i}, new double[] {1, i + 1})))
                    .with(Curve.line("predicted", List.of(new double[] {0, i}, new double[] {1, i + 2})).dashed()));
        }
        return out;
    }

    @Test
    void panelsFillAGridRowByRowAndTheSharedLegendAddsAColumn() throws IOException {
        BufferedImage plain = new Panels("", charts(5), 2, false).render(300, 250);
        assertEquals(2 * 300, plain.getWidth());
        assertEquals(3 * 250, plain.getHeight());
        for (int y = 500; y < 750; y++) {
            for (int x = 300; x < 600; x++) assertEquals(Color.WHITE.getRGB(), plain.getRGB(x, y), "no sixth panel");
        }
        Path file = dir.resolve("panels.png");
        Panels shared = new Panels("figure", charts(5), 2, true);
        shared.write(file, 300, 250);
        BufferedImage png = ImageIO.read(file.toFile());
        assertTrue(png.getWidth() > 600, "the shared legend sits right of the grid");
        assertEquals(36 + 3 * 250, png.getHeight(), "the title adds a band above the grid");
        assertEquals(3, shared.rows());
        assertEquals(2, new Panels("", charts(2), 4, false).usedColumns());
        assertEquals(300, new Panels("", charts(1), 3, false).render(300, 250).getWidth(), "no empty columns");
    }

    @Test
    void theSharedLegendListsEachNameOnceInItsFirstColour() {
        List<Curve> entries = Legend.entries(charts(3));
        assertEquals(List.of("measured", "predicted"), entries.stream().map(Curve::name).toList());
        assertEquals(LinePlot.PALETTE[1], entries.get(1).colour());
        assertEquals(Curve.Line.DASHED, entries.get(1).line());
    }

    @Test
    void badPanelsSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Panels("", List.of(), 2, true));
        assertEquals("panels: expected at least one chart, got none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Panels("", charts(1), 0, true));
        assertEquals("panels: expected columns ≥ 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Panels("", charts(2), 2, true).render(120, 250));
        assertTrue(e.getMessage().startsWith("chart \"panel 0\": expected at least 140 × 150 pixels, got 120 × 250"),
                e.getMessage());
    }
}
