package dev.posenc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;

class BenchMainTest {
    private static Options parse(String... args) {
        var main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main.options(List.of("dev.posenc.bench.MatmulBench"));
    }

    @Test
    void jmhKnobsReachTheRunnerOptions() {
        Options o = parse("matmul", "-f", "2", "-wi", "3", "-w", "500ms", "-i", "4", "-r", "2s", "-t", "1",
                "-p", "n=3,17", "-p", "impl=vector", "--jvm-arg=-XX:MaxVectorSize=32");
        assertEquals(2, o.getForkCount().get());
        assertEquals(3, o.getWarmupIterations().get());
        assertEquals(new TimeValue(500, TimeUnit.MILLISECONDS), o.getWarmupTime().get());
        assertEquals(4, o.getMeasurementIterations().get());
        assertEquals(TimeValue.seconds(2), o.getMeasurementTime().get());
        assertEquals(1, o.getThreads().get());
        assertEquals(List.of("3", "17"), List.copyOf(o.getParameter("n").get()));
        assertEquals(List.of("vector"), List.copyOf(o.getParameter("impl").get()));
        var forkFlags = new java.util.ArrayList<>(BenchMain.FORK_FLAGS);
        forkFlags.add("-XX:MaxVectorSize=32");
        assertTrue(forkFlags.contains("-XX:-TieredCompilation"), "forks must not run under tiered compilation");
        assertEquals(forkFlags, List.copyOf(o.getJvmArgsPrepend().get()), "user flags come after the fork flags");
        assertTrue(o.getJvmArgsAppend().hasValue() == false, "a benchmark's own jvmArgsAppend must stay in force");
        assertEquals(List.of(BenchSelection.includeRegex("dev.posenc.bench.MatmulBench")), o.getIncludes());
    }

    @Test
    void quickIsShortAndExplicitOptionsOverrideIt() {
        Options o = parse("matmul", "--quick", "-i", "5");
        assertEquals(1, o.getForkCount().get());
        assertEquals(2, o.getWarmupIterations().get());
        assertEquals(5, o.getMeasurementIterations().get());
        assertEquals(TimeValue.seconds(1), o.getMeasurementTime().get());
    }

    @Test
    void omittedKnobsLeaveTheBenchmarksAnnotationsInCharge() {
        Options o = parse("matmul");
        assertTrue(o.getForkCount().hasValue() == false && o.getMeasurementIterations().hasValue() == false);
    }

    @Test
    void badTimeNamesTheOption() {
        var err = new StringWriter();
        var cl = new CommandLine(new BenchMain());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("matmul", "-w", "soon"));
        assertTrue(err.toString().contains("warmup-time") && err.toString().contains("'soon'"), err::toString);
    }
}
