package dev.posenc.models.report;

import dev.posenc.core.io.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageGridTest {
    @TempDir Path dir;

    @Test
    void gridHasOneTilePerImageInARowWithLabelsUnderneath() throws IOException {
        RgbImage truth = flat(33, 33, 1, 0, 0), a = flat(33, 33, 0, 1, 0), b = flat(33, 33, 0, 0, 1);
        Path file = dir.resolve("grid.png");
        ImageGrid.write(file, truth, List.of(new ImageGrid.Reconstruction("none", 19.2, a),
                new ImageGrid.Reconstruction("gaussian", 27.31, b)));
        BufferedImage png = ImageIO.read(file.toFile());
        int tile = ImageGrid.MIN_TILE; // 33-px images are enlarged to 256
        assertTrue(png.getWidth() >= 3 * tile && png.getWidth() < 3 * tile + 64, "width " + png.getWidth());
        assertTrue(png.getHeight() > tile + 20 && png.getHeight() < tile + 120, "height " + png.getHeight());
        // tile centres carry the images' colours, left to right
        int cy = 8 + tile / 2;
        assertEquals(0xff0000, png.getRGB(8 + tile / 2, cy) & 0xffffff);
        assertEquals(0x00ff00, png.getRGB(8 + tile + 8 + tile / 2, cy) & 0xffffff);
        assertEquals(0x0000ff, png.getRGB(8 + 2 * (tile + 8) + tile / 2, cy) & 0xffffff);
        // the label band under the first tile has dark text pixels
        assertTrue(darkPixels(png, 8, 8 + tile, tile, png.getHeight()) > 50, "labels must be drawn");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void columnsWrapIntoRowsAndLargeImagesKeepTheirSize() {
        List<ImageGrid.Tile> tiles = Arrays.asList(new ImageGrid.Tile[5]);
        for (int i = 0; i < 5; i++) tiles.set(i, new ImageGrid.Tile("t" + i, "c", flat(300, 300, 0.5f, 0.5f, 0.5f)));
        BufferedImage grid = ImageGrid.render(tiles, 300, 2);
        assertEquals(8 + 2 * (300 + 8), grid.getWidth());
        assertTrue(grid.getHeight() > 3 * 300, "5 tiles in 2 columns make 3 rows");
    }

    @Test
    void longNamesShrinkInsteadOfSpillingIntoTheNextTile() {
        String name = "a-very-long-encoding-name-that-would-never-fit-under-one-small-tile";
        BufferedImage grid = ImageGrid.render(List.of(new ImageGrid.Tile(name, "", flat(16, 16, 1, 1, 1)),
                new ImageGrid.Tile("", "", flat(16, 16, 1, 1, 1))), 64, 2);
        int secondTileX = 8 + 64 + 8;
        assertEquals(0, darkPixels(grid, secondTileX, 8 + 64, grid.getWidth(), grid.getHeight()),
                "the first label must stay inside its tile");
    }

    @Test
    void emptyGridIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(List.of(), 256, 1));
    }

    private static RgbImage flat(int h, int w, float r, float g, float b) {
        float[] px = new float[h * w * 3];
        for (int i = 0; i < h * w; i++) { px[3 * i] = r; px[3 * i + 1] = g; px[3 * i + 2] = b; }
        return new RgbImage(h, w, px);
    }

    private static int darkPixels(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) if ((img.getRGB(x, y) & 0xff) < 128) n++;
        return n;
    }
}
