package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.RgbImage;
import dev.posenc.models.report.ResultsWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fit-image and render through the CLI, on tiny images so that the whole job runs in a second or two. */
class FitImageCommandTest {
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
    void writesTheGridThePlotTheTablesAndModelsThatRender() throws Exception {
        Path out = dir.resolve("out"), models = dir.resolve("models");
        Outcome o = run("--threads", "1", "fit-image", "astronaut", "--size", "16", "--steps", "6", "--eval-every", "3",
                "--encodings", "none,gaussian", "--lff-features", "16", "--out", out.toString(), "--save", models.toString());
        assertEquals(0, o.exit(), o::describe);
        List<String> csv = Files.readAllLines(out.resolve(ResultsWriter.CSV_NAME));
        assertEquals(ResultsWriter.CSV_HEADER, csv.getFirst());
        assertEquals(3, csv.size(), csv::toString);
        assertTrue(csv.get(1).startsWith("none,") && csv.get(2).startsWith("gaussian,"), csv::toString);
        assertTrue(Files.readString(out.resolve(ResultsWriter.MARKDOWN_NAME)).contains("| gaussian |"));
        RgbImage grid = Png.read(out.resolve(FitImageCommand.GRID));
        assertTrue(grid.width() >= 3 * 256, "three tiles side by side: truth, none, gaussian; got " + grid);
        assertTrue(Files.size(out.resolve(FitImageCommand.PLOT)) > 1000);

        Path model = models.resolve("gaussian.safetensors");
        Outcome r = run("--threads", "1", "render", model.toString(), "--size", "40");
        assertEquals(0, r.exit(), r::describe);
        RgbImage rendered = Png.read(RenderCommand.defaultOut(model, 40));
        assertEquals(40, rendered.width());
        assertEquals(40, rendered.height());
    }

    @Test
    void severalTextImagesReportMeansSpreadAndEveryFit() throws Exception {
        Path out = dir.resolve("set"), models = dir.resolve("set-models");
        Outcome o = run("--threads", "1", "fit-image", "text", "--images", "2", "--seed", "3", "--size", "16",
                "--steps", "4", "--eval-every", "2", "--encodings", "none,gaussian", "--out", out.toString(),
                "--save", models.toString());
        assertEquals(0, o.exit(), o::describe);
        List<String> means = Files.readAllLines(out.resolve(ResultsWriter.CSV_NAME));
        assertEquals(3, means.size(), means::toString);
        List<String> fits = Files.readAllLines(out.resolve(ResultsWriter.IMAGES_CSV_NAME));
        assertEquals(5, fits.size(), fits::toString);
        assertTrue(fits.get(1).startsWith("text-3,none,") && fits.get(4).startsWith("text-4,gaussian,"), fits::toString);
        assertTrue(Files.readString(out.resolve(ResultsWriter.MARKDOWN_NAME)).contains(" ± "));
        assertTrue(o.out().contains("gaussian   test PSNR") && o.out().contains("over 2 images"), o::describe);
        RgbImage grid = Png.read(out.resolve(FitImageCommand.GRID));
        RgbImage single = Png.read(writeSingle());
        assertTrue(grid.height() > 1.8 * single.height() && grid.width() == single.width(),
                "one row per image: " + grid + " against one image's " + single);
        assertTrue(Files.exists(models.resolve("text-4-gaussian.safetensors")));
        assertFalse(Files.exists(out.resolve("partial")), "a complete run leaves no partial folder");
    }

    private Path writeSingle() {
        Path out = dir.resolve("single");
        Outcome o = run("--threads", "1", "fit-image", "text", "--size", "16", "--steps", "1", "--encodings",
                "none,gaussian", "--out", out.toString());
        assertEquals(0, o.exit(), o::describe);
        return out.resolve(FitImageCommand.GRID);
    }

    @Test
    void checkpointsGoWhenTheRunCompletesAndAreNeverOverwrittenWithoutResume() throws Exception {
        Path out = dir.resolve("ck");
        String[] common = {"--threads", "1", "fit-image", "astronaut", "--size", "16", "--steps", "4", "--encodings",
                "none", "--checkpoint-every", "2", "--out", out.toString()};
        Outcome resumeWithout = run(concat(common, "--resume"));
        assertEquals(1, resumeWithout.exit(), resumeWithout::describe);
        assertTrue(resumeWithout.err().contains("--resume: expected the checkpoints of an interrupted run"),
                resumeWithout::describe);

        Outcome complete = run(common);
        assertEquals(0, complete.exit(), complete::describe);
        assertFalse(Files.exists(out.resolve("partial")), "a complete run leaves no checkpoints");

        Path left = out.resolve("partial").resolve(FitImageCommand.CHECKPOINTS);
        Files.createDirectories(left);
        Files.writeString(left.resolve("none.safetensors"), "an interrupted run's");
        Outcome fresh = run(common);
        assertEquals(1, fresh.exit(), fresh::describe);
        assertTrue(fresh.err().contains("holds the checkpoints of an interrupted run; continue it with --resume"),
                fresh::describe);
        assertEquals("an interrupted run's", Files.readString(left.resolve("none.safetensors")));
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void badInputIsNamed() throws Exception {
        Path notImage = Files.writeString(dir.resolve("notes.png"), "not a picture");
        List<List<String>> cases = List.of(
                List.of("--size", "100"), List.of("--steps", "0"), List.of("--sigma", "-1"),
                List.of("--encodings", "none,fourier"), List.of("no-such-image"), List.of(notImage.toString()),
                List.of(dir.resolve("missing.png").toString()), List.of("--images", "2"), List.of("text", "--images", "0"));
        List<String> expected = List.of("--size: expected a power of two", "--steps: expected an integer in [1, ",
                "--sigma: expected a finite number in (0, ", "--encodings: expected names from", "IMAGE: expected an image file",
                "notes.png", "missing.png", "--images: expected 1 for a single image", "--images: expected an integer in [1, ");
        for (int i = 0; i < cases.size(); i++) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("fit-image", "--out",
                    dir.resolve("o" + i).toString()), cases.get(i).stream()).toArray(String[]::new);
            Outcome o = run(args);
            String want = expected.get(i);
            assertEquals(1, o.exit(), o::describe);
            assertTrue(o.err().contains(want), () -> want + " missing from\n" + o.describe());
        }
        Outcome r = run("render", dir.resolve("nothing.safetensors").toString());
        assertEquals(1, r.exit(), r::describe);
        assertTrue(r.err().contains("MODEL: expected a .safetensors file"), r::describe);
    }
}
