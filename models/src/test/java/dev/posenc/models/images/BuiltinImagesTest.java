package dev.posenc.models.images;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.RgbImage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.*;

class BuiltinImagesTest {
    /** A 4× tent reduction moves the mean colour by far less than this (it is a weighted average). */
    private static final double MEAN_ATOL = 0.01;

    @Test
    void astronautAt256IsTheShippedFile() throws IOException {
        RgbImage shipped;
        try (InputStream in = BuiltinImages.class.getResourceAsStream("astronaut-256.png")) {
            assertNotNull(in, "astronaut-256.png must be on the classpath");
            shipped = Png.read(in, "astronaut-256.png");
        }
        assertEquals(shipped, BuiltinImages.astronaut(256));
        // a photograph, not a flat or grey image: channels differ and values spread
        assertTrue(spread(shipped) > 0.2, "astronaut looks flat");
        assertNotEquals(shipped.get(128, 40, 0), shipped.get(128, 40, 2));
    }

    @Test
    void astronautResizesKeepingTheMeanColour() {
        RgbImage big = BuiltinImages.astronaut(256), small = BuiltinImages.astronaut(63);
        assertEquals(63, small.height());
        assertEquals(63, small.width());
        for (int c = 0; c < 3; c++) assertEquals(mean(big, c), mean(small, c), MEAN_ATOL, "channel " + c);
    }

    @Test
    void textIsDeterministicForASeedAndDiffersAcrossSeeds() {
        RgbImage a = BuiltinImages.text(65, 1), again = BuiltinImages.text(65, 1), other = BuiltinImages.text(65, 2);
        assertEquals(65, a.height());
        assertEquals(a, again);
        assertNotEquals(a, other);
    }

    @Test
    void textIsDarkInkOnALightBackground() {
        RgbImage text = BuiltinImages.text(256, 7);
        int light = 0, dark = 0, grey = 0, n = text.height() * text.width();
        for (int y = 0; y < text.height(); y++) {
            for (int x = 0; x < text.width(); x++) {
                float l = (text.get(y, x, 0) + text.get(y, x, 1) + text.get(y, x, 2)) / 3;
                if (l >= 0.85f) light++;
                if (l < 0.55f) dark++;
                if (l > 0.55f && l < 0.85f) grey++; // antialiased glyph edges
            }
        }
        assertTrue(light > n / 2, "background must dominate: " + light + " of " + n);
        assertTrue(dark > n / 20, "there must be ink: " + dark + " of " + n);
        assertTrue(grey > 0, "glyph edges must be antialiased");
    }

    @Test
    void smallTextKeepsTheGlyphsOf256() {
        // below 256 the glyphs keep 256's pixel heights: their strokes are wider than 256's image shrunk to 128
        double small = inkFraction(BuiltinImages.text(128, 3)), big = inkFraction(BuiltinImages.text(256, 3));
        assertTrue(small > 0.02, "the 128 image must hold text: ink fraction " + small);
        RgbImage tiny = BuiltinImages.text(16, 3);
        int inked = 0;   // the background is >= 0.85 in every channel; antialiased 3-8 px glyphs darken pixels
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) if (luminance(tiny, y, x) < 0.75f) inked++;
        assertTrue(inked > 8, "even a 16 × 16 image holds some text: " + inked + " inked pixels");
        assertTrue(strokeWidth(BuiltinImages.text(128, 3)) > 1.5 * strokeWidth(downscaled(256, 3)),
                "strokes at 128 must be wider than 256's shrunk to 128");
        assertTrue(big > 0.02, "256 holds text: " + big);
    }

    /** Mean run length of dark pixels along rows: a stroke's width in pixels. */
    private static double strokeWidth(RgbImage image) {
        long dark = 0, runs = 0;
        for (int y = 0; y < image.height(); y++) {
            boolean inRun = false;
            for (int x = 0; x < image.width(); x++) {
                boolean d = luminance(image, y, x) < 0.55f;
                if (d) dark++;
                if (d && !inRun) runs++;
                inRun = d;
            }
        }
        return runs == 0 ? 0 : (double) dark / runs;
    }

    private static RgbImage downscaled(int size, long seed) {
        return dev.posenc.core.io.Resample.resize(BuiltinImages.text(size, seed), size / 2, size / 2);
    }

    private static double inkFraction(RgbImage image) {
        int dark = 0;
        for (int y = 0; y < image.height(); y++) for (int x = 0; x < image.width(); x++) if (luminance(image, y, x) < 0.55f) dark++;
        return (double) dark / (image.height() * image.width());
    }

    private static float luminance(RgbImage image, int y, int x) {
        return (image.get(y, x, 0) + image.get(y, x, 1) + image.get(y, x, 2)) / 3;
    }

    @Test
    void byNameKnowsTheListedNamesAndRejectsOthers() {
        for (String name : BuiltinImages.NAMES) assertEquals(8, BuiltinImages.byName(name, 8, 0).width(), name);
        var e = assertThrows(IllegalArgumentException.class, () -> BuiltinImages.byName("lena", 8, 0));
        assertTrue(e.getMessage().contains("astronaut, text") && e.getMessage().contains("lena"), e.getMessage());
    }

    @Test
    void badSizeNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> BuiltinImages.text(1, 0));
        assertTrue(e.getMessage().startsWith("size:") && e.getMessage().contains("got 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BuiltinImages.astronaut(BuiltinImages.MAX_SIZE + 1));
    }

    private static double mean(RgbImage image, int c) {
        double s = 0;
        for (int y = 0; y < image.height(); y++) for (int x = 0; x < image.width(); x++) s += image.get(y, x, c);
        return s / ((double) image.height() * image.width());
    }

    private static double spread(RgbImage image) {
        float lo = 1, hi = 0;
        for (float v : image.pixels()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        return hi - lo;
    }
}
