package dev.posenc.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void writeReplacesTheWholeFile() throws IOException {
        Path file = dir.resolve("out.txt");
        Files.writeString(file, "a much longer old content that must not survive as a tail");
        AtomicFiles.writeString(file, "new ü");
        assertEquals("new ü", Files.readString(file, StandardCharsets.UTF_8));
        assertOnly(file);
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half of the new con".getBytes(StandardCharsets.UTF_8));
            throw new IOException("encoder failed");
        }));
        assertEquals("encoder failed", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertOnly(file);
    }

    @Test
    void failedPngEncodingLeavesTheOldImage() throws IOException {
        Path file = dir.resolve("grid.png");
        Png.write(file, new RgbImage(1, 1, new float[] {1, 0, 0}));
        byte[] old = Files.readAllBytes(file);
        assertThrows(RuntimeException.class, () -> AtomicFiles.write(file, out -> {
            out.write(old, 0, 10);
            throw new IllegalStateException("renderer crashed");
        }));
        assertArrayEquals(old, Files.readAllBytes(file));
        assertOnly(file);
    }

    private void assertOnly(Path file) throws IOException {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may be left behind");
        }
    }
}
