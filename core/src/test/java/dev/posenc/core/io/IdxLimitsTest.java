package dev.posenc.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** IDX headers that declare more than the file holds: refused before the pixels are allocated. */
class IdxLimitsTest {
    @TempDir Path dir;
    /** A 16-byte file justifies a few buffers, not the 1.8 GB its header declares. */
    static final long ALLOWED_HEAP = 4L << 20;

    @Test
    void headerDeclaringGigabytesIsRefusedBeforeAllocating() throws Exception {
        Path file = Files.write(dir.resolve("edited-images"), IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {20000, 300, 300},
                new byte[0]));
        IOException[] thrown = new IOException[1];
        long allocated = HostileInputs.allocatedBy(() -> thrown[0] = assertThrows(IOException.class,
                () -> Idx.readImages(file)));
        assertTrue(allocated < ALLOWED_HEAP, "allocated %,d bytes for a 16-byte file".formatted(allocated));
        assertTrue(thrown[0].getMessage().contains(file.toString()) && thrown[0].getMessage().contains("truncated: expected 1800000000 bytes for the header"),
                thrown[0].getMessage());
    }

    @Test
    void gzippedHeaderDeclaringGigabytesAllocatesOnlyWhatArrives() throws Exception {
        Path file = Files.write(dir.resolve("edited-images.gz"), IdxTest.gzip(IdxTest.idx(Idx.IMAGES_MAGIC,
                new int[] {20000, 300, 300}, new byte[1000])));
        long allocated = HostileInputs.allocatedBy(() -> assertThrows(IOException.class, () -> Idx.readImages(file)));
        assertTrue(allocated < ALLOWED_HEAP, "allocated %,d bytes for a %d-byte file".formatted(allocated,
                Files.size(file)));
    }

    @Test
    void sizesWhoseProductOverflowsAreRefusedByName() throws IOException {
        int max = Integer.MAX_VALUE;
        Path file = Files.write(dir.resolve("overflow"), IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {max, max, max},
                new byte[0]));
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void labelCountBeyondTheFileIsRefusedBeforeAllocating() throws Exception {
        Path file = Files.write(dir.resolve("edited-labels"), IdxTest.idx(Idx.LABELS_MAGIC, new int[] {2_000_000_000},
                new byte[3]));
        long allocated = HostileInputs.allocatedBy(() -> assertThrows(IOException.class, () -> Idx.readLabels(file)));
        assertTrue(allocated < ALLOWED_HEAP, "allocated %,d bytes for an 11-byte file".formatted(allocated));
    }
}
