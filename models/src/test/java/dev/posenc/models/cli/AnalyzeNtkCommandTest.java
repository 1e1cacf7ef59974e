package dev.posenc.models.cli;

import dev.posenc.models.analysis.ntk.NtkReport;
import dev.posenc.models.analysis.ntk.SpectralBiasReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analyze ntk and analyze spectral-bias through the CLI, on a few points so each run takes a second or two. */
class AnalyzeNtkCommandTest {
    @TempDir Path dir;

    private record Outcome(int exit, String out, String err) {
        String describe() { return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    @Test
    void ntkWritesTheSpectrumTheKernelRowAndTheTables() throws Exception {
        Path out = dir.resolve("ntk");
        Outcome o = run("--threads", "1", "analyze", "ntk", "--points", "16", "--encodings", "none,gaussian", "--steps", "2",
                "--frequencies", "1,3", "--out", out.toString());
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve(NtkReport.CSV));
        assertEquals(String.join(",", NtkReport.CSV_HEADER), csv.getFirst());
        assertEquals(1 + 2 * 2 * 16, csv.size(), "2 encodings × (init, step 2) × 16 eigenvalues");
        assertTrue(csv.get(1).startsWith("none,0,") && csv.getLast().startsWith("gaussian,15,") && csv.getLast().endsWith(",2"),
                csv::toString);
        assertTrue(Files.readString(out.resolve(NtkReport.MARKDOWN)).contains("| gaussian | 2 |"));
        assertTrue(Files.size(out.resolve(NtkReport.SPECTRUM)) > 1000 && Files.size(out.resolve(NtkReport.KERNEL)) > 1000);
        assertEquals(4, o.out().lines().filter(l -> l.contains(" step ")).count(), o::describe);  // one line per kernel
    }

    @Test
    void ntkOnATwoDimensionalGrid() throws Exception {
        Path out = dir.resolve("ntk2");
        Outcome o = run("--threads", "1", "analyze", "ntk", "--dims", "2", "--points", "25", "--encodings", "lff",
                "--frequencies", "1", "--out", out.toString());
        assertEquals(0, o.exit(), o::describe);
        assertEquals(1 + 25, Files.readAllLines(out.resolve(NtkReport.CSV)).size());
    }

    @Test
    void spectralBiasWritesMeasuredAndPredictedCurves() throws Exception {
        Path out = dir.resolve("sb");
        Outcome o = run("--threads", "1", "analyze", "spectral-bias", "--points", "16", "--frequencies", "1,3",
                "--steps", "4", "--every", "2", "--encodings", "none,basic", "--out", out.toString());
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve(SpectralBiasReport.CSV));
        assertEquals(String.join(",", SpectralBiasReport.CSV_HEADER), csv.getFirst());
        assertEquals(1 + 2 * 2 * 3, csv.size(), "2 encodings × 2 frequencies × steps 0, 2, 4");
        assertTrue(csv.get(1).startsWith("none,1,0,"), csv::toString);
        assertTrue(Files.size(out.resolve(SpectralBiasReport.PLOT)) > 1000);
    }

    @Test
    void badInputIsOneLineNamingTheOptionAndOverwritesNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("kept"));
        Files.writeString(out.resolve(NtkReport.CSV), "old results\n");
        String[][] cases = {
                {"ntk", "--encodings", "none,fourier", "--points", "16"},
                {"ntk", "--sigma", "-1", "--points", "16"},
                {"ntk", "--sigma", "0", "--points", "16"},
                {"ntk", "--dims", "3"},
                {"ntk", "--dims", "2", "--points", "20"},
                {"ntk", "--points", "200000"},
                {"ntk", "--points", "16", "--frequencies", "8"},
                {"spectral-bias", "--encodings", "embed2d"},
                {"spectral-bias", "--lr-scale", "2"},
                {"spectral-bias", "--points", "100000"},
        };
        String[] named = {"--encodings", "--sigma", "--sigma", "--dims", "--points", "--points", "--frequencies",
                "--encodings", "--lr-scale", "--points"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 4];
            args[0] = "analyze";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            args[args.length - 3] = "--out";
            args[args.length - 2] = out.toString();
            args[args.length - 1] = "--seed=1";
            Outcome o = run(args);
            assertNotEquals(0, o.exit(), o::describe);
            String err = o.err().strip();
            assertEquals(1, err.lines().count(), o::describe);
            assertTrue(err.contains(named[i] + ":"), o::describe);
            assertFalse(err.contains("\tat "), o::describe);
        }
        assertEquals("old results\n", Files.readString(out.resolve(NtkReport.CSV)));
        Outcome unknown = run("analyze", "ntk", "--encodings", "fourier", "--points", "16", "--out", out.toString());
        assertTrue(unknown.err().contains("none, basic, positional, gaussian, lff"), unknown::describe);
        Outcome big = run("analyze", "ntk", "--points", "200000", "--out", out.toString());
        assertTrue(big.err().contains("GB") && big.err().contains("at most"), big::describe);
    }
}
