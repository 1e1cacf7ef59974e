package dev.posenc.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Images that decode to more than the heap, or to less than they claim: refused before or after decoding. */
class PngLimitsTest {
    @TempDir Path dir;

    @Test
    void decompressionBombIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        byte[] bomb = HostileInputs.blackGreyPng(20000, 20000);   // ~400 KB that decode to 400 MB of grey, 4.8 GB of floats
        Path file = Files.write(dir.resolve("bomb.png"), bomb);
        IOException[] thrown = new IOException[1];
        long allocated = HostileInputs.allocatedBy(() -> thrown[0] = assertThrows(IOException.class, () -> Png.read(file)));
        String m = thrown[0].getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("20000 × 20000") && m.contains("megapixel limit"), m);
        assertTrue(allocated < 16L * bomb.length, "allocated %,d bytes for a %,d-byte file".formatted(allocated,
                bomb.length));
    }

    @Test
    void imageUnderTheLimitStillReads() throws Exception {
        Path file = Files.write(dir.resolve("wide.png"), HostileInputs.blackGreyPng(3001, 5));
        RgbImage image = Png.read(file);
        assertEquals(3001, image.width());
        assertEquals(0f, image.get(4, 3000, 2));
    }

    @Test
    void truncatedJpegIsRefusedNotFilledWithGrey() throws IOException {
        byte[] jpeg = encode(noise(64, 64, BufferedImage.TYPE_INT_RGB), "jpeg");
        Path file = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        String m = assertThrows(IOException.class, () -> Png.read(file)).getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("incomplete") && m.contains("Truncated File"), m);
    }

    @Test
    void gifWhoseImageDataEndsEarlyIsRefused() throws IOException {
        byte[] gif = encode(noise(64, 64, BufferedImage.TYPE_BYTE_INDEXED), "gif");
        // Close the LZW data after half its sub-blocks, then the trailer: a well-formed file, half an image
        int at = lzwStart(gif), blocks = 0, p = at;
        while (gif[p] != 0) { p += (gif[p] & 0xff) + 1; blocks++; }
        p = at;
        for (int i = 0; i < blocks / 2; i++) p += (gif[p] & 0xff) + 1;
        byte[] cut = Arrays.copyOf(gif, p + 2);
        cut[p] = 0;
        cut[p + 1] = 0x3b;
        Path file = Files.write(dir.resolve("half.gif"), cut);
        String m = assertThrows(IOException.class, () -> Png.read(file)).getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("incomplete"), m);
    }

    @Test
    void imageIoCauseIsShownNotNull() throws IOException {
        byte[] bmp = encode(noise(17, 17, BufferedImage.TYPE_INT_RGB), "bmp");
        Path file = Files.write(dir.resolve("cut.bmp"), Arrays.copyOf(bmp, bmp.length / 2));
        String m = assertThrows(IOException.class, () -> Png.read(file)).getMessage();
        assertFalse(m.contains("(null)"), m);
        assertTrue(m.contains("end of file"), m);
    }

    @Test
    void truncatedGifSaysWhyNotJustIoError() throws IOException {
        byte[] gif = encode(noise(64, 64, BufferedImage.TYPE_BYTE_INDEXED), "gif");
        Path file = Files.write(dir.resolve("cut.gif"), Arrays.copyOf(gif, gif.length / 2));
        String m = assertThrows(IOException.class, () -> Png.read(file)).getMessage();
        assertTrue(m.contains("Invalid block length for LZW encoded image data"), m);
    }

    static BufferedImage noise(int w, int h, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        var g = image.createGraphics();
        java.util.Random rng = new java.util.Random(5);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g.setColor(new Color(rng.nextInt(1 << 24)));
                g.fillRect(x, y, 1, 1);
            }
        }
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    /** Offset of the first LZW sub-block of a GIF's first image (after its descriptor and code size). */
    static int lzwStart(byte[] gif) {
        int p = 13 + ((gif[10] & 0x80) != 0 ? 3 * (1 << ((gif[10] & 7) + 1)) : 0);
        while (gif[p] == 0x21) {                        // extensions: label, then sub-blocks up to a 0
            p += 2;
            while (gif[p] != 0) p += (gif[p] & 0xff) + 1;
            p++;
        }
        assertEquals(0x2c, gif[p], "image descriptor");
        int flags = gif[p + 9];
        p += 10 + ((flags & 0x80) != 0 ? 3 * (1 << ((flags & 7) + 1)) : 0);
        return p + 1;                                   // past the LZW minimum code size
    }
}
