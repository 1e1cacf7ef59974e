package dev.posenc.models.examples;

import dev.posenc.core.Backend;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class FitYourOwnDataTest {
    @Test
    void trainsSavesAndLoadsTheSameModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("my-lff.safetensors");
        try (Backend backend = new CpuBackend(1)) {   // one thread: tiny kernels, no hand-offs to wait for
            FitYourOwnData.Result r = FitYourOwnData.run(backend, file, 40);   // main runs 300; 40 already cut the error 14-fold
            assertTrue(Files.size(file) > 0);
            // The targets have variance 0.08 per channel; an untrained model sits near it, a trained one far below.
            assertTrue(r.after() < r.before() / 10, r.toString());
            assertEquals(r.after(), r.loaded(), 0, "the loaded model predicts exactly what was saved: " + r);
        }
    }

    @Test
    void theReadmeShowsThisProgramVerbatim() throws IOException {
        // Tests run in the module's folder; everything from the imports on must appear in the README as is.
        String program = Files.readString(Path.of("src/test/java/dev/posenc/models/examples/FitYourOwnData.java"));
        String body = program.substring(program.indexOf("import ")).strip();
        assertTrue(Files.readString(Path.of("..", "README.md")).contains(body),
                "README.md's 'Using posenc from Java' must show FitYourOwnData.java from its imports on, unchanged");
    }
}
