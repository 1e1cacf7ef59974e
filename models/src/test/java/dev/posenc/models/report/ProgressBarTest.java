package dev.posenc.models.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    @Test
    void plainOutputPrintsThrottledLinesAndTheLastStep() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.start("gaussian", 100);
        for (int step = 1; step <= 100; step++) {
            now += 200_000_000L; // 0.2 s per step: 5 steps/s, 20 s in all
            bar.update(step, 1e-3, step % 10 == 0 ? 20 + step / 10.0 : Double.NaN);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "a log must not get carriage returns");
        List<String> lines = text.lines().toList();
        // the first update prints, then one every 5 s (25 steps), then the last step: 1, 26, 51, 76, 100
        assertEquals(5, lines.size(), text);
        assertEquals("gaussian     1/100  loss 1.000e-03  test   -   dB     5.0 steps/s  ETA 0:20", lines.get(0));
        assertTrue(lines.get(4).contains("100/100") && lines.get(4).contains("test 30.00 dB")
                && lines.get(4).endsWith("ETA 0:00"), lines.get(4));
        assertTrue(lines.get(3).contains("test 27.00 dB"), "the last measured PSNR is kept: " + lines.get(3));
    }

    @Test
    void progressWithoutTrainingShowsADashThenKeepsTheLastLossWhileARealNanLossShowsAsNan() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.start("project 0", 4, ProgressBar.Metric.NONE);
        now += 10_000_000_000L;
        bar.advance(1);                        // an evaluation before any training step
        now += 10_000_000_000L;
        bar.update(2, 0.25, Double.NaN);
        now += 10_000_000_000L;
        bar.advance(3);
        now += 10_000_000_000L;
        bar.update(4, Double.NaN, Double.NaN); // a diverged step must not be hidden
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("loss     -    "), lines.get(0));
        assertTrue(lines.get(2).contains("loss 2.500e-01"), lines.get(2));
        assertTrue(lines.get(3).contains("loss NaN"), lines.get(3));
    }

    @Test
    void terminalOutputRedrawsOneLineAndEndsWithASummary() {
        ProgressBar bar = new ProgressBar(out, true, () -> now);
        bar.start("lff", 3);
        for (int step = 1; step <= 3; step++) {
            now += 1_000_000_000L;
            bar.update(step, 0.5, 25);
        }
        bar.finish(new FitSummary("lff", 31.5, 25.25, 3, 3.0, List.of()));
        String text = bytes.toString(StandardCharsets.UTF_8);
        // 3 redraws ("\r" + line), then finish clears the line ("\r" + blanks + "\r"): 5 carriage returns
        assertEquals(5, text.chars().filter(c -> c == '\r').count(), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "only the summary ends a line: " + text);
        assertTrue(text.contains("  3/3  loss 5.000e-01  test 25.00 dB"), text);
        assertTrue(text.endsWith("lff        3 steps in 3.0 s (1.0 steps/s)  train 31.50 dB  test 25.25 dB"
                + System.lineSeparator()), text);
    }

    @Test
    void accuracyIsShownAsAPercentageAndACallerSummaryEndsTheBar() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.start("lff", 2, ProgressBar.Metric.ACCURACY);
        now += 1_000_000_000L;
        bar.update(1, 2.25, Double.NaN);
        now += 1_000_000_000L;
        bar.update(2, 1.5, 0.8525);
        bar.finish("lff        2 steps, test accuracy 85.25 %");
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("lff        1/2  loss 2.250e+00  test   -   %     1.0 steps/s  ETA 0:01", lines.get(0));
        assertTrue(lines.get(1).contains("2/2  loss 1.500e+00  test  85.3 %"), lines.get(1));
        assertEquals("lff        2 steps, test accuracy 85.25 %", lines.get(2));
    }

    @Test
    void withoutATestMetricTheColumnIsLeftOut() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.start("gaussian", 2, ProgressBar.Metric.NONE);
        now += 1_000_000_000L;
        bar.update(1, 0.5, Double.NaN);
        assertEquals("gaussian   1/2  loss 5.000e-01     1.0 steps/s  ETA 0:01",
                bytes.toString(StandardCharsets.UTF_8).lines().toList().getFirst());
    }

    @Test
    void aCallerCountingFitsSeesFitsPerSecond() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.start("fits", 4, ProgressBar.Metric.PSNR_DB, "fits");
        now += 500_000_000L;
        bar.update(1, 0.5, 20);
        String line = bytes.toString(StandardCharsets.UTF_8).lines().toList().getFirst();
        assertTrue(line.contains("2.0 fits/s") && !line.contains("steps/s"), line);
    }

    @Test
    void clockFormatsMinutesAndHours() {
        assertEquals("0:09", ProgressBar.clock(9.4));
        assertEquals("2:05", ProgressBar.clock(125));
        assertEquals("1:00:01", ProgressBar.clock(3601));
    }

    @Test
    void aCountingBarShowsNeitherLossNorTestColumn() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.start("kernel-rpe", 2, ProgressBar.Metric.COUNT, "runs");
        now += 1_000_000_000L;
        bar.advance(1);
        now += 1_000_000_000L;
        bar.advance(2);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("kernel-rpe 1/2     1.0 runs/s  ETA 0:01", lines.get(0));
    }
}
