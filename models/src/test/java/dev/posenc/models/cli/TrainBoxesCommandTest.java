package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainBoxesCommandTest {
    @TempDir Path out;

    private record Outcome(int exit, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int exit = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new Outcome(exit, o.toString(), e.toString());
    }

    @Test void allVariantsWriteARowPerRunAndAPlot() throws IOException {
        Outcome o = run("--threads", "2", "train-boxes", "--pe", "all", "--seeds", "0,1", "--steps", "4",
                "--eval-every", "2", "--batch", "4", "--test-screens", "12", "--out", out.toString());
        assertEquals(0, o.exit(), o.err());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("pe,groups,seed,accuracy,steps_to_90", csv.getFirst());
        assertEquals(1 + 5 * 2, csv.size());
        assertTrue(csv.contains(csv.stream().filter(l -> l.startsWith("lff,2,1,")).findFirst().orElseThrow()));
        assertTrue(Files.size(out.resolve("accuracy.png")) > 1000);
        assertEquals(10, o.out().lines().filter(l -> l.matches(".*  seed \\d  accuracy .*")).count(), o.out());
        assertTrue(o.out().contains("| lff | 2 |"), o.out());
    }

    @Test void comparePeRefusesAnUnknownTask() {
        Outcome o = run("compare-pe", "--task", "text", "--out", out.toString());
        assertNotEquals(0, o.exit());
        assertTrue(o.err().contains("--task: expected vit or boxes, got 'text'"), o.err());
    }

    @Test void badInputIsOneLineNamingTheOption() throws IOException {
        Files.writeString(out.resolve("results.csv"), "kept");
        Outcome groups = run("train-boxes", "--pe", "lff", "--groups", "3", "--out", out.toString());
        assertNotEquals(0, groups.exit());
        assertTrue(groups.err().contains("--groups: expected a divisor of the 4 box coordinates (1, 2 or 4), got 3"),
                groups.err());
        assertFalse(groups.err().contains("\tat "), groups.err());   // no stack trace
        Outcome pe = run("train-boxes", "--pe", "rope", "--out", out.toString());
        assertNotEquals(0, pe.exit());
        assertTrue(pe.err().contains("--pe: expected one of lff, sine, mlp, none or all, got 'rope'"), pe.err());
        assertEquals("kept", Files.readString(out.resolve("results.csv")));
    }
}
