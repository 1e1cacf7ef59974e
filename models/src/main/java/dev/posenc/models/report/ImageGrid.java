package dev.posenc.models.report;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.RgbImage;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The picture of a {@code fit-image} run: the ground truth, then one reconstruction per encoding, each tile
 * labelled underneath with its name and test PSNR. Tiles are drawn at {@code max(256, image width)} pixels wide
 * by default, enlarged with nearest-neighbour sampling so that a 64-pixel fit shows its real pixels rather
 * than a smoothed guess; labels scale with the tile (16 px text at 256 px tiles) and shrink to fit long names.
 */
public final class ImageGrid {
    /** One labelled picture. */
    public record Tile(String title, String caption, RgbImage image) {}

    /** One encoding's fit of the ground truth. */
    public record Reconstruction(String encoding, double testPsnr, RgbImage image) {}

    public static final int MIN_TILE = 256, MAX_COLUMNS = 6;
    private static final int GAP = 8;
    private static final Color BACKGROUND = Color.WHITE, INK = new Color(0x20, 0x20, 0x20);

    private ImageGrid() {}

    /** Writes the grid for {@code truth} and its {@code reconstructions} to {@code file} as PNG, atomically. */
    public static void write(Path file, RgbImage truth, List<Reconstruction> reconstructions) throws IOException {
        Png.write(file, render(truth, reconstructions));
    }

    /** The grid: "ground truth" first, then each reconstruction with "test PSNR xx.xx dB". */
    public static BufferedImage render(RgbImage truth, List<Reconstruction> reconstructions) {
        List<Tile> tiles = new ArrayList<>();
        tiles.add(new Tile("ground truth", "%d × %d".formatted(truth.height(), truth.width()), truth));
        for (Reconstruction r : reconstructions) {
            tiles.add(new Tile(r.encoding(), String.format(Locale.ROOT, "test PSNR %.2f dB", r.testPsnr()), r.image()));
        }
        return render(tiles, Math.max(MIN_TILE, truth.width()), Math.min(tiles.size(), MAX_COLUMNS));
    }

    /** One image of a multi-image run: its name, its ground truth and each encoding's fit of it. */
    public record Row(String image, RgbImage truth, List<Reconstruction> reconstructions) {}

    /**
     * Several images, one row each: the ground truth (titled with the image's name), then its reconstructions,
     * so that an encoding's fits line up in a column. Written to {@code file} as PNG, atomically.
     */
    public static void write(Path file, List<Row> rows, int tileWidth) throws IOException {
        if (rows.isEmpty()) throw new IllegalArgumentException("rows: expected at least one image, got none");
        List<Tile> tiles = new ArrayList<>();
        int columns = 1 + rows.getFirst().reconstructions().size();
        for (Row row : rows) {
            if (row.reconstructions().size() != columns - 1) throw new IllegalArgumentException(
                    "rows: expected %d reconstructions per image, got %d for %s".formatted(columns - 1,
                            row.reconstructions().size(), row.image()));
            tiles.add(new Tile(row.image(), "%d × %d".formatted(row.truth().height(), row.truth().width()), row.truth()));
            for (Reconstruction r : row.reconstructions()) {
                tiles.add(new Tile(r.encoding(), String.format(Locale.ROOT, "test PSNR %.2f dB", r.testPsnr()), r.image()));
            }
        }
        Png.write(file, render(tiles, tileWidth, columns));
    }

    /**
     * Tiles in rows of {@code columns}, each image drawn {@code tileWidth} pixels wide (its aspect ratio kept),
     * the title and caption centred below it.
     */
    public static BufferedImage render(List<Tile> tiles, int tileWidth, int columns) {
        if (tiles.isEmpty()) throw new IllegalArgumentException("tiles: expected at least one, got none");
        if (tileWidth < 16) throw new IllegalArgumentException("tileWidth: expected >= 16, got " + tileWidth);
        if (columns < 1) throw new IllegalArgumentException("columns: expected >= 1, got " + columns);
        int imageHeight = 0;
        for (Tile t : tiles) {
            imageHeight = Math.max(imageHeight, scaledHeight(t.image(), tileWidth));
        }
        int fontPx = Math.max(11, tileWidth / 16);
        int labelHeight = (int) Math.ceil(fontPx * 2.8);
        int rows = (tiles.size() + columns - 1) / columns, cols = Math.min(columns, tiles.size());
        int cellW = tileWidth + GAP, cellH = imageHeight + labelHeight + GAP;
        BufferedImage out = new BufferedImage(GAP + cols * cellW, GAP + rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int i = 0; i < tiles.size(); i++) {
                Tile t = tiles.get(i);
                int x = GAP + (i % columns) * cellW, y = GAP + (i / columns) * cellH;
                boolean enlarging = tileWidth >= t.image().width();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, enlarging
                        ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                        : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(Png.toBufferedImage(t.image()), x, y, tileWidth, scaledHeight(t.image(), tileWidth), null);
                g.setColor(INK);
                centred(g, new Font(Font.SANS_SERIF, Font.BOLD, fontPx), t.title(), x, tileWidth,
                        y + imageHeight + fontPx + 4);
                centred(g, new Font(Font.SANS_SERIF, Font.PLAIN, fontPx), t.caption(), x, tileWidth,
                        y + imageHeight + 2 * fontPx + 10);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int scaledHeight(RgbImage image, int width) {
        return (int) Math.round((double) width * image.height() / image.width());
    }

    /** Draws {@code text} centred in [x, x + width), in a smaller font if it would not fit. */
    private static void centred(Graphics2D g, Font font, String text, int x, int width, int baseline) {
        FontMetrics m = g.getFontMetrics(font);
        int w = m.stringWidth(text);
        if (w > width - 4) {
            font = font.deriveFont(font.getSize2D() * (width - 4) / w);
            m = g.getFontMetrics(font);
            w = m.stringWidth(text);
        }
        g.setFont(font);
        g.drawString(text, x + (width - w) / 2, baseline);
    }
}
