package dev.posenc.models.images;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.RgbImage;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A synthetic text image in the spirit of Tancik et al. 2020's second data set ({@code data_2d_text.npz}):
 * lines of random words in varied sizes, styles and colours on a light background, antialiased. Sharp glyph
 * edges make it the hard, high-frequency case where Fourier features matter most (spec §2.2: positional 27.6 dB
 * vs Gaussian 30.5 dB on the paper's text images).
 *
 * <p>Everything random comes from one {@code SplittableRandom(seed)}, so the image is a function of
 * {@code (size, seed)} on a given JDK and font installation. Fonts are Java's logical fonts, which map to
 * whatever the system's fontconfig provides: nothing is shipped, and a different machine may draw different
 * glyph shapes for the same seed (the layout, colours and words stay the same).
 */
final class TextImage {
    private static final String[] FAMILIES = {Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED};
    private static final int[] STYLES = {Font.PLAIN, Font.BOLD, Font.ITALIC, Font.BOLD | Font.ITALIC};
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
    /** Text heights as fractions of the image size: big enough that strokes span several training pixels. */
    private static final double MIN_FONT = 1 / 14.0, MAX_FONT = 1 / 6.0;
    /**
     * Below this size the glyphs keep the pixel heights they have at it (18 to 43 px) and fewer words fit. At
     * 128 × 128 with fonts scaled to the image (9 to 21 px) strokes were about one training sample wide, the odd-odd
     * test pixels aliased and every mapping scored within 1.2 dB (none 16.63, gaussian 17.84); with the glyphs of
     * 256 the mappings separate (none 15.2, basic 19.8, positional 22.6, gaussian 22.7 dB), while glyphs of 512
     * (37 to 85 px) are so coarse that basic catches up (26.5 against gaussian 30.1). README, "The text data set".
     */
    static final int FONT_SCALE_FLOOR = 256;

    private TextImage() {}

    static RgbImage render(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(light(rng));
            g.fillRect(0, 0, size, size);
            int margin = Math.max(1, size / 32);
            float baselineTop = margin;
            while (true) {
                // at most 3 × size, so that a tiny image (a test's 16 × 16) still holds a line of text
                float scale = Math.min(Math.max(size, FONT_SCALE_FLOOR), 3 * size);
                float px = (float) (scale * (MIN_FONT + rng.nextDouble() * (MAX_FONT - MIN_FONT)));
                Font font = new Font(FAMILIES[rng.nextInt(FAMILIES.length)], STYLES[rng.nextInt(STYLES.length)], 1)
                        .deriveFont(px);
                g.setFont(font);
                FontMetrics m = g.getFontMetrics();
                float baseline = baselineTop + m.getAscent();
                if (baseline + m.getDescent() > size - margin) break;
                float x = margin + (float) rng.nextDouble() * size / 8;
                while (true) { // words until the line is full; at least one, cut by the right edge if it must
                    String word = word(rng);
                    float advance = (float) m.getStringBounds(word, g).getWidth();
                    if (x > margin + size / 8f && x + advance > size - margin) break;
                    g.setColor(dark(rng));
                    g.drawString(word, x, baseline);
                    x += advance + m.charWidth(' ');
                    if (x > size - margin) break;
                }
                baselineTop = baseline + m.getDescent() + (float) rng.nextDouble() * size / 32;
            }
        } finally {
            g.dispose();
        }
        return Png.toRgb(canvas);
    }

    /** 2 to 9 lowercase letters, capitalised one time in four. */
    private static String word(SplittableRandom rng) {
        int n = 2 + rng.nextInt(8);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) s.append(LETTERS.charAt(rng.nextInt(LETTERS.length())));
        if (rng.nextInt(4) == 0) s.setCharAt(0, Character.toUpperCase(s.charAt(0)));
        return s.toString();
    }

    /** A pale background: each channel in [0.85, 1]. */
    private static Color light(SplittableRandom rng) {
        return new Color(0.85f + 0.15f * (float) rng.nextDouble(), 0.85f + 0.15f * (float) rng.nextDouble(),
                0.85f + 0.15f * (float) rng.nextDouble());
    }

    /** A dark, often saturated ink: each channel in [0, 0.55]. */
    private static Color dark(SplittableRandom rng) {
        return new Color(0.55f * (float) rng.nextDouble(), 0.55f * (float) rng.nextDouble(),
                0.55f * (float) rng.nextDouble());
    }
}
