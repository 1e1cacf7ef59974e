package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Guards the JIT cliff of toolchain.md §1.5 without timing anything: a kernel method that C1 gives up on
 * ("COMPILE SKIPPED: out of virtual registers") stays at tier 2 for good under tiered compilation and
 * runs ~200x slower. A child JVM runs {@link KernelCompileProbe} with -XX:+PrintCompilation, and the
 * test fails on any skipped compile of a dev.posenc.kernels method, except the transient kind that the
 * JIT retries by itself ("concurrent class loading": a class was still loading while C2 worked).
 */
class JitCliffTest {
    /** The probe runs ~0.3 s per exercise, about 45 of them; this bounds a hung child. */
    static final long TIMEOUT_SECONDS = 120;

    /** Skip reasons that are retried by the JIT, so they strand nothing. */
    static final List<String> TRANSIENT_SKIPS = List.of("concurrent class loading");

    @Test
    void noKernelMethodIsSkippedByTheJit() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), KernelCompileProbe.class.getName())
                .redirectErrorStream(true).start();
        // Read to the end before waiting: a full pipe would block the child.
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, child.exitValue(), () -> "probe failed:\n" + tail(output));
        assertTrue(output.contains("probe: "), () -> "probe ran no exercise:\n" + tail(output));
        List<String> skipped = output.lines()
                .filter(l -> l.contains("COMPILE SKIPPED") && l.contains("dev.posenc.kernels."))
                .filter(l -> TRANSIENT_SKIPS.stream().noneMatch(l::contains))
                .toList();
        assertTrue(skipped.isEmpty(), () -> "the JIT gave up on kernel methods (they stay slow):\n"
                + String.join("\n", skipped));
    }

    private static String tail(String s) { return s.length() <= 4000 ? s : s.substring(s.length() - 4000); }
}
