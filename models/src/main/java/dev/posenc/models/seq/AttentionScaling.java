package dev.posenc.models.seq;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.KernelFeatures;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.Panels;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * {@code attention-scaling}: forward and forward + backward time of one attention head over sequence lengths n, for
 * exact softmax attention (the fused kernel), kernelized attention without RPE and kernelized attention with RPE through
 * the FFT (Luo et al. 2021 §3.2: O(n²) against O(n) against O(n log n)). Each run is one head (B = H = 1), q, k, v of
 * width dv, PRF features (m, normalised q and k), every input differentiated (b too). One tape per method and n,
 * reset between its runs, as a training loop reuses its tape: the first (untimed) run pays the first touch of its step memory
 * (at 64k, kernel-rpe's ~360 MB of page faults, on the caller's thread), the later ones reuse it; the step memory after
 * the backward is the run's {@code peak_bytes} (activations and gradients: the kernels' own scratch, e.g. FFT buffers,
 * is not counted).
 *
 * <p>Measurement, per method: a warm-up at the smallest n (at least {@value #MIN_WARM_UP_RUNS} runs and 2 s), then one
 * untimed run at every n (the first touch of its tape, and the JIT of the paths only that n takes: chunk widths and
 * counts change with n), then {@link #repeats} rounds, each timing every n once, ascending in even rounds and
 * descending in odd ones, so that the runs of a doubling are minutes apart at most and a slow minute of the machine
 * falls on every n, not on all repeats of one. Reported: the median, min and max over the rounds, and per doubling
 * the ratio of the medians beside the median (min–max) of the per-round ratios.
 * Softmax is skipped at an n where its train time, extrapolated as n² from the last n warmed up, would pass
 * {@link #SKIP_SECONDS}; the row says so.
 */
public final class AttentionScaling {
    private AttentionScaling() {}

    /** The first five columns are the issue's; the spread over the rounds follows. */
    public static final String CSV_HEADER = "method,n,forward_ms,train_ms,peak_bytes,train_min_ms,train_max_ms,runs";
    public static final double SKIP_SECONDS = 60;
    /** Warm-up at the smallest n, per method: at least this many runs and this long (C2 compiles the loops late). */
    static final int MIN_WARM_UP_RUNS = 3;
    static final long WARM_UP_NANOS = 2_000_000_000L;
    public static final List<AttentionKind> METHODS = List.of(AttentionKind.SOFTMAX, AttentionKind.KERNEL, AttentionKind.KERNEL_RPE);

    /**
     * One (method, n): medians of forward and forward + backward, and every round's forward + backward time in round
     * order ({@code trainRuns}, empty when skipped); times NaN and a note when skipped.
     */
    public record Row(AttentionKind method, int n, double forwardMs, double trainMs, long peakBytes, String note,
                      double[] trainRuns) {
        boolean skipped() { return Double.isNaN(trainMs); }

        public double trainMin() { return Arrays.stream(trainRuns).min().orElse(Double.NaN); }

        public double trainMax() { return Arrays.stream(trainRuns).max().orElse(Double.NaN); }
    }

    /**
     * Timed rounds per (method, n): 5, so that a median and a spread mean something; once only for softmax past 16k,
     * whose runs take minutes each, and 3 times from 8k (a run takes 6 s there).
     */
    static int repeats(AttentionKind method, int n) {
        if (method != AttentionKind.SOFTMAX || n <= 4096) return 5;
        return n <= 16384 ? 3 : 1;
    }

    /** What {@link #run} reports while it measures. */
    public interface Listener {
        /** A method begins: {@code runs} runs to go (its warm-up at the smallest n not counted). */
        void start(AttentionKind method, int runs);

        /** {@code done} of the method's runs are over (a skipped length counts as all its runs). */
        void progress(int done);

        /** The method's rows, ascending n, after its last round. */
        void finished(AttentionKind method, List<Row> rows);
    }

    /** Measures every method at every n, rounds interleaved over n (see the class comment). */
    public static List<Row> run(Backend backend, int[] ns, int features, int dv, long seed, Listener listener) {
        int[] sorted = Arrays.stream(ns).distinct().sorted().toArray();
        List<Row> rows = new ArrayList<>();
        for (AttentionKind method : METHODS) {
            int runs = Arrays.stream(sorted).map(n -> 1 + repeats(method, n)).sum(), done = 0;
            listener.start(method, runs);
            // JIT: one warm-up run left kernel's n = 1024 at 8× its n = 2048 time, three runs at 2.5×; by time it is gone
            try (Tape warm = new Tape(backend)) {
                long until = System.nanoTime() + WARM_UP_NANOS;
                for (int w = 0; w < MIN_WARM_UP_RUNS || System.nanoTime() < until; w++) {
                    measure(backend, warm, method, sorted[0], features, dv, seed);
                }
            }
            Tape[] tapes = new Tape[sorted.length];
            Row[] methodRows = new Row[sorted.length];
            try {
                double lastTrain = 0;
                int lastN = 0;
                for (int i = 0; i < sorted.length; i++) {            // untimed: first touch of each tape, JIT of each n
                    double estimate = lastN == 0 ? 0 : lastTrain / 1e3 * Math.pow((double) sorted[i] / lastN, 2);
                    if (method == AttentionKind.SOFTMAX && estimate > SKIP_SECONDS) {
                        methodRows[i] = new Row(method, sorted[i], Double.NaN, Double.NaN, 0, String.format(Locale.ROOT,
                                "skipped: estimated %.0f s (n² from n = %d) > %.0f s", estimate, lastN, SKIP_SECONDS), new double[0]);
                        listener.progress(done += 1 + repeats(method, sorted[i]));
                        continue;
                    }
                    tapes[i] = new Tape(backend);
                    lastTrain = measure(backend, tapes[i], method, sorted[i], features, dv, seed)[1];
                    lastN = sorted[i];
                    listener.progress(++done);
                }
                int rounds = Arrays.stream(sorted).map(n -> repeats(method, n)).max().orElse(0);
                double[][] fwd = new double[sorted.length][], train = new double[sorted.length][];
                for (int i = 0; i < sorted.length; i++) {
                    fwd[i] = new double[tapes[i] == null ? 0 : repeats(method, sorted[i])];
                    train[i] = new double[fwd[i].length];
                }
                long[] bytes = new long[sorted.length];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < sorted.length; k++) {
                        int i = r % 2 == 0 ? k : sorted.length - 1 - k;
                        if (r >= train[i].length) continue;
                        double[] t = measure(backend, tapes[i], method, sorted[i], features, dv, seed + r + 1);
                        fwd[i][r] = t[0];
                        train[i][r] = t[1];
                        bytes[i] = (long) t[2];
                        listener.progress(++done);
                    }
                }
                for (int i = 0; i < sorted.length; i++) {
                    if (tapes[i] == null) continue;
                    int m = train[i].length;
                    methodRows[i] = new Row(method, sorted[i], median(fwd[i]), median(train[i]), bytes[i],
                            m == 1 ? "1 run" : "median of " + m + " rounds", train[i]);
                }
            } finally {
                for (Tape t : tapes) if (t != null) t.close();
            }
            rows.addAll(List.of(methodRows));
            listener.finished(method, List.of(methodRows));
        }
        return rows;
    }

    /**
     * time(n)/time(n/2) of forward + backward per round, for the rounds both were timed in (empty when none): the
     * figure a doubling's scaling is judged by, beside the ratio of the medians.
     */
    static double[] roundRatios(Row half, Row full) {
        int k = Math.min(half.trainRuns().length, full.trainRuns().length);
        double[] q = new double[k];
        for (int r = 0; r < k; r++) q[r] = full.trainRuns()[r] / half.trainRuns()[r];
        return q;
    }

    /** {@link #measure(Backend, Tape, AttentionKind, int, int, int, long)} on a fresh tape (a cold first step). */
    public static double[] measure(Backend backend, AttentionKind method, int n, int features, int dv, long seed) {
        try (Tape tape = new Tape(backend)) {
            return measure(backend, tape, method, n, features, dv, seed);
        }
    }

    /**
     * {forward ms, forward + backward ms, tape bytes} of one run on {@code tape}, reset first (public for
     * bench/scripts/RpeScalingInterleaved.java).
     */
    public static double[] measure(Backend backend, Tape tape, AttentionKind method, int n, int features, int dv, long seed) {
        tape.reset();
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(seed);
            Shape s = Shape.of(1, 1, n, dv);
            Var q = tape.variable(rng.normal(arena, s)), k = tape.variable(rng.normal(arena, s)), v = tape.variable(rng.normal(arena, s));
            Var b = tape.variable(rng.normal(arena, Shape.of(1, 2 * n - 1), 0f, 0.1f));
            Var w = tape.constant(KernelFeatures.orthogonalProjection(arena, rng, features, dv));
            Tensor seedGrad = rng.normal(arena, s);
            SeqAttention.Features f = new SeqAttention.Features(FeatureMap.PRF, w, true);
            long t0 = System.nanoTime();
            Var out = SeqAttention.apply(tape, method, q, k, v, b, f);
            long t1 = System.nanoTime();
            tape.backward(out, seedGrad);
            long t2 = System.nanoTime();
            return new double[] {(t1 - t0) / 1e6, (t2 - t0) / 1e6, tape.stepBytes()};
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** results.csv, results.md and scaling.png (log-log), each atomically. */
    public static void write(Path dir, List<Row> rows, SequencedMap<String, String> settings) throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(rows));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(rows, settings));
        plot(rows).write(dir.resolve("scaling.png"), 640, 460);
    }

    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s,%s,%d%n", r.method().cliName, r.n(), ms(r.forwardMs()),
                    ms(r.trainMs()), r.skipped() ? "" : Long.toString(r.peakBytes()), ms(r.trainMin()), ms(r.trainMax()),
                    r.trainRuns().length));
        }
        return b.toString();
    }

    private static String ms(double v) { return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v); }

    public static String markdown(List<Row> rows, SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# Attention time and memory against sequence length\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n| method | n | forward ms | forward+backward ms | min – max | train ratio to n/2: of medians;"
                        + " per round, median (min – max) | tape MB | note |\n")
                .append("|---|---:|---:|---:|---:|---|---:|---|\n");
        for (Row r : rows) {
            Row half = rows.stream().filter(o -> o.method() == r.method() && o.n() * 2 == r.n() && !o.skipped()).findFirst().orElse(null);
            String ratio = "";
            if (half != null && !r.skipped()) {
                ratio = String.format(Locale.ROOT, "%.2f", r.trainMs() / half.trainMs());
                double[] q = roundRatios(half, r);
                if (q.length > 1) {
                    ratio += String.format(Locale.ROOT, "; %.2f (%.2f – %.2f)", median(q), Arrays.stream(q).min().getAsDouble(),
                            Arrays.stream(q).max().getAsDouble());
                }
            }
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", r.method().cliName, r.n(),
                    r.skipped() ? "—" : String.format(Locale.ROOT, "%.1f", r.forwardMs()),
                    r.skipped() ? "—" : String.format(Locale.ROOT, "%.1f", r.trainMs()),
                    r.skipped() ? "—" : String.format(Locale.ROOT, "%.1f – %.1f", r.trainMin(), r.trainMax()), ratio,
                    r.skipped() ? "—" : String.format(Locale.ROOT, "%.1f", r.peakBytes() / 1e6), r.note()));
        }
        b.append("\nPer round (forward + backward ms, round order; odd rounds ran the lengths in descending order):\n\n");
        for (Row r : rows) {
            if (r.skipped()) continue;
            b.append("- ").append(r.method().cliName).append(" n = ").append(r.n()).append(": ")
                    .append(String.join(", ", Arrays.stream(r.trainRuns()).mapToObj(t -> String.format(Locale.ROOT, "%.1f", t)).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    /** Two log-log panels: time (forward+backward solid, forward dashed) and tape memory, against n. */
    static Panels plot(List<Row> rows) {
        Chart time = Chart.of("time, one head", "n (tokens)", "ms").logX().logY();
        Chart memory = Chart.of("tape memory (activations and gradients)", "n (tokens)", "MB").logX().logY();
        for (int i = 0; i < METHODS.size(); i++) {
            AttentionKind m = METHODS.get(i);
            List<double[]> train = new ArrayList<>(), fwd = new ArrayList<>(), mb = new ArrayList<>();
            for (Row r : rows) {
                if (r.method() != m || r.skipped()) continue;
                train.add(new double[] {r.n(), r.trainMs()});
                fwd.add(new double[] {r.n(), r.forwardMs()});
                mb.add(new double[] {r.n(), r.peakBytes() / 1e6});
            }
            java.awt.Color c = LinePlot.PALETTE[i];
            time = time.with(Curve.line(m.cliName + " fwd+bwd", train).markers(Curve.Marker.CIRCLE).colour(c))
                    .with(Curve.line(m.cliName + " forward", fwd).dashed().colour(c));
            memory = memory.with(Curve.line(m.cliName, mb).markers(Curve.Marker.CIRCLE).colour(c));
        }
        return new Panels("attention against sequence length (log-log)", List.of(time, memory), 2, false);
    }
}
