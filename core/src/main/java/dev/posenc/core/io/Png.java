package dev.posenc.core.io;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image files in and out of {@link RgbImage}: reads anything {@code javax.imageio} decodes (PNG, JPEG, GIF,
 * BMP, TIFF, WBMP) and writes 8-bit RGB PNG, atomically ({@link AtomicFiles}).
 *
 * <p>Reading keeps the values stored in the file, as PIL and scikit-image do, rather than letting Java2D
 * colour-manage them: {@code BufferedImage.getRGB} would treat a grey PNG as linear grey and gamma-encode it
 * (grey 128 would come back as 186). So samples are taken from the raster and scaled by their bit depth:
 * <ul>
 *   <li>grey (1 to 16 bits) is replicated into R, G and B; 16-bit samples are divided by 65535;</li>
 *   <li>RGB (8 or 16 bits per channel, JPEG's BGR byte order included) is taken as it is;</li>
 *   <li>a palette is looked up (its entries are 8-bit sRGB);</li>
 *   <li>alpha is composited over a <b>white</b> background, {@code c·α + (1 − α)}, the default of
 *       scikit-image's {@code rgba2rgb} (which {@code bench/pytorch/fit_image.py} uses, so both sides see the
 *       same target); premultiplied samples are un-premultiplied first;</li>
 *   <li>any other colour space (CMYK TIFF, say) goes through Java2D's conversion to sRGB.</li>
 * </ul>
 */
public final class Png {
    private Png() {}

    /**
     * Images with more pixels are refused from their header, before decoding: 100 megapixels (10000 × 10000)
     * is past any photo a coordinate network fits, and already 1.2 GB as floats. {@link #read(InputStream,
     * String, long)} takes another limit.
     */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000;

    /**
     * Reads the image in {@code file}.
     *
     * @throws IOException if the file is missing, a folder, unreadable, empty, not an image or corrupt; the
     *                     message names the path and the problem
     */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.exists(file)) throw new IOException("image %s: no such file".formatted(file));
        if (Files.isDirectory(file)) throw new IOException("image %s: is a folder, not a file".formatted(file));
        if (!Files.isReadable(file)) {
            throw new IOException("image %s: not readable (permission denied)".formatted(file));
        }
        if (Files.size(file) == 0) throw new IOException("image %s: the file is empty".formatted(file));
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads an image from {@code in} (not closed here); {@code name} (a path or resource name) goes into errors. */
    public static RgbImage read(InputStream in, String name) throws IOException {
        return read(in, name, DEFAULT_MAX_PIXELS);
    }

    /**
     * Reads an image of at most {@code maxPixels} pixels from {@code in} (not closed here). The size comes from
     * the file's header ({@link ImageDecoder}) and is refused before anything is decoded when it is over
     * {@code maxPixels} or when its pixels would not fit the heap; a truncated image is refused after decoding.
     */
    public static RgbImage read(InputStream in, String name, long maxPixels) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) throw new IOException("image %s: the file is empty".formatted(name));
        BufferedImage image = ImageDecoder.decode(bytes, name, maxPixels);
        try {
            return toRgb(image);
        } catch (RuntimeException e) { // an odd colour model of a hostile file: Java2D's own exceptions
            throw new IOException("image %s: unsupported pixel layout (%s)".formatted(name, ImageDecoder.describe(e)), e);
        }
    }

    /** The pixels of {@code image} as an {@link RgbImage}, converted as the class comment describes. */
    public static RgbImage toRgb(BufferedImage image) {
        int h = image.getHeight(), w = image.getWidth();
        float[] px = new float[h * w * RgbImage.CHANNELS];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int csType = cm.getColorSpace().getType();
        float[] rgba = new float[4];
        Object pixel = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (cm instanceof IndexColorModel icm) {
                    pixel = raster.getDataElements(x, y, pixel);
                    int argb = icm.getRGB(pixel);
                    set(rgba, (argb >> 16 & 0xff) / 255f, (argb >> 8 & 0xff) / 255f, (argb & 0xff) / 255f,
                            (argb >>> 24) / 255f, false);
                } else if (csType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
                    float g = sample(raster, x, y, 0);
                    set(rgba, g, g, g, cm.hasAlpha() ? sample(raster, x, y, 1) : 1f, cm.isAlphaPremultiplied());
                } else if (csType == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
                    set(rgba, sample(raster, x, y, 0), sample(raster, x, y, 1), sample(raster, x, y, 2),
                            cm.hasAlpha() ? sample(raster, x, y, 3) : 1f, cm.isAlphaPremultiplied());
                } else { // colour-managed route: Java2D converts to non-premultiplied sRGB
                    int argb = image.getRGB(x, y);
                    set(rgba, (argb >> 16 & 0xff) / 255f, (argb >> 8 & 0xff) / 255f, (argb & 0xff) / 255f,
                            (argb >>> 24) / 255f, false);
                }
                int o = (y * w + x) * RgbImage.CHANNELS;
                for (int c = 0; c < 3; c++) px[o + c] = rgba[c] * rgba[3] + (1f - rgba[3]); // over white
            }
        }
        return new RgbImage(h, w, px);
    }

    /** A raster sample scaled to [0, 1] by its band's bit depth (255 for 8 bits, 65535 for 16, 1 for 1). */
    private static float sample(Raster raster, int x, int y, int band) {
        int bits = raster.getSampleModel().getSampleSize(band);
        return (float) (raster.getSample(x, y, band) / ((1L << bits) - 1.0));
    }

    private static void set(float[] rgba, float r, float g, float b, float a, boolean premultiplied) {
        float inv = premultiplied && a > 0 ? 1f / a : 1f;
        rgba[0] = Math.min(1f, r * inv);
        rgba[1] = Math.min(1f, g * inv);
        rgba[2] = Math.min(1f, b * inv);
        rgba[3] = a;
    }

    /**
     * An 8-bit RGB image of {@code image}: each value is clamped to [0, 1] and rounded to the nearest of 256
     * levels. NaN becomes 0 (black) rather than an exception, so that a diverged reconstruction can still be
     * looked at; its PSNR already reports the failure.
     */
    public static BufferedImage toBufferedImage(RgbImage image) {
        int h = image.height(), w = image.width();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                row[x] = to8bit(image.get(y, x, 0)) << 16 | to8bit(image.get(y, x, 1)) << 8
                        | to8bit(image.get(y, x, 2));
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** The 8-bit level of a value in [0, 1]: clamped, rounded half up; NaN gives 0. */
    public static int to8bit(float v) {
        if (!(v > 0f)) return 0; // also NaN
        if (v >= 1f) return 255;
        return (int) (v * 255f + 0.5f);
    }

    /** Writes {@code image} to {@code file} as an 8-bit RGB PNG, atomically (see {@link #toBufferedImage}). */
    public static void write(Path file, RgbImage image) throws IOException {
        write(file, toBufferedImage(image));
    }

    /** Writes a rendered {@code image} (a grid, a plot) to {@code file} as PNG, atomically. */
    public static void write(Path file, BufferedImage image) throws IOException {
        // A memory-cached stream: ImageIO's default caches in a file of its own under java.io.tmpdir, which a kill
        // leaves behind and whose closer thread fails noisily at exit after a write error. The PNG writer wraps
        // a failing stream's IOException (a full disk, naming the file: AtomicFiles) in a text-only one: unwrap it.
        AtomicFiles.write(file, out -> {
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", ios)) throw new IOException(
                        "image %s: no PNG writer for image type %d".formatted(file, image.getType()));
            } catch (javax.imageio.IIOException e) {
                throw e.getCause() instanceof IOException cause ? cause : e;
            }
        });
    }
}
