package dev.posenc.models.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress for a terminal or a log. On a terminal one line is redrawn in place with {@code \r} (at
 * most every {@link #TERMINAL_INTERVAL_NANOS}); elsewhere (a pipe, a CI log) a plain line is printed at most
 * every {@link #PLAIN_INTERVAL_NANOS}, so logs stay short. Both show the encoding, step/total, loss, the last
 * test PSNR, steps/s and the time left; {@link #finish} prints one summary line per encoding.
 *
 * <pre>
 *   gaussian   1200/2000  loss 1.234e-03  test 27.31 dB   85.2 steps/s  ETA 0:09
 *   gaussian   2000 steps in 23.4 s (85.4 steps/s)  train 35.12 dB  test 27.31 dB
 * </pre>
 * The caller says whether the output is a terminal ({@link #stdoutIsTerminal()} for {@code System.out}) and
 * gives the clock, so tests can drive it. Not thread-safe: one training loop owns it.
 */
public final class ProgressBar {
    public static final long TERMINAL_INTERVAL_NANOS = 100_000_000L, PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private String name = "";
    private int total;
    private long startNanos, lastPrintNanos;
    private int lastWidth;
    private double lastTestPsnr = Double.NaN;
    private double lastLoss;
    private boolean lossKnown;   // false until the first training step reports a loss: the line shows a dash
    private Metric metric = Metric.PSNR_DB;
    private String unit = "steps";

    /** What the test number of {@link #update} is, and so how it is shown. */
    public enum Metric {
        /** PSNR in dB (image regression): "test 27.31 dB". */
        PSNR_DB,
        /** A fraction in [0, 1] (classification), shown as a percentage: "test  85.3 %". */
        ACCURACY,
        /** No test number (training loss only, e.g. the NTK analyses): the column is left out. */
        NONE,
        /** Neither a test number nor a loss (a timing run counting its runs): both columns are left out. */
        COUNT
    }

    public ProgressBar(PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** A bar on {@code out} with the system clock. */
    public ProgressBar(PrintStream out, boolean terminal) { this(out, terminal, System::nanoTime); }

    /**
     * Whether {@code System.out} is an interactive terminal. {@code System.console()} is null when stdin or
     * stdout is redirected; on JDKs whose console is JLine-based it may exist anyway, so ask it too.
     */
    public static boolean stdoutIsTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    /** Begins the bar for {@code encoding}, which will run {@code totalSteps} steps; the clock starts now. */
    public void start(String encoding, int totalSteps) { start(encoding, totalSteps, Metric.PSNR_DB); }

    /** Begins the bar, whose test number is a {@code metric}. */
    public void start(String encoding, int totalSteps, Metric metric) { start(encoding, totalSteps, metric, "steps"); }

    /**
     * Begins the bar counting {@code unit}s rather than steps (e.g. "fits" for an analysis that runs many short
     * fits), so the rate reads "12.0 fits/s" and is not mistaken for a training speed.
     */
    public void start(String encoding, int totalSteps, Metric metric, String unit) {
        this.metric = metric;
        this.unit = unit;
        if (totalSteps < 0) throw new IllegalArgumentException("totalSteps: expected >= 0, got " + totalSteps);
        name = encoding;
        total = totalSteps;
        startNanos = nanoTime.getAsLong();
        lastPrintNanos = Long.MIN_VALUE / 2; // the first update always prints
        lastWidth = 0;
        lastTestPsnr = Double.NaN;
        lossKnown = false;
    }

    /**
     * Reports progress that trained nothing (an evaluation, a candidate's accuracy): the line keeps the last
     * training loss, so that "loss NaN" is only ever printed for a loss that really is NaN.
     */
    public void advance(int step) { print(step); }

    /**
     * Reports that {@code step} steps are done (1-based), with the current training loss and, when it was just
     * measured, the test PSNR (NaN keeps showing the previous one). Prints if the interval has passed or this
     * is the last step.
     */
    public void update(int step, double loss, double testPsnr) {
        if (!Double.isNaN(testPsnr)) lastTestPsnr = testPsnr;
        lastLoss = loss;
        lossKnown = true;
        print(step);
    }

    private void print(int step) {
        long now = nanoTime.getAsLong();
        long interval = terminal ? TERMINAL_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
        if (now - lastPrintNanos < interval && step < total) return;
        lastPrintNanos = now;
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? step / seconds : Double.NaN;
        String steps = Integer.toString(step), of = Integer.toString(total);
        String loss = metric == Metric.COUNT ? ""
                : "loss " + (lossKnown ? String.format(Locale.ROOT, "%.3e", lastLoss) : "    -    ") + "  ";
        String line = String.format(Locale.ROOT, "%-10s %s/%s  %s%s%s %s/s  ETA %s",
                name, " ".repeat(Math.max(0, of.length() - steps.length())) + steps, of, loss,
                metric == Metric.NONE || metric == Metric.COUNT ? "" : "test " + shown(lastTestPsnr) + "  ",
                Double.isFinite(rate) ? String.format(Locale.ROOT, "%6.1f", rate) : "     -", unit,
                rate > 0 ? clock((total - step) / rate) : "-");
        if (terminal) {
            // pad with spaces so a shorter line fully covers the previous one
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the bar: on a terminal the in-place line is closed; then one summary line for {@code result}. */
    public void finish(FitSummary result) {
        if (terminal && lastWidth > 0) out.print("\r" + " ".repeat(lastWidth) + "\r");
        lastWidth = 0;
        out.println(String.format(Locale.ROOT, "%-10s %d steps in %.1f s (%.1f steps/s)  train %s  test %s",
                result.encoding(), result.steps(), result.seconds(), result.stepsPerSecond(),
                psnr(result.trainPsnr()), psnr(result.testPsnr())));
        out.flush();
    }

    /** Ends the bar like {@link #finish(FitSummary)}, with a summary line the caller wrote. */
    public void finish(String summary) {
        if (terminal && lastWidth > 0) out.print("\r" + " ".repeat(lastWidth) + "\r");
        lastWidth = 0;
        out.println(summary);
        out.flush();
    }

    /** Ends the bar of a run that failed: the in-place line is kept and closed, so the error starts a line. */
    public void abandon() {
        if (terminal && lastWidth > 0) out.println();
        lastWidth = 0;
        out.flush();
    }

    private String shown(double test) {
        if (metric == Metric.PSNR_DB) return psnr(test);
        return Double.isNaN(test) ? "  -   %" : String.format(Locale.ROOT, "%5.1f %%", 100 * test);
    }

    private static String psnr(double db) {
        return Double.isNaN(db) ? "  -   dB" : String.format(Locale.ROOT, "%5.2f dB", db);
    }

    /** h:mm:ss, or m:ss under an hour. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return "%d:%02d:%02d".formatted(s / 3600, s / 60 % 60, s % 60);
        return "%d:%02d".formatted(s / 60, s % 60);
    }
}
