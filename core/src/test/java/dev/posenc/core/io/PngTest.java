package dev.posenc.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class PngTest {
    /** JPEG is lossy; a flat colour comes back within a few levels. */
    private static final float JPEG_ATOL = 4f / 255f;
    /** Exact 8-bit levels go through float division; anything below half a level is the same level. */
    private static final float LEVEL_ATOL = 1e-6f;

    @TempDir Path dir;

    @Test
    void roundTripKeeps8BitLevelsAndWritesPlainRgb() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        float[] px = new float[5 * 7 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (float) rng.nextDouble();
        RgbImage image = new RgbImage(5, 7, px);
        Path file = dir.resolve("a.png");
        Png.write(file, image);

        BufferedImage raw = ImageIO.read(file.toFile());
        assertEquals(7, raw.getWidth());
        assertEquals(5, raw.getHeight());
        assertFalse(raw.getColorModel().hasAlpha(), "written PNG must be RGB without alpha");
        assertEquals(3, raw.getColorModel().getNumComponents());
        assertEquals(8, raw.getColorModel().getComponentSize(0));

        RgbImage back = Png.read(file);
        for (int i = 0; i < px.length; i++) {
            assertEquals(Math.round(px[i] * 255f) / 255f, back.pixels()[i], LEVEL_ATOL, "value " + i);
        }
        assertOnlyFile(file);
    }

    @Test
    void writeClampsOutOfRangeAndNanValues() throws IOException {
        RgbImage image = new RgbImage(1, 2, new float[] {-0.5f, 1.5f, Float.NaN, 0.5f, 0.2f, 1f});
        Path file = dir.resolve("clamp.png");
        Png.write(file, image);
        RgbImage back = Png.read(file);
        assertArrayEquals(new float[] {0f, 1f, 0f, 128 / 255f, 51 / 255f, 1f}, back.pixels(), LEVEL_ATOL);
    }

    @Test
    void greyIsReplicatedWithoutGammaConversion() throws IOException {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 128, 255});
        RgbImage back = Png.read(save(grey, "png", "grey.png"));
        // 128 stays 128/255 (getRGB would gamma-encode it to 186/255)
        float mid = 128 / 255f;
        assertArrayEquals(new float[] {0, 0, 0, mid, mid, mid, 1, 1, 1}, back.pixels(), LEVEL_ATOL);
    }

    @Test
    void sixteenBitGreyIsScaledToUnitRange() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {32768, 65535});
        RgbImage back = Png.read(save(grey, "png", "grey16.png"));
        assertEquals(32768 / 65535f, back.get(0, 0, 1), LEVEL_ATOL);
        assertEquals(1f, back.get(0, 1, 2), LEVEL_ATOL);
    }

    @Test
    void sixteenBitRgbIsScaledToUnitRange() throws IOException {
        var cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {65535, 1000, 0});
        Path file = save(new BufferedImage(cm, raster, false, null), "png", "rgb16.png");
        assertEquals(16, ImageIO.read(file.toFile()).getColorModel().getComponentSize(0), "test must write 16 bits");
        assertArrayEquals(new float[] {1f, 1000 / 65535f, 0f}, Png.read(file).pixels(), LEVEL_ATOL);
    }

    @Test
    void alphaIsCompositedOverWhite() throws IOException {
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x80ff0000); // red, alpha 128
        rgba.setRGB(1, 0, 0x00123456); // fully transparent: white whatever the colour
        RgbImage back = Png.read(save(rgba, "png", "rgba.png"));
        float a = 128 / 255f;
        assertArrayEquals(new float[] {1f, 1 - a, 1 - a, 1f, 1f, 1f}, back.pixels(), LEVEL_ATOL);
    }

    @Test
    void paletteIsLookedUpAndItsTransparencyComposited() throws IOException {
        byte[] r = {(byte) 255, 0, 0, 10}, g = {0, (byte) 255, 0, 20}, b = {0, 0, (byte) 255, 30};
        byte[] alpha = {(byte) 255, (byte) 255, (byte) 255, 0};
        var palette = new IndexColorModel(2, 4, r, g, b, alpha);
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        indexed.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {2, 1, 0, 3});
        Path file = save(indexed, "png", "palette.png");
        var written = ImageIO.read(file.toFile()).getColorModel();
        assertInstanceOf(IndexColorModel.class, written, "test must write a palette");
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1}, Png.read(file).pixels(), LEVEL_ATOL);
    }

    @Test
    void jpegIsRead() throws IOException {
        BufferedImage rgb = new BufferedImage(9, 9, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 9; y++) for (int x = 0; x < 9; x++) rgb.setRGB(x, y, 0x3366cc);
        RgbImage back = Png.read(save(rgb, "jpg", "flat.jpg"));
        assertEquals(0x33 / 255f, back.get(4, 4, 0), JPEG_ATOL);
        assertEquals(0x66 / 255f, back.get(4, 4, 1), JPEG_ATOL);
        assertEquals(0xcc / 255f, back.get(4, 4, 2), JPEG_ATOL);
    }

    @Test
    void missingFileNamesPathAndProblem() {
        Path file = dir.resolve("nope.png");
        assertMessage(assertThrows(IOException.class, () -> Png.read(file)), file, "no such file");
    }

    @Test
    void folderNamesPathAndProblem() {
        assertMessage(assertThrows(IOException.class, () -> Png.read(dir)), dir, "folder");
    }

    @Test
    void unreadableFileNamesPathAndProblem() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads files whatever their permissions");
        Path file = save(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", "locked.png");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertMessage(assertThrows(IOException.class, () -> Png.read(file)), file, "not readable");
    }

    @Test
    void emptyFileNamesPathAndProblem() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.png"));
        assertMessage(assertThrows(IOException.class, () -> Png.read(file)), file, "empty");
    }

    @Test
    void textFileIsNotAnImage() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.png"), "hello, not pixels", StandardCharsets.UTF_8);
        assertMessage(assertThrows(IOException.class, () -> Png.read(file)), file, "not an image");
    }

    @Test
    void truncatedPngIsCorrupt() throws IOException {
        Path good = save(new BufferedImage(17, 17, BufferedImage.TYPE_INT_RGB), "png", "good.png");
        byte[] bytes = Files.readAllBytes(good);
        Path file = dir.resolve("truncated.png");
        Files.write(file, java.util.Arrays.copyOf(bytes, 40)); // signature + IHDR, no image data
        assertMessage(assertThrows(IOException.class, () -> Png.read(file)), file, "corrupt");
    }

    @Test
    void writeIntoMissingFolderNamesThePath() {
        Path file = dir.resolve("no/such/folder/out.png");
        RgbImage image = new RgbImage(1, 1, new float[3]);
        assertMessage(assertThrows(IOException.class, () -> Png.write(file, image)), file, "does not exist");
    }

    private Path save(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
        return file;
    }

    private void assertOnlyFile(Path file) throws IOException {
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(file), files.toList(), "no temporary file may be left behind");
        }
    }

    private static void assertMessage(Exception e, Path file, String problem) {
        assertTrue(e.getMessage().contains(file.toString()), () -> "message must name the path: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "message must say '" + problem + "': " + e.getMessage());
    }
}
