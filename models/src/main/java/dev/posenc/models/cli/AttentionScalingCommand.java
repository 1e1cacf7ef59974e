package dev.posenc.models.cli;

import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.seq.AttentionKind;
import dev.posenc.models.seq.AttentionScaling;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code posenc attention-scaling}: softmax, kernelized and kernelized+RPE (FFT) attention timed over n. */
@Command(name = "attention-scaling", sortOptions = false,
        description = "Time exact softmax, kernelized and kernelized-with-RPE (FFT) attention over sequence lengths.")
final class AttentionScalingCommand implements BackendCommand {
    @Spec private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--n", split = ",", paramLabel = "LIST",
            description = "Sequence lengths (default: 1024,2048,4096,8192,16384,32768,65536).")
    private List<Integer> ns = List.of(1024, 2048, 4096, 8192, 16384, 32768, 65536);

    @Option(names = "--features", defaultValue = "64", paramLabel = "M",
            description = "PRF features m of the kernelized methods (default: ${DEFAULT-VALUE}).")
    private int features;

    @Option(names = "--dv", defaultValue = "64", paramLabel = "D",
            description = "Width of q, k and v, one head (default: ${DEFAULT-VALUE}).")
    private int dv;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs and projections (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", defaultValue = "out/attention-scaling", paramLabel = "DIR",
            description = "Folder for results.csv, results.md and scaling.png (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override public int run(RunContext context) throws Exception {
        for (int n : ns) if (n < 1) throw bad("--n", "lengths ≥ 1", n);
        if (features < 1) throw bad("--features", "a feature count > 0", features);
        if (dv < 1) throw bad("--dv", "a width > 0", dv);
        int[] sizes = ns.stream().mapToInt(Integer::intValue).distinct().toArray();
        PrintStream ps = Streams.of(context.out());
        ps.printf(Locale.ROOT, "attention-scaling: n %s, m %d features, dv %d, one head; %s%n", ns, features, dv,
                context.backend().describe());
        Files.createDirectories(out);
        int total = sizes.length * AttentionScaling.METHODS.size();
        List<AttentionScaling.Row> done = new ArrayList<>();
        ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
        long[] started = new long[1];
        List<AttentionScaling.Row> rows;
        try {
            rows = AttentionScaling.run(context.backend(), sizes, features, dv, seed, new AttentionScaling.Listener() {
                @Override public void start(AttentionKind method, int runs) {
                    started[0] = System.nanoTime();
                    bar.start(method.cliName, runs, ProgressBar.Metric.COUNT, "runs");
                }

                @Override public void progress(int runs) { bar.advance(runs); }

                @Override public void finished(AttentionKind method, List<AttentionScaling.Row> methodRows) {
                    bar.finish(String.format(Locale.ROOT, "%s: warm-up, one untimed run per n, then the rounds, in %.0f s",
                            method.cliName, (System.nanoTime() - started[0]) / 1e9));
                    for (AttentionScaling.Row r : methodRows) {
                        done.add(r);
                        ps.printf(Locale.ROOT, "[%2d/%d] %-10s n %6d  %s%n", done.size(), total, r.method().cliName, r.n(),
                                Double.isNaN(r.trainMs()) ? r.note() : String.format(Locale.ROOT,
                                        "forward %9.1f ms  forward+backward %9.1f ms (min %.1f, max %.1f)  tape %8.1f MB  (%s)",
                                        r.forwardMs(), r.trainMs(), r.trainMin(), r.trainMax(), r.peakBytes() / 1e6, r.note()));
                    }
                }
            });
        } catch (RuntimeException e) {
            bar.abandon();
            throw e;
        }
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("command", "./posenc attention-scaling --n " + String.join(",", ns.stream().map(String::valueOf).toList())
                + " --features " + features + " --dv " + dv + " --seed " + seed);
        settings.put("shape", "one head (B = H = 1), q, k, v of width " + dv + "; PRF with " + features
                + " orthogonal features on unit-norm q and k; every input differentiated, b included");
        settings.put("backend", context.backend().describe());
        settings.put("skip rule", "softmax is skipped where its forward+backward, extrapolated as n², would pass "
                + (int) AttentionScaling.SKIP_SECONDS + " s");
        AttentionScaling.write(out, rows, settings);
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, scaling.png");
        ps.flush();
        return 0;
    }

    private ParameterException bad(String option, String expected, Object got) {
        return new ParameterException(spec.commandLine(), "%s: expected %s, got %s".formatted(option, expected, got));
    }
}
