package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Guards against vector boxing in compiled kernels without timing anything: a child JVM runs
 * {@link KernelAllocationProbe} (C2 only, as the launcher runs the CLI) and the test fails when a kernel call
 * allocates more than its budget once compiled. Boxing allocates per loop pass (a 7 × 7 depthwise backward boxed
 * 70 KB per call, and ran the Vector API's Java fallback on the boxed vectors, before its lane sums were folded
 * from stored lanes), so it is far above the budgets, which only leave room for the small per-call arrays some
 * kernels keep on purpose. The child measures each kernel in rounds (up to 8 s) and keeps the least, so a kernel that a
 * loaded machine had not compiled yet (the interpreter allocates per vector op) does not fail the test.
 */
class KernelAllocationTest {
    static final long TIMEOUT_SECONDS = 240;
    /**
     * Each exercise's warm-up in the child: C2 has compiled even the kernels with few calls per second by then
     * (0.7 s left batch norm's backward interpreted, at 1.2 MB per call).
     */
    static final long WARM_MILLIS = 1200;
    /**
     * Families checked: the row-wise ops of the training steps, attention, Fourier features and the DARTS toy's
     * convolutions (the element-wise family streams without reductions and adds a minute of warm-ups; run the probe
     * by hand for it).
     */
    static final List<String> FAMILIES = List.of("conv", "reductions", "fourier", "attention");
    /** Bytes a compiled call may allocate: lambdas, a few segment views, a weight array copied per call. */
    static final long DEFAULT_BUDGET = 4096;
    /** Kernels that allocate per-task work arrays on purpose, budgeted at about twice what they allocate. */
    static final Map<String, Long> BUDGETS = Map.of(
            "conv2d 3x3 16x7", 56_000L,                 // ConvDirect: packed weights, accumulator block
            "conv2dBackward 3x3 16x7", 92_000L,         // the same, for dx and dw
            "avgPool2dBackward 3x3 16x7", 88_000L,      // PoolSame: per-task plane buffers
            "maxPool2dWithArgmax 3x3 16x7", 72_000L,    // PoolSame: per-task best and argmax
            "fourierBackward", 33_000L,                 // FourierCpu: per-chunk row buffers
            "attentionForward 4x70x33", 230_000L,       // AttentionCpu: per-task score, max, sum, output blocks
            "attentionBackward 4x70x33", 16_000L);      // AttentionCpu: row terms, per-task probability rows
    /**
     * Kernels that box vectors in compiled code in some runs, not fixed: JFR puts the boxes in C2-compiled, inlined
     * Vector API frames (bench/RESULTS.md, session 8), and how much changes with what else was compiled first (batch
     * norm's backward anywhere from 0.5 KB to 1.18 MB per call), so no budget for them would be stable: the probe skips
     * them (`java ... KernelAllocationProbe conv` without -Dskip prints their figures). Each is open work; remove it
     * when fixed. Softmax, log-softmax, cross-entropy, attention and layer norm's backward left this list in session 9,
     * when their lane sums moved into Lanes.scratch (0 to 2.1 KB per call in every probe run since, per-task arrays
     * aside).
     */
    static final Set<String> KNOWN_BOXING = Set.of("unary GELU_ERF",
            "batchNorm2dBackward 16x7");   // 0.5 KB, 99 KB or 1.18 MB per call, by what else was compiled first

    @Test
    void compiledKernelsAllocateNoMoreThanTheirBudget() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-XX:-TieredCompilation", "-DwarmMillis=" + WARM_MILLIS,
                "-Dskip=" + String.join("|", KNOWN_BOXING),
                "-cp", System.getProperty("java.class.path"), KernelAllocationProbe.class.getName()));
        command.addAll(FAMILIES);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, child.exitValue(), () -> "probe failed:\n" + output);
        List<String[]> rows = output.lines().filter(l -> l.startsWith("alloc: "))
                .map(l -> l.substring("alloc: ".length()).split(": ")).toList();
        assertTrue(rows.size() > 15, () -> "probe measured too few kernels:\n" + output);
        StringBuilder over = new StringBuilder();
        for (String[] r : rows) {
            long bytes = Long.parseLong(r[2]), budget = BUDGETS.getOrDefault(r[1], DEFAULT_BUDGET);
            if (bytes > budget)
                over.append("\n  %s %s: %d bytes per call (budget %d)".formatted(r[0], r[1], bytes, budget));
        }
        assertTrue(over.isEmpty(), () -> "compiled kernels allocating past their budget (vector boxing?):" + over);
    }
}
