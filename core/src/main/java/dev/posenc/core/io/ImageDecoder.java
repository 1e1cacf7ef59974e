package dev.posenc.core.io;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code javax.imageio} decoding with the checks {@code ImageIO.read} leaves out, for {@link Png#read}:
 * <ol>
 *   <li>the size is read from the header ({@code ImageReader.getWidth/getHeight}: PNG's IHDR, JPEG's SOF, ...)
 *       and refused over a pixel limit or a heap budget <b>before</b> decoding: a valid 390 KB grey PNG of
 *       20000 × 20000 decodes to 400 MB, then 4.8 GB of floats;</li>
 *   <li>a truncated image is refused: JPEG reports it only as a warning (and fills the rest with grey), GIF
 *       not at all (its data may end early, the rest stays colour 0), so warnings are collected and a GIF
 *       must report progress up to its last row;</li>
 *   <li>errors show ImageIO's real cause: its messages wrap it ("I/O error reading PNG header!") or have
 *       none (an {@link EOFException} said "(null)").</li>
 * </ol>
 */
final class ImageDecoder {
    private ImageDecoder() {}

    static final String FORMATS = "PNG, JPEG, GIF, BMP, TIFF, WBMP";
    /** Heap bytes per pixel besides the decoded raster: the {@link RgbImage}'s three floats. */
    private static final int RGB_BYTES_PER_PIXEL = RgbImage.CHANNELS * Float.BYTES;
    /** The raster's bytes per pixel when the reader does not say: 16-bit RGBA, the widest common layout. */
    private static final int DEFAULT_RASTER_BYTES_PER_PIXEL = 8;

    /** The first image in {@code bytes}, decoded after the checks above; {@code name} goes into errors. */
    static BufferedImage decode(byte[] bytes, String name, long maxPixels) throws IOException {
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) throw new IOException("image %s: not an image in a format javax.imageio reads (%s)"
                .formatted(name, FORMATS));
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            int width, height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw corrupt(name, "header", e);
            }
            checkSize(reader, name, width, height, maxPixels);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            RowProgress progress = new RowProgress();
            reader.addIIOReadProgressListener(progress);
            BufferedImage image;
            try {
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw corrupt(name, "image data", e);
            }
            if (!warnings.isEmpty()) throw new IOException(
                    "image %s: incomplete or corrupt (%s): refused rather than decoded with missing pixels"
                            .formatted(name, String.join("; ", warnings)));
            if ("gif".equalsIgnoreCase(reader.getFormatName()) && progress.max < 100f) throw new IOException(
                    "image %s: incomplete: the GIF's image data ends after %.0f%% of its rows".formatted(name, progress.max));
            return image;
        } finally {
            reader.dispose();
        }
    }

    private static void checkSize(ImageReader reader, String name, int width, int height, long maxPixels)
            throws IOException {
        if (width <= 0 || height <= 0) throw new IOException(
                "image %s: the header gives %d × %d pixels".formatted(name, width, height));
        long pixels = (long) width * height;
        if (pixels > maxPixels) throw new IOException(("image %s: %d × %d is %.1f megapixels, over the %.0f-megapixel "
                + "limit (refused from its header, before decoding); shrink it first, e.g. "
                + "`convert IN -resize 4000x4000 OUT` with ImageMagick").formatted(name, width, height, pixels / 1e6,
                maxPixels / 1e6));
        SizeCheck.withinBudget("image " + name, "%d × %d".formatted(width, height),
                pixels * (rasterBytesPerPixel(reader) + RGB_BYTES_PER_PIXEL), SizeCheck.heapBudget(),
                "give the JVM more heap (-Xmx; for ./posenc: POSENC_JAVA_OPTS=-Xmx16g) or shrink the image");
    }

    /** Bytes per pixel of the raster the reader will decode into, from its sample sizes where it says. */
    private static long rasterBytesPerPixel(ImageReader reader) {
        try {
            ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type == null) return DEFAULT_RASTER_BYTES_PER_PIXEL;
            SampleModel sm = type.getSampleModel();
            long bits = 0;
            for (int b = 0; b < sm.getNumBands(); b++) bits += sm.getSampleSize(b);
            return Math.max(1, (bits + 7) / 8);
        } catch (IOException | RuntimeException e) { // decoding will then report what is wrong
            return DEFAULT_RASTER_BYTES_PER_PIXEL;
        }
    }

    private static IOException corrupt(String name, String part, Throwable e) {
        return new IOException("image %s: corrupt or unsupported %s (%s)".formatted(name, part, describe(e)), e);
    }

    /** The messages along the cause chain, "outer: inner", each once; a message-less end of file named as such. */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage() != null ? t.getMessage()
                    : t instanceof EOFException ? "unexpected end of file" : t.getClass().getSimpleName();
            if (!parts.contains(m)) parts.add(m);
        }
        return String.join(": ", parts);
    }

    /** The furthest progress a reader reported, in percent of its rows (GIF: 100 only after the last row). */
    private static final class RowProgress implements IIOReadProgressListener {
        float max;

        @Override public void imageProgress(ImageReader source, float percentageDone) { max = Math.max(max, percentageDone); }
        @Override public void sequenceStarted(ImageReader source, int minIndex) {}
        @Override public void sequenceComplete(ImageReader source) {}
        @Override public void imageStarted(ImageReader source, int imageIndex) {}
        @Override public void imageComplete(ImageReader source) {}
        @Override public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}
        @Override public void thumbnailProgress(ImageReader source, float percentageDone) {}
        @Override public void thumbnailComplete(ImageReader source) {}
        @Override public void readAborted(ImageReader source) {}
    }
}
