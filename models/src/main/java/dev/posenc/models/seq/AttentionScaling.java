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
import java.util.function.Consumer;

/**
 * {@code attention-scaling}: forward and forward + backward time of one attention head over sequence lengths n, for
 * exact softmax attention (the fused kernel), kernelized attention without RPE and kernelized attention with RPE through
 * the FFT (Luo et al. 2021 §3.2: O(n²) against O(n) against O(n log n)). Each run is one head (B = H = 1), q, k, v of
 * width dv, PRF features (m, normalised q and k), every input differentiated (b too). One tape per method and n,
 * reset between its runs, as a training loop reuses its tape: the first run pays the first touch of its step memory
 * (at 64k, kernel-rpe's ~360 MB of page faults, on the caller's thread), the later ones reuse it; the step memory after
 * the backward is the run's {@code peak_bytes} (activations and gradients: the kernels' own scratch, e.g. FFT buffers,
 * is not counted). The median of {@link #repeats} runs after a warm-up at the smallest n (at least {@value #MIN_WARM_UP_RUNS} runs and 2 s).
 * Softmax is skipped at an n where its train time, extrapolated as n² from the last n measured, would pass
 * {@link #SKIP_SECONDS}; the row says so.
 */
public final class AttentionScaling {
    private AttentionScaling() {}

    public static final String CSV_HEADER = "method,n,forward_ms,train_ms,peak_bytes";
    public static final double SKIP_SECONDS = 60;
    /** Warm-up at the smallest n, per method: at least this many runs and this long (C2 compiles the loops late). */
    static final int MIN_WARM_UP_RUNS = 3;
    static final long WARM_UP_NANOS = 2_000_000_000L;
    public static final List<AttentionKind> METHODS = List.of(AttentionKind.SOFTMAX, AttentionKind.KERNEL, AttentionKind.KERNEL_RPE);

    /** One measurement; times NaN and a note when skipped. */
    public record Row(AttentionKind method, int n, double forwardMs, double trainMs, long peakBytes, String note) {
        boolean skipped() { return Double.isNaN(trainMs); }
    }

    /**
     * Runs per (method, n), the median kept: at least 3, so that the first (cold) run of a tape is never the figure;
     * once only for softmax past 16k, whose runs take minutes each.
     */
    static int repeats(AttentionKind method, int n) {
        return n <= 4096 ? 5 : n <= 16384 || method != AttentionKind.SOFTMAX ? 3 : 1;
    }

    /** Measures every method at every n (ascending), calling {@code done} after each row. */
    public static List<Row> run(Backend backend, int[] ns, int features, int dv, long seed, Consumer<Row> done) {
        int[] sorted = ns.clone();
        Arrays.sort(sorted);
        List<Row> rows = new ArrayList<>();
        for (AttentionKind method : METHODS) {
            // JIT: one warm-up run left kernel's n = 1024 at 8× its n = 2048 time, three runs at 2.5×; by time it is gone
            try (Tape warm = new Tape(backend)) {
                long until = System.nanoTime() + WARM_UP_NANOS;
                for (int w = 0; w < MIN_WARM_UP_RUNS || System.nanoTime() < until; w++) {
                    measure(backend, warm, method, sorted[0], features, dv, seed);
                }
            }
            Row last = null;                                         // the last row measured, not skipped
            for (int n : sorted) {
                Row row;
                double estimate = last == null ? 0 : last.trainMs() / 1e3 * Math.pow((double) n / last.n(), 2);
                if (method == AttentionKind.SOFTMAX && estimate > SKIP_SECONDS) {
                    row = new Row(method, n, Double.NaN, Double.NaN, 0, String.format(Locale.ROOT,
                            "skipped: estimated %.0f s (n² from n = %d) > %.0f s", estimate, last.n(), SKIP_SECONDS));
                } else {
                    int reps = repeats(method, n);
                    double[] fwd = new double[reps], train = new double[reps];
                    long bytes = 0;
                    try (Tape tape = new Tape(backend)) {
                        for (int r = 0; r < reps; r++) {
                            double[] t = measure(backend, tape, method, n, features, dv, seed + r);
                            fwd[r] = t[0];
                            train[r] = t[1];
                            bytes = (long) t[2];
                        }
                    }
                    row = new Row(method, n, median(fwd), median(train), bytes, reps == 1 ? "1 run" : "median of " + reps);
                }
                rows.add(row);
                if (!row.skipped()) last = row;
                done.accept(row);
            }
        }
        return rows;
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
            b.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%s%n", r.method().cliName, r.n(), ms(r.forwardMs()), ms(r.trainMs()),
                    r.skipped() ? "" : Long.toString(r.peakBytes())));
        }
        return b.toString();
    }

    private static String ms(double v) { return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v); }

    public static String markdown(List<Row> rows, SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# Attention time and memory against sequence length\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n| method | n | forward ms | forward+backward ms | train ratio to n/2 | tape MB | note |\n")
                .append("|---|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            Row half = rows.stream().filter(o -> o.method() == r.method() && o.n() * 2 == r.n() && !o.skipped()).findFirst().orElse(null);
            String ratio = half == null || r.skipped() ? "" : String.format(Locale.ROOT, "%.2f", r.trainMs() / half.trainMs());
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", r.method().cliName, r.n(),
                    r.skipped() ? "—" : String.format(Locale.ROOT, "%.1f", r.forwardMs()),
                    r.skipped() ? "—" : String.format(Locale.ROOT, "%.1f", r.trainMs()), ratio,
                    r.skipped() ? "—" : String.format(Locale.ROOT, "%.1f", r.peakBytes() / 1e6), r.note()));
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
