package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.models.data.TinyFashion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that produces NaN or Inf is an error, with or without --check-finite: it stops at the first
 * non-finite loss, names the encoding and the step, and exits 1; with --check-finite the message names the
 * op. Rendering or resuming a non-finite model file is an error naming the file. (Issue 10, findings 1 and 6.)
 */
class DivergenceTest {
    private static final int RUN_ERROR = 1;
    @TempDir static Path data;
    @TempDir Path dir;

    @BeforeAll static void makeData() throws IOException { TinyFashion.write(data, 48, 20, 28, 3); }

    /** lff at a learning rate of 1e6 reaches NaN within a few steps (issue 10's reproduction, made tiny). */
    private String[] divergingFit(String... before) {
        var args = new java.util.ArrayList<>(java.util.List.of(before));
        args.addAll(java.util.List.of("--threads", "2", "fit-image", "--size", "16", "--steps", "40",
                "--encodings", "lff", "--lff-features", "16", "--lr", "1e6", "--out", dir.resolve("o").toString()));
        return args.toArray(String[]::new);
    }

    @Test
    void aDivergedFitIsAnErrorNamingEncodingAndStep() {
        CliRun o = CliRun.of(divergingFit());
        assertEquals(RUN_ERROR, o.exit(), o::describe);
        assertTrue(Pattern.compile("encoding lff diverged at step \\d+: training loss NaN").matcher(o.err()).find()
                || Pattern.compile("encoding lff diverged at step \\d+: training loss [-]?Infinity").matcher(o.err()).find(),
                o::describe);
        assertTrue(o.err().contains("--lr"), () -> "suggests the option to change\n" + o.describe());
        assertFalse(o.out().contains("wrote grid.png"), o::describe);
    }

    @Test
    void checkFiniteNamesTheOpThatMadeTheFirstNaN() {
        CliRun o = CliRun.of(divergingFit("--check-finite"));
        assertEquals(RUN_ERROR, o.exit(), o::describe);
        assertTrue(Pattern.compile("step \\d+, encoding lff: op [a-z_]+ produced (NaN|Inf) \\(first at index \\d+\\)")
                .matcher(o.err()).find(), o::describe);
    }

    @Test
    void aDivergedVitIsAnErrorForTrainVitAndComparePe() {
        for (String command : new String[] {"train-vit", "compare-pe"}) {
            CliRun o = CliRun.of("--threads", "2", command, "--data", data.toString(), "--small", "--batch", "16",
                    "--train-limit", "48", "--test-limit", "20", "--lr", "1e30", "--seed", "0", "--out", dir.resolve(command).toString());
            assertEquals(RUN_ERROR, o.exit(), o::describe);
            assertTrue(Pattern.compile("encoding \\S+ diverged at step \\d+").matcher(o.err()).find(), o::describe);
        }
    }

    @Test
    void checkFiniteLetsHealthyRunsOfEveryEncodingThrough() {
        CliRun vit = CliRun.of("--threads", "2", "--check-finite", "compare-pe", "--data", data.toString(), "--small",
                "--batch", "16", "--train-limit", "48", "--test-limit", "20", "--encodings", "embed2d,sine2d,lff", "--out",
                dir.resolve("c").toString());
        assertEquals(0, vit.exit(), vit::describe);
        CliRun fit = CliRun.of("--threads", "2", "--check-finite", "fit-image", "--size", "16", "--steps", "3",
                "--lff-features", "16", "--encodings", "none,basic,positional,gaussian,lff,lff-only,mlp,sine2d",
                "--out", dir.resolve("f").toString());
        assertEquals(0, fit.exit(), fit::describe);
    }

    @Test
    void renderingOrResumingANonFiniteModelNamesTheFile() throws IOException {
        Path models = dir.resolve("models");
        CliRun fit = CliRun.of("--threads", "2", "fit-image", "--size", "16", "--steps", "2", "--encodings", "gaussian",
                "--out", dir.resolve("fit").toString(), "--save", models.toString());
        assertEquals(0, fit.exit(), fit::describe);
        Path model = models.resolve("gaussian.safetensors");
        CliRun.poisonFirstFloat(model, Float.NaN);
        CliRun render = CliRun.of("--threads", "2", "render", model.toString(), "--size", "8");
        assertEquals(RUN_ERROR, render.exit(), render::describe);
        assertTrue(render.err().contains(model.toString()) && render.err().contains("NaN"), render::describe);
        assertFalse(Files.exists(RenderCommand.defaultOut(model, 8)), render::describe);

        Path out = dir.resolve("vit");
        String[] vit = {"--threads", "2", "train-vit", "--data", data.toString(), "--small", "--batch", "16",
                "--train-limit", "48", "--test-limit", "20", "--pe", "sine2d", "--out", out.toString(), "--epochs"};
        CliRun first = CliRun.of(concat(vit, "1"));
        assertEquals(0, first.exit(), first::describe);
        Path ckpt = out.resolve("checkpoint-sine2d.safetensors");
        CliRun.poisonFirstFloat(ckpt, Float.POSITIVE_INFINITY);
        CliRun resumed = CliRun.of(concat(vit, "2", "--resume", ckpt.toString()));
        assertEquals(RUN_ERROR, resumed.exit(), resumed::describe);
        assertTrue(resumed.err().contains(ckpt.toString()) && resumed.err().contains("Inf"), resumed::describe);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
