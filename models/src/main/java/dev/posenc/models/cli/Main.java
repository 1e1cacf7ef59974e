package dev.posenc.models.cli;

import dev.posenc.core.Backend;
import dev.posenc.cuda.CudaBackend;
import dev.posenc.kernels.CpuBackend;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code posenc} command line: parses the top-level options, builds the one {@link Backend} they
 * name, and passes it to the subcommand that computes ({@link BackendCommand}). The only place in posenc
 * that calls {@link System#exit}.
 *
 * <p>Subcommands are listed in the {@code @Command} annotation below.
 */
@Command(name = "posenc", sortOptions = false, usageHelpAutoWidth = true,
        description = "Positional encodings (learnable Fourier features and family) on an off-heap tensor engine.",
        subcommands = {FitImageCommand.class, RenderCommand.class, TrainVitCommand.class, ComparePeCommand.class,
                CompareResolutionCommand.class,
                TrainBoxesCommand.class,
                AnalyzeCommand.class,
                InfoCommand.class, GradcheckCommand.class,
                AttentionScalingCommand.class,
                TrainSeqCommand.class,
                NasCommand.class,
                TapeCommand.class,
                GraphCommand.class,
                HelpCommand.class},
        footerHeading = "%n",
        footer = {"Through the ./posenc launcher also:",
                  "  test       build and run the whole test suite (./mvnw -B verify) with JDK 25",
                  "  bench      run JMH benchmarks: ./posenc bench --help"})
public final class Main implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--backend", order = 0, paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "Where tensors are computed (default: ${DEFAULT-VALUE}).")
    private BackendKind backend;

    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--check-finite", order = 2,
            description = "Check every op's output and gradient for NaN/Inf and stop at the first, naming the op "
                    + "(a diverged loss is an error without it too).")
    private boolean checkFinite;

    @Option(names = "--stacktrace", order = 4, description = "On an error, print the full stack trace, not just the message.")
    private boolean stackTrace;

    @Option(names = {"-h", "--help"}, order = 5, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--threads", paramLabel = "N", order = 1,
            description = "CPU threads to compute with, 1 to " + OptionChecks.MAX_THREADS + " (default: all available cores).")
    void setThreads(int n) {
        threads = checked(() -> OptionChecks.inRange("--threads", n, 1, OptionChecks.MAX_THREADS));
    }

    private Long maxMemory;

    @Option(names = "--max-memory", paramLabel = "SIZE", order = 3,
            description = "Memory a run may use, e.g. 8g (default: the machine's physical memory). A run whose "
                    + "estimated need exceeds it is refused before it allocates.")
    void setMaxMemory(String size) {
        maxMemory = checked(() -> OptionChecks.bytes("--max-memory", size));
    }

    /** An option's check, its IllegalArgumentException turned into picocli's usage error (exit 2, one line). */
    private <T> T checked(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    BackendKind backend() { return backend; }

    int threads() { return threads; }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true), err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Parses {@code args} and runs the command they name; returns the exit code. Never exits the JVM. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line, for tests that add subcommands of their own. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(main::execute);
        cl.setParameterExceptionHandler(main::handleParameterError);
        cl.setExecutionExceptionHandler((e, failed, parse) -> main.handleError(e, failed));
        return cl;
    }

    /** No subcommand: say what there is. */
    @Override public Integer call() {
        spec.commandLine().getErr().println("posenc: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    private int execute(ParseResult parse) {
        Integer helpExit = CommandLine.executeHelpRequest(parse);
        if (helpExit != null) return helpExit;
        List<CommandLine> chain = parse.asCommandLineList();
        CommandLine leaf = chain.getLast();
        if (!(leaf.getCommand() instanceof BackendCommand command)) return new CommandLine.RunLast().execute(parse);
        try (Backend be = openBackend()) {
            return command.run(new RunContext(be, checkFinite, MemoryBudget.of(maxMemory), leaf.getOut()));
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandLine.ExecutionException(leaf, e.getMessage(), e);
        }
    }

    /** The one backend of this run, built from {@code --backend} and {@code --threads}. */
    private Backend openBackend() {
        return switch (backend) {
            case cpu -> new CpuBackend(threads);
            // -Dposenc.cuda.sync=true: synchronise after every launch, so a GPU fault names its kernel (slow; debugging)
            case cuda -> switch (CudaBackend.open(false, Boolean.getBoolean("posenc.cuda.sync"))) {
                case CudaBackend.Opened o -> o.backend();
                case CudaBackend.Unavailable u -> throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '--backend': cuda is not usable here: " + u.reason()
                        + "; use --backend cpu");
            };
        };
    }

    private int handleParameterError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        List<String> unmatched = e instanceof UnmatchedArgumentException u ? u.getUnmatched() : List.of();
        String first = unmatched.isEmpty() ? "" : unmatched.getFirst();
        boolean atTop = e.getCommandLine() == spec.commandLine();
        if (atTop && !first.isEmpty() && !first.startsWith("-")) {
            err.println("posenc: unknown command '" + ErrorText.printable(first) + "'");
        } else {
            err.println("posenc: " + ErrorText.printable(e.getMessage(), true));
        }
        if (atTop && !first.isEmpty() && !first.startsWith("-")) {
            err.println("Available commands: " + String.join(", ", spec.subcommands().keySet())
                    + " (and through the ./posenc launcher: test, bench).");
        }
        err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * Bad arguments, bad or missing files, a budget refused: the message already says what was expected and what
     * came, so the exception's class would only be noise on the user's terminal.
     */
    private static boolean isUsersMistake(Throwable cause) {
        return cause instanceof IllegalArgumentException || cause instanceof java.io.IOException
                || cause instanceof java.io.UncheckedIOException;
    }

    private int handleError(Exception e, CommandLine failed) {
        Throwable cause = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
        PrintWriter err = failed.getErr();
        String message = cause.getMessage() == null ? "" : ErrorText.printable(cause.getMessage());
        String name = failed.getCommandSpec().qualifiedName();
        if (isUsersMistake(cause) && !message.isEmpty()) {
            err.println(name + ": " + message);
        } else {
            // Not the user's doing: the class names the bug for a report, and the trace is one flag away.
            err.println(name + ": " + cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                    + (stackTrace ? "" : " (rerun with --stacktrace for the trace)"));
        }
        if (stackTrace) cause.printStackTrace(err);
        return failed.getCommandSpec().exitCodeOnExecutionException();
    }
}
