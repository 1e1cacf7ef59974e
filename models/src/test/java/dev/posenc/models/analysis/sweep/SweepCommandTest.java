package dev.posenc.models.analysis.sweep;

import dev.posenc.models.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analyze sweep through the CLI, on an 8×8 astronaut for a few steps. */
class SweepCommandTest {
    @TempDir Path dir;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    @Test
    void writesOneRowPerScaleAndThePlot() throws Exception {
        Path out = dir.resolve("out");
        String[] o = run("--threads", "1", "analyze", "sweep", "--size", "8", "--steps", "2", "--scales", "gaussian=0.5,2",
                "--scales", "positional=1,2,3", "--out", out.toString());
        assertEquals("0", o[0], () -> String.join("\n", o));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(List.of("encoding,scale,train_psnr,test_psnr"), csv.subList(0, 1));
        assertEquals(6, csv.size(), csv::toString);
        assertTrue(csv.get(1).startsWith("gaussian,0.5,") && csv.get(3).startsWith("positional,1,"), csv::toString);
        for (String line : csv.subList(1, 6)) assertEquals(4, line.split(",").length, line);
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("- gaussian: best test PSNR") && md.contains("- positional: best test PSNR"), md);
        assertTrue(Files.size(out.resolve("sweep.png")) > 1000);
        assertTrue(o[1].contains("gaussian   σ=0.5 ") && o[1].contains("positional s=3 "), () -> "a line per fit\n" + o[1]);
    }

    @Test
    void defaultGridsSurroundFitImagesScales() {
        assertEquals(ScaleGrid.octaves(1.25, -3, 4), SweepCommand.defaultScales("gaussian", 64));
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), SweepCommand.defaultScales("positional", 64));
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), SweepCommand.defaultScales("positional", 8), "s0 = 0: only those > 0");
    }

    @Test
    void badInputIsOneNamedLineAndKeepsWhatWasWritten() throws Exception {
        Path out = Files.createDirectories(dir.resolve("kept"));
        Path csv = Files.writeString(out.resolve("results.csv"), "an earlier run\n");
        List<List<String>> cases = List.of(List.of("--scales", "gaussian=0"), List.of("--scales", ""),
                List.of("--encodings", "gaussian,basic"), List.of("--scales", "gaussian=1,two"),
                List.of("--scales", "lff=1"), List.of("--size", "48"), List.of("no-such-image"));
        List<String> expected = List.of("--scales: expected finite numbers > 0, got 0 in 'gaussian=0'",
                "--scales: expected a comma-separated list of numbers > 0, got an empty list in ''",
                "--encodings: expected names from [gaussian, positional, lff], got 'basic'",
                "--scales: expected finite numbers > 0, got 'two' in 'gaussian=1,two'",
                "--scales: expected NAME=LIST with NAME among [gaussian, positional], got 'lff=1'",
                "--size: expected a power of two >= 4 (the train and test grids are S/2), got 48",
                "IMAGE: expected an image file or a built-in (astronaut, text), got 'no-such-image': no such file");
        for (int i = 0; i < cases.size(); i++) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("analyze", "sweep", "--steps", "1",
                    "--out", out.toString()), cases.get(i).stream()).toArray(String[]::new);
            String[] o = run(args);
            String want = expected.get(i);
            assertEquals("1", o[0], () -> String.join("\n", o));
            String[] lines = o[2].strip().split("\n");
            assertEquals(1, lines.length, () -> String.join("\n", o));
            assertTrue(lines[0].endsWith(want), () -> "wanted " + want + "\n" + String.join("\n", o));
            assertEquals("an earlier run\n", Files.readString(csv));
            assertEquals(List.of(csv), Files.list(out).toList(), "nothing else written");
        }
    }
}
