package dev.posenc.core.io;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al. 1998), plain or gzipped.
 *
 * <p>Layout, all integers big-endian: a 4-byte magic {@code 00 00 08 n} (0x08 = unsigned bytes, n = number of
 * dimensions), then n int32 sizes, then the data, row-major, one unsigned byte per element. Images are
 * {@value #IMAGES_MAGIC} = 0x00000803 (count, rows, cols); labels are {@value #LABELS_MAGIC} = 0x00000801 (count).
 * A file that starts with the gzip magic 1f 8b is inflated on the fly, whatever its name.
 *
 * <p>Every error is an {@link IOException} naming the file and what is wrong: a wrong magic (and which IDX kind it
 * is when it is the other one), a truncated file, a corrupt gzip stream, bytes past the declared data, or images
 * and labels whose counts differ. A {@code limit} reads only the first n items (and then ignores what follows).
 */
public final class Idx {
    private Idx() {}

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** No limit: read every item the header declares. */
    public static final int ALL = Integer.MAX_VALUE;

    /** {@code count} images of rows × cols unsigned bytes, row-major, image after image. Not copied: owned. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public Images {
            if ((long) count * rows * cols != pixels.length) throw new IllegalArgumentException(
                    "images: pixels: expected %d × %d × %d bytes, got %d".formatted(count, rows, cols, pixels.length));
        }

        /** Pixel (r, c) of image i, as the unsigned byte 0..255. */
        public int pixel(int i, int r, int c) { return Byte.toUnsignedInt(pixels[(i * rows + r) * cols + c]); }

        /** Every pixel as a float in [0, 1] (byte / 255), shape (count, rows, cols), allocated in {@code arena}. */
        public Tensor toTensor(Arena arena) {
            Tensor t = Tensor.zeros(arena, Shape.of(count, rows, cols));
            for (int i = 0; i < pixels.length; i++) t.set(i, Byte.toUnsignedInt(pixels[i]) / 255f);
            return t;
        }
    }

    /** Images and their labels, of one count. */
    public record Dataset(Images images, int[] labels) {
        public int size() { return labels.length; }
    }

    public static Images readImages(Path file) throws IOException { return readImages(file, ALL); }

    /** The first min(limit, count) images of an IDX image file (magic 0x00000803). */
    public static Images readImages(Path file, int limit) throws IOException {
        requireLimit(limit);
        try (DataInputStream in = open(file)) {
            int[] dims = header(file, in, IMAGES_MAGIC);
            int n = Math.min(limit, dims[0]), rows = dims[1], cols = dims[2];
            String what = "%d images of %d × %d".formatted(n, rows, cols);
            long bytes = SizeCheck.product(file, "the header's " + what, n, rows, cols);
            if (bytes > Integer.MAX_VALUE - 8) throw corrupt(file,
                    "%s do not fit one array; pass a limit".formatted(what));
            requireInFile(file, 16, "the header's " + what, bytes);
            byte[] pixels = body(file, in, (int) bytes, what);
            if (n == dims[0]) requireEnd(file, in);
            return new Images(n, rows, cols, pixels);
        }
    }

    public static int[] readLabels(Path file) throws IOException { return readLabels(file, ALL); }

    /** The first min(limit, count) labels of an IDX label file (magic 0x00000801), as ints 0..255. */
    public static int[] readLabels(Path file, int limit) throws IOException {
        requireLimit(limit);
        try (DataInputStream in = open(file)) {
            int declared = header(file, in, LABELS_MAGIC)[0], n = Math.min(limit, declared);
            requireInFile(file, 8, "the header's %d labels".formatted(n), n);
            byte[] raw = body(file, in, n, n + " labels");
            if (n == declared) requireEnd(file, in);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = Byte.toUnsignedInt(raw[i]);
            return labels;
        }
    }

    /** An image file and its label file, whose declared counts must agree; the first min(limit, count) of each. */
    public static Dataset read(Path images, Path labels, int limit) throws IOException {
        int imageCount = declaredCount(images, IMAGES_MAGIC), labelCount = declaredCount(labels, LABELS_MAGIC);
        if (imageCount != labelCount) throw new IOException("%s: %d images, but %s has %d labels"
                .formatted(images, imageCount, labels, labelCount));
        return new Dataset(readImages(images, limit), readLabels(labels, limit));
    }

    /** The item count a file's header declares, after checking its magic; reads nothing more. */
    public static int declaredCount(Path file, int magic) throws IOException {
        try (DataInputStream in = open(file)) {
            return header(file, in, magic)[0];
        }
    }

    // ---------------------------------------------------------------- pieces

    private static void requireLimit(int limit) {
        if (limit < 0) throw new IllegalArgumentException("idx: limit: expected >= 0, got " + limit);
    }

    /**
     * Checks the data the header declares against the file's length before anything is allocated for it: the
     * bytes after the header in a plain file, or what a gzip stream of the file's length can inflate to at most
     * ({@link SizeCheck#deflateBound}). {@link #body} then reads in growing chunks, so even within that bound it
     * allocates what actually arrives, not what was declared.
     */
    private static void requireInFile(Path file, int headerBytes, String field, long bytes) throws IOException {
        long size = Files.size(file);
        if (isGzip(file)) SizeCheck.withinFile(file, field + " (inflated)", bytes, SizeCheck.deflateBound(size));
        else SizeCheck.withinFile(file, field, bytes, size - headerBytes);
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** A stream over the IDX bytes: inflated when the file starts with the gzip magic 1f 8b. */
    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try {
                    raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
                } catch (ZipException | EOFException e) {
                    throw corrupt(file, "corrupt gzip header (" + e.getMessage() + ")");
                }
            }
            return new DataInputStream(raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Checks the magic and returns the dimensions (each ≥ 0). */
    private static int[] header(Path file, DataInputStream in, int magic) throws IOException {
        int found = readInt(file, in, "the 4-byte magic");
        if (found != magic) {
            String kind = found == IMAGES_MAGIC ? " (an IDX image file)"
                    : found == LABELS_MAGIC ? " (an IDX label file)" : "";
            throw corrupt(file, "expected IDX %s magic 0x%08x, got 0x%08x%s".formatted(
                    magic == IMAGES_MAGIC ? "images" : "labels", magic, found, kind));
        }
        int[] dims = new int[magic & 0xff];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = readInt(file, in, "dimension " + i + " of the header");
            if (dims[i] < 0) throw corrupt(file, "dimension %d is negative: %d".formatted(i, dims[i]));
        }
        return dims;
    }

    private static int readInt(Path file, DataInputStream in, String what) throws IOException {
        byte[] b = body(file, in, 4, what);
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** Exactly {@code n} bytes, or an error saying the file is truncated (or its gzip stream corrupt). */
    private static byte[] body(Path file, DataInputStream in, int n, String what) throws IOException {
        byte[] b;
        try {
            b = in.readNBytes(n); // in chunks as the bytes arrive: never n bytes for a stream that ends early
        } catch (ZipException e) {
            throw corrupt(file, "corrupt gzip data while reading %s (%s)".formatted(what, e.getMessage()));
        } catch (EOFException e) {
            throw corrupt(file, "truncated gzip stream while reading %s (%s)".formatted(what, e.getMessage()));
        }
        if (b.length < n) throw corrupt(file, "truncated: expected %d bytes for %s, got %d".formatted(n, what, b.length));
        return b;
    }

    /** Nothing may follow the declared data: extra bytes mean the header's count is wrong. */
    private static void requireEnd(Path file, DataInputStream in) throws IOException {
        int extra;
        try {
            extra = in.read();
        } catch (ZipException | EOFException e) {
            throw corrupt(file, "corrupt gzip stream after the data (" + e.getMessage() + ")");
        }
        if (extra >= 0) throw corrupt(file, "bytes follow the data the header declares: its count is too small");
    }

    private static IOException corrupt(Path file, String what) { return new IOException(file + ": " + what); }
}
