package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.cuda.CudaBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {
    private static final int USAGE_ERROR = 2, RUN_ERROR = 1;

    /** What one CLI run printed and returned. */
    private record Outcome(int exit, String out, String err) {
        String describe() { return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    /** A computing subcommand that only records what it was handed. */
    @Command(name = "record")
    static final class Recorder implements BackendCommand {
        final List<String> seen = new ArrayList<>();

        @Override public int run(RunContext context) {
            seen.add("%s/%d/%b".formatted(context.backend().name(), context.backend().threads(), context.checkFinite()));
            return 0;
        }
    }

    /** A computing subcommand whose library call rejects its input. */
    @Command(name = "fail")
    static final class Failing implements BackendCommand {
        @Override public int run(RunContext context) {
            throw new IllegalArgumentException("w: expected (3, 2), got (3, 5)");
        }
    }

    @Command(name = "broken")
    static final class Broken implements BackendCommand {
        @Override public int run(RunContext context) {
            throw new IllegalStateException("slab overrun");
        }
    }

    private static Outcome run(String... args) { return run(null, args); }

    private static Outcome run(Object extra, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        if (extra != null) {
            cl.addSubcommand(extra);
            cl.setOut(new PrintWriter(out, true));     // again: a subcommand added later keeps System's streams
            cl.setErr(new PrintWriter(err, true));
        }
        int exit = cl.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    @Test
    void infoReportsRuntimeSimdThreadsAndCuda() {
        Outcome o = run("--threads", "3", "info");
        assertEquals(0, o.exit(), o::describe);
        assertAll(
                () -> assertTrue(o.out().contains("java      " + Runtime.version()), o::describe),
                () -> assertTrue(o.out().contains("float lanes"), o::describe),
                () -> assertTrue(o.out().contains("threads   3\n"), o::describe),
                () -> assertTrue(o.out().lines().anyMatch(l -> l.startsWith("cuda ")), o::describe),
                () -> assertEquals("", o.err(), o::describe));
    }

    @Test
    void infoStillAnswersWhenCudaIsChosen() {
        Outcome o = run("--backend", "cuda", "info");
        assertEquals(0, o.exit(), o::describe);
        assertTrue(o.out().contains("backend   cuda"), o::describe);
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("kernels ")), o::describe);
    }

    @Test
    void computingCommandGetsTheBackendBuiltFromTheOptions() {
        var recorder = new Recorder();
        Outcome o = run(recorder, "--threads", "3", "--check-finite", "record");
        assertEquals(0, o.exit(), o::describe);
        assertEquals(List.of("cpu/3/true"), recorder.seen);
    }

    @Test
    void cudaBackendIsRefusedWithItsReasonWhereThereIsNoGpu() {
        Assumptions.assumeTrue(CudaBackend.open(false) instanceof CudaBackend.Unavailable, "a GPU is usable here");
        var recorder = new Recorder();
        Outcome o = run(recorder, "--backend", "cuda", "record");
        assertEquals(USAGE_ERROR, o.exit(), o::describe);
        assertTrue(recorder.seen.isEmpty(), "the command must not run");
        assertTrue(o.err().contains("'--backend': cuda is not usable here: "), o::describe);
    }

    @Test
    void badOptionValuesNameTheOptionExpectedAndActual() {
        Outcome zero = run("--threads", "0", "info");
        assertEquals(USAGE_ERROR, zero.exit(), zero::describe);
        assertTrue(zero.err().contains("--threads: expected an integer in [1, 1024], got 0"), zero::describe);

        Outcome word = run("--threads", "many", "info");
        assertEquals(USAGE_ERROR, word.exit(), word::describe);
        assertTrue(word.err().contains("'--threads'") && word.err().contains("'many'"), word::describe);

        Outcome gpu = run("--backend", "gpu", "info");
        assertEquals(USAGE_ERROR, gpu.exit(), gpu::describe);
        assertTrue(gpu.err().contains("'--backend'") && gpu.err().contains("[cpu, cuda]")
                && gpu.err().contains("'gpu'"), gpu::describe);
    }

    @Test
    void gradcheckPrintsEveryOpAndPasses() {
        Outcome o = run("--threads", "1", "gradcheck");
        assertEquals(0, o.exit(), o::describe);
        assertTrue(o.out().contains("fourier_features") && o.out().contains("matmul_tn"), o::describe);
        assertTrue(o.out().lines().anyMatch(l -> l.matches("(\\d+) of \\1 ops within .*")), o::describe);
    }

    @Test
    void unknownCommandListsTheAvailableOnes() {
        Outcome o = run("trian");
        assertEquals(USAGE_ERROR, o.exit(), o::describe);
        assertTrue(o.err().startsWith("posenc: unknown command 'trian'\n"), o::describe);
        assertTrue(o.err().contains("Available commands: fit-image, render, train-vit, compare-pe, compare-resolution, "
                + "train-boxes, analyze, info, gradcheck, "), o::describe);
        assertTrue(o.err().contains(", help (and through the ./posenc launcher: test, bench)."), o::describe);
    }

    @Test
    void missingCommandPrintsUsage() {
        Outcome o = run();
        assertEquals(USAGE_ERROR, o.exit(), o::describe);
        assertTrue(o.err().contains("missing command") && o.err().contains("Usage: posenc"), o::describe);
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Outcome o = run("--help");
        assertEquals(0, o.exit(), o::describe);
        for (String word : List.of("info", "help", "test", "bench", "--backend", "--threads", "--check-finite", "fit-image", "render",
                "train-vit", "compare-pe", "attention-scaling", "train-seq")) {
            assertTrue(o.out().contains(word), () -> word + " missing from\n" + o.describe());
        }
    }

    @Test
    void libraryErrorsBecomeOneLineAndExitOne() {
        Outcome o = run(new Failing(), "fail");
        assertEquals(RUN_ERROR, o.exit(), o::describe);
        assertEquals("posenc fail: w: expected (3, 2), got (3, 5)\n", o.err(), o::describe);

        Outcome traced = run(new Failing(), "--stacktrace", "fail");
        assertTrue(traced.err().contains("\tat "), traced::describe);
    }

    @Test
    void internalErrorsNameTheirClassAndPointToTheTrace() {
        Outcome o = run(new Broken(), "broken");
        assertEquals(RUN_ERROR, o.exit(), o::describe);
        assertEquals("posenc broken: IllegalStateException: slab overrun (rerun with --stacktrace for the trace)\n", o.err(),
                o::describe);
    }
}
