package dev.posenc.models.cli;

import dev.posenc.models.data.TinyFashion;
import dev.posenc.models.seq.AttentionScaling;
import dev.posenc.models.seq.LengthReport;
import dev.posenc.models.seq.SeqReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** train-seq and attention-scaling end to end at tiny sizes, and their bad-input messages. */
class SeqCommandsTest {
    @TempDir static Path data;
    @TempDir Path out;

    private record Outcome(int exit, String out, String err) {
        String describe() { return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    @BeforeAll static void makeData() throws IOException { TinyFashion.write(data, 24, 6, 28, 5); }

    private static Outcome run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int exit = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new Outcome(exit, o.toString(), e.toString());
    }

    private String[] seq(String... more) {
        String[] base = {"--threads", "2", "train-seq", "--dim", "8", "--heads", "2", "--layers", "1", "--features", "4",
                "--batch", "2", "--steps", "4", "--eval-every", "2", "--seeds", "0", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void lookbackTrainsEveryAttentionAndWritesItsFiles() throws IOException {
        Outcome o = run(seq("--task", "lookback", "--length", "17", "--lookback", "3", "--vocabulary", "4", "--test-limit", "3"));
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(SeqReport.CSV_HEADER, csv.getFirst());
        assertEquals(5, csv.size(), o::describe);
        for (String a : List.of("softmax", "softmax-rpe", "kernel", "kernel-rpe")) {
            assertTrue(csv.stream().anyMatch(l -> l.startsWith("lookback," + a + ",0,")), () -> a + " missing: " + csv);
        }
        for (String f : List.of("results.md", "curves.csv", "curves.png")) assertTrue(Files.size(out.resolve(f)) > 0, f);
    }

    @Test
    void reverseWritesOneRowPerEncodingAndTestLength() throws IOException {
        Outcome o = run(seq("--task", "reverse", "--pe", "none,sine1d,embed1d,cape1d,lff",
                "--train-length", "6", "--test-lengths", "6,12", "--vocabulary", "4", "--test-limit", "3"));
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(LengthReport.CSV_HEADER, csv.getFirst());
        assertEquals(1 + 5 * 2, csv.size(), o::describe);
        for (String pe : List.of("none", "sine1d", "embed1d", "cape1d", "lff")) {
            String row = csv.stream().filter(l -> l.startsWith(pe + ",0,6,12,")).findFirst().orElseThrow(() ->
                    new AssertionError(pe + " at n = 12 missing: " + csv));
            double acc = Double.parseDouble(row.substring(row.lastIndexOf(',') + 1));
            assertTrue(acc >= 0 && acc <= 1, row);
        }
        for (String f : List.of("results.md", "length.png")) assertTrue(Files.size(out.resolve(f)) > 0, f);
    }

    @Test
    void fmnistSeqReadsTheImagesAsPatchSequences() throws IOException {
        Outcome o = run(seq("--task", "fmnist-seq", "--data", data.toString(), "--train-limit", "24", "--test-limit", "6",
                "--attention", "kernel-rpe,softmax-rpe"));
        assertEquals(0, o.exit(), o::describe);
        assertTrue(o.out().contains("196 tokens of 2×2 pixels"), o::describe);
        assertEquals(3, Files.readAllLines(out.resolve("results.csv")).size(), o::describe);
    }

    @Test
    void attentionScalingWritesEveryMethodAtEveryLength() throws IOException {
        Outcome o = run("--threads", "2", "attention-scaling", "--n", "9,16", "--features", "4", "--dv", "3", "--out", out.toString());
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(AttentionScaling.CSV_HEADER, csv.getFirst());
        assertEquals(7, csv.size(), o::describe);
        for (String line : csv.subList(1, 7)) {
            String[] f = line.split(",");
            assertTrue(Double.parseDouble(f[3]) >= Double.parseDouble(f[2]), "train includes forward: " + line);
            assertTrue(Long.parseLong(f[4]) > 0, line);
            double min = Double.parseDouble(f[5]), median = Double.parseDouble(f[3]), max = Double.parseDouble(f[6]);
            assertTrue(min <= median && median <= max, "min ≤ median ≤ max: " + line);
            assertEquals("5", f[7], "five timed rounds at n ≤ 4096: " + line);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("- kernel-rpe n = 16: "), md);   // every round's time, for the per-round doublings
        assertTrue(Files.size(out.resolve("scaling.png")) > 0);
    }

    @Test
    void badInputsAreNamed() {
        expectError(run(seq("--attention", "linear")), "--attention: expected one of softmax, softmax-rpe, kernel, kernel-rpe, got 'linear'");
        expectError(run("train-seq", "--features", "0", "--out", out.toString()), "--features: expected a feature count > 0, got 0");
        expectError(run(seq("--task", "copy")), "--task: expected one of fmnist-seq, lookback, reverse, got 'copy'");
        expectError(run(seq("--task", "lookback", "--length", "8", "--lookback", "8")), "--lookback: expected 1 ≤ k < n = 8, got 8");
        expectError(run(seq("--qk-norm", "maybe")), "--qk-norm: expected auto, on or off, got 'maybe'");
        expectError(run(seq("--pe", "rope")), "--pe: expected one of none, sine, sine1d, embed1d, cape1d, lff, got 'rope'");
        expectError(run(seq("--task", "reverse", "--pe", "sine1d,cape2d")),
                "--pe: expected one of none, sine, sine1d, embed1d, cape1d, lff, got 'cape2d'");
        expectError(run(seq("--task", "reverse", "--attention", "softmax-rpe")), "--attention: reverse tests longer sequences");
        expectError(run(seq("--task", "reverse", "--test-lengths", "16,1")), "--test-lengths: expected lengths ≥ 2, got [16, 1]");
        expectError(run("attention-scaling", "--n", "1024,0", "--out", out.toString()), "--n: expected lengths ≥ 1, got 0");
        expectError(run("attention-scaling", "--features", "-1", "--out", out.toString()), "--features: expected a feature count > 0, got -1");
    }

    private static void expectError(Outcome o, String message) {
        assertNotEquals(0, o.exit(), o::describe);
        assertTrue(o.err().contains(message), o::describe);
        assertFalse(o.err().contains("\tat "), () -> "no stack trace: " + o.describe());
    }
}
