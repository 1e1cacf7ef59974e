package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.models.report.ResultsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output folders are checked before any training, stale temporary files of killed runs are cleaned, and a
 * rerun that does not finish leaves the complete results of the run before it alone (issue 10, findings 7, 9).
 */
class OutputFoldersTest {
    @TempDir Path dir;

    private static String[] fit(Path out, String... more) { return fit(out, 3, more); }

    private static String[] fit(Path out, int steps, String... more) {
        return Stream.concat(Stream.of("--threads", "2", "fit-image", "--size", "16", "--steps", Integer.toString(steps),
                "--lff-features", "16", "--out", out.toString()), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void anUnwritableOutputFolderIsNamedBeforeAnyTraining() {
        // /proc exists and is a folder, but no one (root included) can create a file in it
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc: an unwritable folder");
        for (String option : List.of("--out", "--save")) {
            String[] args = option.equals("--out") ? fit(Path.of("/proc"), "--encodings", "none")
                    : fit(dir.resolve("o"), "--encodings", "none", "--save", "/proc");
            CliRun o = CliRun.of(args);
            assertEquals(1, o.exit(), o::describe);
            assertTrue(o.err().contains(option + ": cannot write in the folder /proc"), o::describe);
            assertFalse(o.err().contains(".tmp"), () -> "names the folder, not a hidden temporary file\n" + o.describe());
            assertFalse(o.out().contains("steps in"), () -> "nothing trained\n" + o.describe());
        }
        Path file = dir.resolve("a-file");
        CliRun o = CliRun.of(fit(write(file), "--encodings", "none"));
        assertEquals(1, o.exit(), o::describe);
        assertTrue(o.err().contains("--out: expected a folder, got the file " + file), o::describe);
    }

    @Test
    void staleTemporaryFilesOfAKilledRunAreRemovedByTheNextRun() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path stale = write(out.resolve(".results.csv.0123456789abcdef.tmp"));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path mine = write(out.resolve(".notes.tmp"));              // not of AtomicFiles' pattern: the user's
        CliRun o = CliRun.of(fit(out, "--encodings", "none"));
        assertEquals(0, o.exit(), o::describe);
        assertFalse(Files.exists(stale), o::describe);
        assertTrue(Files.exists(mine), o::describe);
    }

    @Test
    void aRerunThatStopsEarlyLeavesTheCompleteResultsAndKeepsItsOwnApart() throws IOException {
        Path out = dir.resolve("out"), models = dir.resolve("models");
        CliRun complete = CliRun.of(fit(out, "--encodings", "none,gaussian", "--save", models.toString()));
        assertEquals(0, complete.exit(), complete::describe);
        String csv = Files.readString(out.resolve(ResultsWriter.CSV_NAME));
        byte[] gaussian = Files.readAllBytes(models.resolve("gaussian.safetensors")),
                none = Files.readAllBytes(models.resolve("none.safetensors"));
        assertFalse(Files.exists(out.resolve("partial")), complete::describe);

        // none survives lr 1e6 (its loss stays finite); lff diverges: the rerun stops after one encoding
        CliRun rerun = CliRun.of(fit(out, 40, "--encodings", "none,lff", "--lr", "1e6", "--save",
                models.toString()));
        assertEquals(1, rerun.exit(), rerun::describe);
        assertEquals(csv, Files.readString(out.resolve(ResultsWriter.CSV_NAME)), "the complete run's table stays");
        assertTrue(java.util.Arrays.equals(none, Files.readAllBytes(models.resolve("none.safetensors"))),
                "the complete run's models stay beside its table");
        assertTrue(java.util.Arrays.equals(gaussian, Files.readAllBytes(models.resolve("gaussian.safetensors"))));
        List<String> partial = Files.readAllLines(out.resolve("partial").resolve(ResultsWriter.CSV_NAME));
        assertEquals(2, partial.size(), partial::toString);
        assertTrue(partial.get(1).startsWith("none,"), partial::toString);
        assertTrue(Files.isRegularFile(models.resolve("partial").resolve("none.safetensors")), rerun::describe);
        assertTrue((rerun.out() + rerun.err()).contains(out.resolve("partial").toString()), () -> "says where the finished part is\n" + rerun.describe());
    }

    private static Path write(Path file) {
        try {
            return Files.writeString(file, "x");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
