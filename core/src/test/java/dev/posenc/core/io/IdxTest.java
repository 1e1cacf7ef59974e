package dev.posenc.core.io;

import dev.posenc.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IdxTest {
    @TempDir Path dir;

    /** Debian's fashion-mnist package puts the four gzipped IDX files here. */
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    /** An IDX file: magic, big-endian dims, then the bytes. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // big-endian by default
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(raw);
        }
        return bytes.toByteArray();
    }

    Path write(String name, byte[] content) throws IOException { return Files.write(dir.resolve(name), content); }

    /** 3 images of 2 × 3: pixel bytes 0, 1, ..., 17 except the last, 255 (unsigned). */
    static byte[] pixels() {
        byte[] p = new byte[18];
        for (int i = 0; i < p.length; i++) p[i] = (byte) i;
        p[17] = (byte) 255;
        return p;
    }

    @Test
    void readsPlainAndGzippedImagesAlike() throws IOException {
        byte[] file = idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 3}, pixels());
        for (Path p : new Path[] {write("plain", file), write("zipped.gz", gzip(file)), write("zipped-no-suffix",
                gzip(file))}) {
            Idx.Images im = Idx.readImages(p);
            assertEquals(3, im.count(), p.toString());
            assertEquals(2, im.rows());
            assertEquals(3, im.cols());
            assertArrayEquals(pixels(), im.pixels());
            assertEquals(255, im.pixel(2, 1, 2), "bytes are unsigned");
            assertEquals(10, im.pixel(1, 1, 1)); // image 1 starts at byte 6; row 1 at +3; col 1 at +1
            try (Arena arena = Arena.ofConfined()) {
                Tensor t = im.toTensor(arena);
                assertEquals("(3, 2, 3)", t.shape().toString());
                assertEquals(1f, t.get(17), 0f);
                assertEquals(10 / 255f, t.get(10), 0f);
                assertEquals(0f, t.get(0), 0f);
            }
        }
    }

    @Test
    void limitReadsOnlyTheFirstItems() throws IOException {
        Path images = write("i.gz", gzip(idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 3}, pixels())));
        Path labels = write("l", idx(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {7, 0, (byte) 200}));
        Idx.Images two = Idx.readImages(images, 2);
        assertEquals(2, two.count());
        assertArrayEquals(Arrays.copyOf(pixels(), 12), two.pixels());
        assertArrayEquals(new int[] {7}, Idx.readLabels(labels, 1));
        assertArrayEquals(new int[] {7, 0, 200}, Idx.readLabels(labels, 99), "a limit past the count reads all");
        assertEquals(0, Idx.readLabels(labels, 0).length);
        Idx.Dataset d = Idx.read(images, labels, 2);
        assertEquals(2, d.size());
        assertEquals(2, d.images().count());
        assertThrows(IllegalArgumentException.class, () -> Idx.readLabels(labels, -1));
    }

    @Test
    void wrongMagicNamesThePathAndTheKind() throws IOException {
        Path labels = write("labels", idx(Idx.LABELS_MAGIC, new int[] {1}, new byte[] {1}));
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(labels));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000803") && e.getMessage().contains("label file"), e.getMessage());
        Path junk = write("junk", "hello, world".getBytes());
        e = assertThrows(IOException.class, () -> Idx.readLabels(junk));
        assertTrue(e.getMessage().contains("0x68656c6c"), e.getMessage()); // "hell" read as a big-endian int
    }

    @Test
    void truncatedFilesAreRejected() throws IOException {
        byte[] full = idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 3}, pixels());
        byte[] cut = Arrays.copyOf(full, full.length - 1);
        for (Path p : new Path[] {write("cut", cut), write("cut-zipped", gzip(cut))}) {
            IOException e = assertThrows(IOException.class, () -> Idx.readImages(p));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("truncated: expected 18 bytes"),
                    e.getMessage());
        }
        Path header = write("header-only", Arrays.copyOf(full, 6));
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(header));
        assertTrue(e.getMessage().contains("dimension 0"), e.getMessage());
        // The first two images are intact, so a limit of 2 still reads.
        assertEquals(2, Idx.readImages(write("cut2", cut), 2).count());
    }

    @Test
    void corruptGzipIsRejected() throws IOException {
        byte[] z = gzip(idx(Idx.LABELS_MAGIC, new int[] {40}, new byte[40]));
        byte[] cut = Arrays.copyOf(z, z.length / 2);             // the deflate stream ends early
        Path truncated = write("cut.gz", cut);
        IOException e = assertThrows(IOException.class, () -> Idx.readLabels(truncated));
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("gzip"), e.getMessage());
        byte[] badBlock = z.clone();
        badBlock[10] = (byte) 0xff;                 // first deflate block header: BTYPE 11 is reserved, invalid
        byte[] badCrc = z.clone();
        badCrc[z.length - 8] ^= 1;                  // the CRC-32 trailer no longer matches the data
        for (Path p : new Path[] {write("block.gz", badBlock), write("crc.gz", badCrc)}) {
            e = assertThrows(IOException.class, () -> Idx.readLabels(p));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("corrupt gzip"),
                    e.getMessage());
        }
    }

    @Test
    void mismatchedCountsAreRejected() throws IOException {
        Path images = write("i", idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 3}, pixels()));
        Path labels = write("l", idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}));
        IOException e = assertThrows(IOException.class, () -> Idx.read(images, labels, Idx.ALL));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
        Path longer = write("long", idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2, 3}));
        e = assertThrows(IOException.class, () -> Idx.readLabels(longer));
        assertTrue(e.getMessage().contains("bytes follow the data"), e.getMessage());
    }

    @Test
    void readsDebianFashionMnistTestSet() throws IOException {
        Path images = FASHION.resolve("t10k-images-idx3-ubyte.gz"),
                labels = FASHION.resolve("t10k-labels-idx1-ubyte.gz");
        assumeTrue(Files.isReadable(images) && Files.isReadable(labels),
                "Fashion-MNIST not installed at " + FASHION + " (Debian package fashion-mnist)");
        Idx.Dataset d = Idx.read(images, labels, Idx.ALL);
        assertEquals(10000, d.size());
        assertEquals(10000, d.images().count());
        assertEquals(28, d.images().rows());
        assertEquals(28, d.images().cols());
        int[] perClass = new int[10];
        for (int l : d.labels()) {
            assertTrue(l >= 0 && l < 10, "label " + l);
            perClass[l]++;
        }
        for (int c = 0; c < 10; c++) assertEquals(1000, perClass[c], "the test set is balanced: class " + c);
        int max = 0;
        for (byte b : d.images().pixels()) max = Math.max(max, Byte.toUnsignedInt(b));
        assertEquals(255, max, "pixels span the full byte range");
    }
}
