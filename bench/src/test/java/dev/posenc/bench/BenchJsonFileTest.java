package dev.posenc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchJsonFileTest {
    @TempDir Path dir;

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryBehind() throws IOException {
        Path file = dir.resolve("nested/out.json");
        var first = BenchRecord.of("A.b", "avgt", Map.of("n", "3"), 1.5, 0.5, "ms/op", new double[] {1, 2});
        BenchJson.write(file, List.of(first));
        BenchJson.write(file, List.of());
        assertEquals("[\n]\n", Files.readString(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
