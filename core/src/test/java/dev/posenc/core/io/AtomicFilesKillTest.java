package dev.posenc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kill leaves (issue 10, finding 9): a JVM stopped by SIGTERM or Ctrl-C removes its temporary files;
 * those of a SIGKILL are removed by the next run's {@link AtomicFiles#removeStale}; failures name the file or
 * folder, never the hidden temporary file.
 */
class AtomicFilesKillTest {
    @TempDir Path dir;

    /** The child JVM: starts a write into args[0]/results.csv and hangs in it until killed. */
    public static void main(String[] args) throws IOException {
        AtomicFiles.write(Path.of(args[0]).resolve("results.csv"), out -> {
            out.write("encoding,half".getBytes());
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aTerminatedJvmLeavesNoTemporaryFile() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AtomicFilesKillTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("writing", r.readLine());
            assertEquals(1, tempFiles().size(), "the write is under way");
            p.destroy();                                    // SIGTERM: what Ctrl-C and kill send
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), tempFiles(), "the shutdown hook removed the temporary file");
        assertFalse(Files.exists(dir.resolve("results.csv")));
    }

    @Test
    void staleTemporaryFilesAreRemovedAndOthersKept() throws IOException {
        long me = ProcessHandle.current().pid(), gone = 999_999_999;        // above Linux's pid_max (2^22)
        Path killed = Files.writeString(dir.resolve(".grid.png.%d.00000000deadbeef.tmp".formatted(gone)), "x");
        Path live = Files.writeString(dir.resolve(".grid.png.%d.00000000feedbeef.tmp".formatted(me)), "x");
        Path old = Files.writeString(dir.resolve(".grid.png.00000000deadbeef.tmp"), "x");       // no pid: by age
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(dir.resolve(".grid.png.00000000feedbeef.tmp"), "x");
        Path user = Files.writeString(dir.resolve(".my.tmp"), "x");
        Files.setLastModifiedTime(user, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertEquals(2, AtomicFiles.removeStale(dir));
        assertFalse(Files.exists(killed) || Files.exists(old));
        assertTrue(Files.exists(live) && Files.exists(fresh) && Files.exists(user));
    }

    @Test
    void anUnwritableFolderIsNamedNotTheTemporaryFile() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc: an unwritable folder");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(Path.of("/proc/results.csv"), "x"));
        assertTrue(e.getMessage().startsWith("/proc/results.csv: cannot write in the folder /proc: "), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    private List<Path> tempFiles() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
