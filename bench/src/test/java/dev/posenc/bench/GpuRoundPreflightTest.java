package dev.posenc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/gpu-round.sh on a machine that cannot run the round (issue 14): it must stop at the preflight within a
 * minute, exit 3 and say why, with its log in $OUT. No GPU needed: the cases are no driver at all, and a stub
 * nvidia-smi reporting a driver older than R580.
 */
class GpuRoundPreflightTest {
    /** The bound: a round that cannot run says so within a minute. */
    private static final long LIMIT_SECONDS = 60;

    private record Outcome(int code, String output) {}

    private static Outcome run(Path out, String path) throws IOException, InterruptedException {
        Path script = Path.of("..", "bench", "gpu-round.sh").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "run").redirectErrorStream(true);
        pb.environment().put("PATH", path);
        pb.environment().put("OUT", out.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS), "gpu-round.sh run took over a minute");
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutADriverTheRoundStopsAtOnceAndSaysWhy(@TempDir Path dir) throws Exception {
        Outcome o = run(dir, "/usr/bin:/bin");
        assertEquals(3, o.code(), o.output());
        assertTrue(o.output().contains("no nvidia-smi on PATH"), o.output());
        assertTrue(Files.readString(dir.resolve("preflight.log")).contains("no NVIDIA driver"));
    }

    @Test
    void anOldDriverIsRefusedByName(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, """
                #!/bin/sh
                if [ "$1" = "--query-gpu=name,driver_version,memory.total" ]; then echo "NVIDIA H100, 535.104.05, 81559 MiB"
                else echo "| Driver Version: 535.104.05   CUDA Version: 12.2 |"; fi
                """);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Outcome o = run(dir.resolve("out"), bin + ":/usr/bin:/bin");
        assertEquals(3, o.code(), o.output());
        assertTrue(o.output().contains("CUDA (driver API) 12.2"), o.output());
        assertTrue(o.output().contains("driver 535.104.05 is older than R580"), o.output());
    }
}
