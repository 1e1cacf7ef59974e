package dev.posenc.models.analysis.toy1d;

import dev.posenc.models.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analyze toy1d through the CLI, at a size that runs in about a second. */
class Toy1dCommandTest {
    @TempDir Path dir;

    record Outcome(int exit, String out, String err) {
        String describe() { return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /** Tiny: 32 points, one signal per p, 3 steps of a 2-layer width-8 MLP on 4 frequencies. */
    static final List<String> TINY = List.of("--threads", "1", "analyze", "toy1d", "--points", "32", "--signals", "1", "--steps", "3", "--width", "8", "--depth", "2", "--features", "4");

    private Outcome tiny(Path out, String... more) {
        return run(Stream.concat(Stream.concat(TINY.stream(), Stream.of("--out", out.toString())), Stream.of(more))
                .toArray(String[]::new));
    }

    @Test
    void writesTheTablesAndPlotsWithTheRightColumns() throws Exception {
        Path out = dir.resolve("out");
        Outcome o = tiny(out, "--p", "0.5,2", "--scales", "gaussian=1,4,16", "--scales", "positional=2");
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("mapping,p,scale,train_psnr,test_psnr", csv.getFirst());
        assertEquals(1 + 2 * 3 + 2, csv.size(), csv::toString);
        assertEquals("gaussian,0.5,1", csv.get(1).substring(0, csv.get(1).lastIndexOf(',', csv.get(1).lastIndexOf(',') - 1)));
        assertTrue(csv.getLast().startsWith("positional,2,2,"), csv::toString);
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            assertEquals(5, cells.length, line);
            Double.parseDouble(cells[3]);
            Double.parseDouble(cells[4]);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("- gaussian, p = 0.5: best test PSNR"), md);
        assertTrue(md.contains("| positional | 2 | 2 |"), md);
        assertTrue(Files.size(out.resolve("toy1d_sigma.png")) > 1000);
        assertTrue(Files.size(out.resolve("toy1d_scale.png")) > 1000);
        assertTrue(o.out().contains("gaussian, p = 2: best test PSNR"), o::describe);
        assertTrue(o.out().contains("positional p=2    s=2 "), () -> "one summary line per row\n" + o.describe());
    }

    @Test
    void badInputIsOneNamedLineAndKeepsWhatWasWritten() throws Exception {
        Path out = Files.createDirectories(dir.resolve("kept"));
        Path csv = Files.writeString(out.resolve("results.csv"), "an earlier run\n");
        List<List<String>> cases = List.of(
                List.of("--scales", "gaussian=0"), List.of("--scales", "gaussian=-1,2"), List.of("--scales", ""),
                List.of("--scales", "positional=1,x"), List.of("--mappings", "gaussian,fourier"),
                List.of("--p", "one"), List.of("--train-every", "1"), List.of("--max-frequency", "16"),
                List.of("--lr", "0"), List.of("--max-frequency", "0"));
        List<String> expected = List.of(
                "--scales: expected finite numbers > 0, got 0 in 'gaussian=0'",
                "--scales: expected finite numbers > 0, got -1 in 'gaussian=-1,2'",
                "--scales: expected a comma-separated list of numbers > 0, got an empty list in ''",
                "--scales: expected finite numbers > 0, got 'x' in 'positional=1,x'",
                "--mappings: expected names from [gaussian, positional], got 'fourier'",
                "--p: expected finite numbers >= 0, got 'one'",
                "--train-every: expected an integer from 2 to N/2 = 16, got 1",
                "--max-frequency: expected 1 <= K < N/2 = 16, got 16",
                "--lr: expected a finite rate > 0, got 0.0",
                "--max-frequency: expected 1 <= K < N/2 = 16, got 0");
        for (int i = 0; i < cases.size(); i++) {
            Outcome o = tiny(out, cases.get(i).toArray(String[]::new));
            String want = expected.get(i);
            assertEquals(1, o.exit(), o::describe);
            String[] lines = o.err().strip().split("\n");
            assertEquals(1, lines.length, o::describe);
            assertTrue(lines[0].endsWith(want), () -> "wanted " + want + "\n" + o.describe());
            assertEquals("an earlier run\n", Files.readString(csv));
            assertEquals(List.of(csv), Files.list(out).toList(), "nothing else written");
        }
    }
}
