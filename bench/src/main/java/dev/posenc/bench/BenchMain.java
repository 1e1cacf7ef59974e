package dev.posenc.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./posenc bench NAME...}: runs the named JMH benchmarks through JMH's {@link Runner}, prints their
 * results as a table ({@link BenchTable}) and, with {@code --json}, stores them ({@link BenchJson}). Names
 * are resolved by {@link BenchSelection} against the benchmark list JMH compiled into this jar. Options the
 * user leaves out keep what each benchmark's annotations say; {@code --quick} replaces those with a short run.
 */
@Command(name = "posenc bench", sortOptions = false, usageHelpAutoWidth = true,
        description = "Run JMH benchmarks by name (case-insensitive class-name prefix: matmul, fourier, fma ...).",
        footer = {"%nExamples:", "  ./posenc bench matmul --quick", "  ./posenc bench fourier -p n=4096,65536 --json out/fourier.json"})
public final class BenchMain implements Callable<Integer> {
    /** --quick: one fork, two 1 s warmups, three 1 s measurements; about 6 s per parameter set. */
    private static final int QUICK_FORKS = 1, QUICK_WARMUPS = 2, QUICK_ITERATIONS = 3;
    private static final TimeValue QUICK_TIME = TimeValue.seconds(1);

    /**
     * Every fork needs the Vector API and native access; JMH's own Unsafe use would warn on each fork.
     * Tiered compilation off, as the launcher runs every compute JVM: under tiered compilation the matmul
     * kernels spent ~10 s at a third of their speed, allocating boxed vectors, before C2 took over
     * (measured with -prof gc; see bench/RESULTS.md). Pass --jvm-arg=-XX:+TieredCompilation to see it. G1 as the
     * launcher uses it: a fork that sees one CPU (taskset) would otherwise get the Serial collector, under which
     * the 1024³ product ran at half speed (bench/RESULTS.md, session 9).
     */
    static final List<String> FORK_FLAGS = List.of("--add-modules=jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:-TieredCompilation",
            "-XX:+UseG1GC");

    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Benchmarks to run, e.g. matmul fourier fma.")
    private List<String> names = new ArrayList<>();

    @Option(names = "--list", description = "List the available benchmark classes and exit.")
    private boolean list;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE (atomically).")
    private Path json;

    @Option(names = "--quick", description = "A short run for a first look: 1 fork, 2 warmup and 3 measurement iterations of 1 s.")
    private boolean quick;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", description = "Forked JVMs per benchmark.")
    private Integer forks;

    @Option(names = {"-wi", "--warmup-iterations"}, paramLabel = "N", description = "Warmup iterations.")
    private Integer warmupIterations;

    @Option(names = {"-w", "--warmup-time"}, paramLabel = "TIME", converter = TimeConverter.class,
            description = "Time per warmup iteration, e.g. 500ms, 1s.")
    private TimeValue warmupTime;

    @Option(names = {"-i", "--iterations"}, paramLabel = "N", description = "Measurement iterations.")
    private Integer iterations;

    @Option(names = {"-r", "--time"}, paramLabel = "TIME", converter = TimeConverter.class,
            description = "Time per measurement iteration, e.g. 500ms, 1s.")
    private TimeValue time;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Benchmark threads (JMH's, not the backend's).")
    private Integer threads;

    @Option(names = "-p", paramLabel = "KEY=V1,V2", mapFallbackValue = "",
            description = "Override a @Param: run every listed value, e.g. -p n=4096,65536. Repeatable.")
    private Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--jvm-arg", paramLabel = "ARG", description = "Add a JVM option to the forks, e.g. --jvm-arg=-XX:MaxVectorSize=32. Repeatable.")
    private List<String> jvmArgs = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true), err = new PrintWriter(System.err, true);
        CommandLine cl = new CommandLine(new BenchMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, args1) -> {
            e.getCommandLine().getErr().println("posenc bench: " + e.getMessage());
            e.getCommandLine().getErr().println("See './posenc bench --help'.");
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, failed, parse) -> {
            // JMH's RunnerException already says which benchmark failed and why; its trace adds nothing
            failed.getErr().println("posenc bench: " + e.getMessage());
            return failed.getCommandSpec().exitCodeOnExecutionException();
        });
        System.exit(cl.execute(args));
    }

    @Override public Integer call() throws RunnerException, java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> available = availableBenchmarks();
        if (list || names.isEmpty()) {
            if (names.isEmpty() && !list) {
                spec.commandLine().getErr().println("posenc bench: name at least one benchmark to run; available: "
                        + String.join(", ", BenchSelection.simpleNames(available)));
                return spec.exitCodeOnInvalidInput();
            }
            BenchSelection.simpleNames(available).forEach(out::println);
            return 0;
        }
        List<String> classes;
        try {
            classes = BenchSelection.resolve(available, names);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (var entry : params.entrySet()) {
            if (entry.getValue().isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '-p': expected KEY=V1,V2, got '" + entry.getKey() + "'");
        }

        Collection<RunResult> results = new Runner(options(classes)).run();
        List<BenchRecord> records = results.stream().map(BenchRecord::of).toList();
        out.println();
        out.print(BenchTable.format(records));
        if (json != null) {
            BenchJson.write(json, records);
            out.println("wrote " + records.size() + " result(s) to " + json);
        }
        out.flush();
        return 0;
    }

    /** JMH options for the selected classes: the user's knobs over --quick over the annotations. */
    org.openjdk.jmh.runner.options.Options options(List<String> classes) {
        ChainedOptionsBuilder ob = new OptionsBuilder().shouldFailOnError(true);
        classes.forEach(c -> ob.include(BenchSelection.includeRegex(c)));
        if (quick) {
            ob.forks(QUICK_FORKS).warmupIterations(QUICK_WARMUPS).warmupTime(QUICK_TIME)
                    .measurementIterations(QUICK_ITERATIONS).measurementTime(QUICK_TIME);
        }
        if (forks != null) ob.forks(forks);
        if (warmupIterations != null) ob.warmupIterations(warmupIterations);
        if (warmupTime != null) ob.warmupTime(warmupTime);
        if (iterations != null) ob.measurementIterations(iterations);
        if (time != null) ob.measurementTime(time);
        if (threads != null) ob.threads(threads);
        params.forEach((key, values) -> ob.param(key, values.split(",")));
        // Prepended, not appended: options given here replace a benchmark's own @Fork(jvmArgsAppend = ...),
        // which holds its module flags. So every fork gets the flags it needs, then the user's.
        List<String> forkArgs = new ArrayList<>(FORK_FLAGS);
        forkArgs.addAll(jvmArgs);
        ob.jvmArgsPrepend(forkArgs.toArray(String[]::new));
        return ob.build();
    }

    /** The benchmark classes JMH's annotation processor listed in this jar's META-INF/BenchmarkList. */
    private static List<String> availableBenchmarks() {
        BenchmarkList list;
        try {
            list = BenchmarkList.defaultList();
        } catch (RuntimeException e) {
            return List.of();   // no META-INF/BenchmarkList: no benchmark was compiled in
        }
        var silent = OutputFormatFactory.createFormatInstance(new PrintStream(PrintStream.nullOutputStream()),
                VerboseMode.SILENT);
        return list.getAll(silent, List.of()).stream().map(BenchmarkListEntry::getUserClassQName).distinct().toList();
    }

    /** JMH's own time syntax: 100ms, 1s, 2min. */
    static final class TimeConverter implements ITypeConverter<TimeValue> {
        @Override public TimeValue convert(String value) {
            return TimeValue.fromString(value);
        }
    }
}
