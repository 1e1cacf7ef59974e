package dev.posenc.models.cli;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.seq.AttentionKind;
import dev.posenc.models.seq.FeatureMap;
import dev.posenc.models.seq.LengthReport;
import dev.posenc.models.seq.SeqConfig;
import dev.posenc.models.seq.SeqPositions;
import dev.posenc.models.seq.SeqReport;
import dev.posenc.models.seq.SeqTask;
import dev.posenc.models.seq.SeqTasks;
import dev.posenc.models.seq.SeqTrainer;

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

/**
 * {@code posenc train-seq}: a small Transformer encoder on a sequence task with each attention (softmax, softmax-rpe,
 * kernel, kernel-rpe) and each --pe over several seeds (Luo et al. 2021's claims, spec §5.4); results.csv/.md, curves.csv,
 * curves.png; for reverse (CAPE's length extrapolation) results.csv/.md and length.png ({@link LengthReport}).
 * Results are rewritten after every run, so an interrupted sweep keeps what finished.
 */
@Command(name = "train-seq", sortOptions = false,
        description = "Train a small Transformer encoder on a sequence task with each attention kind, over seeds.")
final class TrainSeqCommand implements BackendCommand {
    @Spec private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--task", defaultValue = "fmnist-seq", paramLabel = "NAME",
            description = "fmnist-seq (196 2×2 patches + class token), lookback (label = the id k steps back) or reverse "
                    + "(label at i = the id at n − 1 − i; trained on lengths ≤ --train-length, tested at --test-lengths) "
                    + "(default: ${DEFAULT-VALUE}).")
    private String task;

    @Option(names = "--attention", split = ",", paramLabel = "LIST",
            description = "Attentions to train: softmax, softmax-rpe, kernel, kernel-rpe (default: all four; reverse: softmax).")
    private List<String> attentions;

    @Option(names = "--seeds", split = ",", paramLabel = "LIST", description = "Seeds (weights, batches, projections) (default: 0,1,2).")
    private List<Long> seeds = List.of(0L, 1L, 2L);

    @Option(names = "--steps", defaultValue = "150", description = "Training steps per run (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--batch", defaultValue = "16", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", defaultValue = "2e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--eval-every", defaultValue = "25", paramLabel = "K", description = "Test accuracy every K steps (default: ${DEFAULT-VALUE}).")
    private int evalEvery;

    @Option(names = "--dim", defaultValue = "32", paramLabel = "D", description = "Model width (default: ${DEFAULT-VALUE}).")
    private int dim;

    @Option(names = "--heads", defaultValue = "2", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    private int heads;

    @Option(names = "--layers", defaultValue = "2", description = "Encoder blocks (default: ${DEFAULT-VALUE}).")
    private int layers;

    @Option(names = "--features", defaultValue = "16", paramLabel = "M", description = "PRF features per head (default: ${DEFAULT-VALUE}).")
    private int features;

    @Option(names = "--feature-map", defaultValue = "prf", paramLabel = "prf|relu|elu",
            description = "φ of the kernelized attentions (default: ${DEFAULT-VALUE}).")
    private String featureMap;

    @Option(names = "--qk-norm", defaultValue = "auto", paramLabel = "auto|on|off",
            description = "Normalise q and k per token before φ; auto: on for kernel-rpe (the paper's), off for kernel "
                    + "(Performer's q/dh^¼) (default: ${DEFAULT-VALUE}).")
    private String qkNorm;

    @Option(names = "--pe", split = ",", paramLabel = "LIST",
            description = "Absolute positions added to the tokens, each trained with every attention: none, sine, sine1d, "
                    + "embed1d, cape1d (augmented in training only), lff. embed1d beyond its table: positions scaled "
                    + "onto it, rows interpolated (default: sine).")
    private List<String> pes = List.of("sine");

    // 256 and 64: the 12 default runs (kernel-rpe's the slowest) take minutes on 2 cores, not the hour of 512 and 100,
    // and 150 steps are enough for the RPE attentions to learn the offset (bench/RESULTS.md, lookback)
    @Option(names = "--length", defaultValue = "256", paramLabel = "N", description = "lookback: tokens per sequence (default: ${DEFAULT-VALUE}).")
    private int length;

    @Option(names = "--lookback", defaultValue = "64", paramLabel = "K", description = "lookback: the offset k (default: ${DEFAULT-VALUE}).")
    private int lookback;

    @Option(names = "--vocabulary", defaultValue = "8", paramLabel = "V", description = "lookback: symbols (default: ${DEFAULT-VALUE}).")
    private int vocabulary;

    @Option(names = "--train-length", defaultValue = "32", paramLabel = "L",
            description = "reverse: longest training sequence (lengths drawn in [2, L]) (default: ${DEFAULT-VALUE}).")
    private int trainLength;

    @Option(names = "--test-lengths", split = ",", paramLabel = "LIST",
            description = "reverse: sequence lengths tested after training (default: 32,64,128).")
    private List<Integer> testLengths = List.of(32, 64, 128);

    @Option(names = "--data", paramLabel = "DIR", description = "fmnist-seq: Fashion-MNIST IDX folder (default: " + "/usr/share/datasets/fashion-mnist).")
    private Path data = FashionMnist.DEFAULT_DIR;

    @Option(names = "--train-limit", defaultValue = "10000", paramLabel = "N", description = "fmnist-seq: training images used (default: ${DEFAULT-VALUE}).")
    private int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "Test set: fmnist-seq images (default: 1000) or lookback sequences (default: 16).")
    private Integer testLimit;

    @Option(names = "--out", defaultValue = "out/train-seq", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override public int run(RunContext context) throws Exception {
        List<AttentionKind> kinds = new ArrayList<>();
        List<SeqConfig> configs = new ArrayList<>();
        SeqTask seqTask;
        try {   // every option is checked before any training starts
            List<String> names = attentions != null ? attentions : task.equals("reverse") ? List.of("softmax") : AttentionKind.names();
            for (String a : names) kinds.add(AttentionKind.parse("--attention", a));
            if (task.equals("reverse") && kinds.stream().anyMatch(AttentionKind::rpe)) throw new IllegalArgumentException(
                    "--attention: reverse tests longer sequences than the rpe offset tables hold; expected softmax or kernel, got " + names);
            for (String p : pes) SeqPositions.check(p);
            if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: expected at least one seed, got none");
            if (!List.of("auto", "on", "off").contains(qkNorm)) throw new IllegalArgumentException(
                    "--qk-norm: expected auto, on or off, got '" + qkNorm + "'");
            if (trainLimit < 1) throw new IllegalArgumentException("--train-limit: expected ≥ 1, got " + trainLimit);
            FeatureMap map = FeatureMap.parse("--feature-map", featureMap);
            for (long s : seeds) {   // seed-major: an interrupted sweep still compares every attention
                for (String p : pes) {
                    for (AttentionKind k : kinds) {
                        boolean norm = qkNorm.equals("on") || qkNorm.equals("auto") && k == AttentionKind.KERNEL_RPE;
                        configs.add(new SeqConfig(k, p, dim, heads, layers, features, map, norm, steps, batch, lr, evalEvery, s));
                    }
                }
            }
            if (!SeqTasks.NAMES.contains(task)) throw new IllegalArgumentException(
                    "--task: expected one of %s, got '%s'".formatted(String.join(", ", SeqTasks.NAMES), task));
            int tests = testLimit != null ? testLimit : task.equals("fmnist-seq") ? 1000 : task.equals("lookback") ? 16 : 64;
            if (tests < 1) throw new IllegalArgumentException("--test-limit: expected ≥ 1, got " + tests);
            seqTask = SeqTasks.create(task, new SeqTasks.Options(data, trainLimit, tests, length, lookback, vocabulary, tests,
                    trainLength, testLengths));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream ps = Streams.of(context.out());
        ps.println("train-seq: " + seqTask.describe() + "; " + context.backend().describe());
        Files.createDirectories(out);
        SequencedMap<String, String> settings = settings(seqTask, context);
        List<SeqTrainer.Result> runs = new ArrayList<>();
        ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
        boolean reverse = task.equals("reverse");
        List<LengthReport.Run> lengthRuns = new ArrayList<>();
        for (SeqConfig c : configs) {
            String name = (pes.size() > 1 ? c.positions() + "/" : "") + c.attention().cliName + "/" + c.seed();
            bar.start(name, c.steps(), ProgressBar.Metric.ACCURACY);
            SeqTrainer.Result r = SeqTrainer.train(context.backend(), seqTask, c, bar::update);
            bar.finish(String.format(Locale.ROOT, "%-14s test accuracy %6.2f %%  final train loss %.4f  %.1f ms/step%s", name,
                    100 * r.testAccuracy(), r.finalLoss(), r.stepMs(), r.diverged() ? "  DIVERGED at step " + r.steps() : ""));
            runs.add(r);
            lengthRuns.add(new LengthReport.Run(c.positions(), r));
            if (reverse) LengthReport.write(out, trainLength, lengthRuns, settings);
            else SeqReport.write(out, task, runs, settings);
        }
        ps.print(reverse ? LengthReport.markdown(lengthRuns, settings) : SeqReport.markdown(task, runs, settings));
        ps.println("wrote " + out.resolve("results.md") + (reverse ? ", results.csv, length.png" : ", results.csv, curves.csv, curves.png"));
        ps.flush();
        return 0;
    }

    private SequencedMap<String, String> settings(SeqTask t, RunContext context) {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("task", t.describe());
        s.put("model", String.format(Locale.ROOT, "pre-norm encoder, D %d, %d heads, %d blocks, MLP 2D, absolute positions '%s'",
                dim, heads, layers, String.join(", ", pes)));
        s.put("kernelized", String.format(Locale.ROOT, "φ = %s with m = %d orthogonal features fixed per run; q, k normalised: %s",
                featureMap, features, qkNorm.equals("auto") ? "kernel-rpe yes, kernel no (auto)" : qkNorm));
        s.put("training", String.format(Locale.ROOT, "%d steps of %d sequences, Adam lr %s, test every %d steps; seeds %s",
                steps, batch, lr, evalEvery, seeds));
        s.put("backend", context.backend().describe());
        return s;
    }
}
