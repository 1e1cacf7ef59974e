package dev.posenc.models.cli;

import dev.posenc.models.data.TinyFashion;
import dev.posenc.models.vit.ComparePe;
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

/** train-vit and compare-pe end to end on a tiny generated slice (28 × 28, so the real sizes run). */
class VitCommandsTest {
    @TempDir static Path data;
    @TempDir Path out;

    private record Outcome(int exit, String out, String err) {
        String describe() { return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    @BeforeAll static void makeData() throws IOException { TinyFashion.write(data, 48, 20, 28, 3); }

    private static Outcome run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int exit = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new Outcome(exit, o.toString(), e.toString());
    }

    private String[] tiny(String command, String... more) {
        String[] base = {"--threads", "2", command, "--data", data.toString(), "--small", "--batch", "16",
                "--train-limit", "48", "--test-limit", "20", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void trainVitTrainsWritesACheckpointAndResumesFromIt() {
        Outcome first = run(tiny("train-vit", "--pe", "sine2d", "--epochs", "1"));
        assertEquals(0, first.exit(), first::describe);
        assertTrue(first.out().contains("sine2d     3 steps, test accuracy"), first::describe);
        Path ckpt = out.resolve("checkpoint-sine2d.safetensors");
        assertTrue(Files.isRegularFile(ckpt), first::describe);
        Outcome resumed = run(tiny("train-vit", "--pe", "sine2d", "--epochs", "2", "--resume", ckpt.toString()));
        assertEquals(0, resumed.exit(), resumed::describe);
        assertTrue(resumed.out().contains("sine2d     6 steps"), resumed::describe);
        Outcome other = run(tiny("train-vit", "--pe", "sine2d", "--epochs", "2", "--seed", "9", "--resume",
                ckpt.toString()));
        assertEquals(1, other.exit(), other::describe);
        assertTrue(other.err().contains("seed: checkpoint 0, this run 9"), other::describe);
    }

    @Test
    void compareResolutionWritesEverySeedAndSizeAndRefusesAGridThatDoesNotDivide() throws IOException {
        Outcome o = run(tiny("compare-resolution", "--encodings", "embed2d,cape2d", "--seeds", "0,1", "--sizes",
                "28,36"));
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("encoding,seed,test_size,grid,accuracy", csv.getFirst());
        assertEquals(1 + 2 * 2 * 2, csv.size(), "encodings × seeds × sizes: " + csv);
        assertTrue(csv.contains(csv.stream().filter(l -> l.startsWith("embed2d,1,36,9,")).findFirst().orElse("none")),
                "embed2d has a number at 36 (interpolated table): " + csv);
        assertTrue(Files.size(out.resolve("resolution.png")) > 1000);
        assertTrue(Files.readString(out.resolve("results.md")).contains("| cape2d |"));
        Outcome bad = run(tiny("compare-resolution", "--sizes", "28,42"));
        assertEquals(1, bad.exit(), bad::describe);
        assertTrue(bad.err().contains("--sizes: expected multiples of the patch size 4 (the grid must divide), got 42 "
                + "(10.50 patches)"), bad::describe);
        Outcome scaling = run(tiny("train-vit", "--pe", "cape2d", "--cape-scaling", "0.9"));
        assertEquals(1, scaling.exit(), scaling::describe);
        assertTrue(scaling.err().contains("--cape-scaling: expected a finite number >= 1, got 0.9"), scaling::describe);
        Outcome shift = run(tiny("train-vit", "--pe", "cape2d", "--cape-global-shift", "-1"));
        assertEquals(1, shift.exit(), shift::describe);
        assertTrue(shift.err().contains("--cape-global-shift: expected a finite number >= 0, got -1.0"),
                shift::describe);
    }

    @Test
    void badInputsAreExplained() {
        Outcome unknown = run(tiny("train-vit", "--pe", "rope"));
        assertEquals(1, unknown.exit(), unknown::describe);
        assertTrue(unknown.err().contains("expected one of [embed1d, embed2d, sine2d, cape2d, mlp, lff-only, lff, none], "
                + "got 'rope'"), unknown::describe);
        Outcome missing = run("train-vit", "--data", out.resolve("none").toString(), "--out", out.toString());
        assertEquals(1, missing.exit(), missing::describe);
        assertTrue(missing.err().contains("apt-get install dataset-fashion-mnist"), missing::describe);
        Outcome size = run(tiny("compare-pe", "--encodings", "lff", "--unseen-size", "30"));
        assertEquals(1, size.exit(), size::describe);
        assertTrue(size.err().contains("--unseen-size: expected a multiple of the patch size 4 in [4, 256], got 30"),
                size::describe);
        Outcome gamma = run(tiny("train-vit", "--pe", "lff", "--gamma", "-1"));
        assertEquals(1, gamma.exit(), gamma::describe);
        assertTrue(gamma.err().contains("--gamma: expected a finite number > 0, got -1"), gamma::describe);
        Outcome lr = run(tiny("train-vit", "--pe", "lff", "--lr", "0"));
        assertEquals(1, lr.exit(), lr::describe);
        assertTrue(lr.err().contains("--lr: expected a finite number > 0, got 0"), lr::describe);
        Outcome std = run(tiny("train-vit", "--pe", "embed1d", "--table-std", "-0.1"));
        assertEquals(1, std.exit(), std::describe);
        assertTrue(std.err().contains("--table-std: expected a finite number > 0, got -0.1"), std::describe);
        Outcome amplitude = run(tiny("train-vit", "--pe", "lff", "--lff-amplitude", "LOUD"));
        assertEquals(2, amplitude.exit(), amplitude::describe);
        assertTrue(amplitude.err().contains("--lff-amplitude") && amplitude.err().contains("PAPER, UNIT"),
                amplitude::describe);
    }

    @Test
    void comparePeWritesTheTableAndThePlotWithEveryEncodingAtTheUnseenSize() throws IOException {
        Outcome o = run(tiny("compare-pe", "--encodings", "embed2d,lff,sine2d", "--epochs", "1", "--eval-every", "1"));
        assertEquals(0, o.exit(), o::describe);
        String csv = Files.readString(out.resolve("results.csv"));
        String[] lines = csv.split("\n");
        assertEquals(ComparePe.CSV_HEADER, lines[0]);
        assertEquals(4, lines.length, csv);
        assertTrue(lines[1].startsWith("embed2d,"), csv);
        for (int i = 1; i <= 3; i++) {
            String unseen = lines[i].split(",")[4];
            double acc = Double.parseDouble(unseen);       // every encoding runs on the 9 × 9 grid; embed2d interpolates
            assertTrue(acc >= 0 && acc <= 1, csv);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| embed2d |") && md.contains("accuracy at 36×36") && md.contains("grid 9×9"), md);
        List<String> curves = Files.readAllLines(out.resolve("curves.csv"));
        assertEquals(ComparePe.CURVES_HEADER, curves.getFirst());
        int steps = Integer.parseInt(lines[1].split(",")[5]);
        assertEquals(1 + 3 * steps, curves.size(), "one row per encoding and step (--eval-every 1): " + curves);
        for (String row : curves.subList(1, curves.size())) {
            double loss = Double.parseDouble(row.split(",")[3]);
            assertTrue(loss > 0 && loss < 10, "a cross-entropy over 10 classes: " + row);
        }
        byte[] png = Files.readAllBytes(out.resolve("accuracy.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(o.out().contains("| lff |"), o::describe);
    }
}
