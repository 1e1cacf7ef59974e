package dev.posenc.models.analysis.embedders;

import dev.posenc.models.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analyze embedders and analyze kernel through the CLI, at toy sizes. */
class AnalyzeCommandsTest {
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
    void embeddersWritesItsTableAndPlots() throws Exception {
        Path out = dir.resolve("emb"), signal = Files.writeString(dir.resolve("s.txt"), "0.1\n0.4\n0.3\n0.8\n0.5\n0.2\n0.9\n0.6\n");
        Outcome o = run("--threads", "1", "analyze", "embedders", "--signal", signal.toString(), "--sweep",
                "gaussian=0.1,0.01", "--sweep", "rff=2", "--shifts", "20", "--steps", "10", "--out", out.toString());
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(EmbeddersCommand.CSV_HEADER, csv.getFirst());
        assertEquals(4, csv.size(), csv::toString);
        assertTrue(csv.get(2).startsWith("gaussian,0.01,") && csv.get(3).startsWith("rff,2,"), csv::toString);
        assertTrue(o.out().contains("gaussian  σ=0.1"), o.out());
        for (String png : List.of(EmbeddersCommand.KERNEL_PLOT, EmbeddersCommand.TRADEOFF_PLOT)) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void badEmbedderInputIsOneLineNamingTheOptionAndKeepsEarlierResults() throws Exception {
        Path out = Files.createDirectories(dir.resolve("keep"));
        Files.writeString(out.resolve("results.csv"), "earlier");
        Path nan = Files.writeString(dir.resolve("nan.txt"), "0.1\nnan\n0.2\n0.3\n");
        List<List<String>> cases = List.of(
                List.of("--sweep", "gauss=0.1"), List.of("--sweep", "gaussian=0"), List.of("--sweep", "rff=-1"),
                List.of("--sweep", "gaussian"), List.of("--signal", nan.toString()),
                List.of("--signal", dir.resolve("none.txt").toString()), List.of("--shifts", "7"),
                List.of("--image", dir.resolve("none.png").toString(), "--row", "3"), List.of("--shifts", "100000"));
        List<String> expect = List.of("--sweep", "--sweep", "--sweep", "--sweep", "--signal", "--signal", "--shifts", "--image",
                "samples × shifts");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new java.util.ArrayList<>(List.of("analyze", "embedders", "--out", out.toString()));
            args.addAll(cases.get(i));
            Outcome o = run(args.toArray(String[]::new));
            assertNotEquals(0, o.exit(), o::describe);
            String first = o.err().lines().findFirst().orElse("");
            assertTrue(first.contains(expect.get(i)) && !o.err().contains("\tat "), o.describe());
            assertEquals("earlier", Files.readString(out.resolve("results.csv")));
        }
        Outcome unknown = run("analyze", "embedders", "--out", out.toString(), "--sweep", "fourier=1");
        assertTrue(unknown.err().contains("gaussian, triangle, square, impulse, sine, rff, linf, logf"), unknown.describe());
    }

    @Test
    void kernelWritesItsTableAndPlots() throws Exception {
        Path out = dir.resolve("kernel");
        Outcome o = run("--threads", "1", "analyze", "kernel", "--features", "8,32", "--grid", "4", "--draws", "2",
                "--plot-features", "8", "--fit-steps", "2", "--out", out.toString());
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("encoding,features,kernel_rmse", csv.getFirst());
        assertEquals(1 + 4 * 2 + 1, csv.size(), csv::toString);
        assertTrue(csv.getLast().startsWith("lff-trained,8,"), csv::toString);
        for (String png : List.of("kernel.png", "kernel_rmse.png")) assertTrue(Files.size(out.resolve(png)) > 1000, png);
        Outcome bad = run("analyze", "kernel", "--features", "10", "--out", out.toString());
        assertTrue(bad.err().contains("--features") && bad.exit() != 0, bad.describe());
        Outcome huge = run("analyze", "kernel", "--features", "400000", "--out", out.toString());
        assertTrue(huge.err().contains("n² × F") && huge.exit() != 0, huge.describe());
    }
}
