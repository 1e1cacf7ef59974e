package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every number on the command line is checked for being finite and in range before anything runs, with a
 * one-line error naming the option (issue 10, findings 2, 6 and 7). Each case fails fast: nothing trains.
 */
class OptionLimitsTest {
    @TempDir Path dir;

    /** args → the text the first line of stderr must contain. */
    private record Case(List<String> args, String expected) {}

    private static Case c(String expected, String... args) { return new Case(List.of(args), expected); }

    @Test
    void fitImageNumbersAreFiniteAndInRange() {
        check(a -> prepend(a, "fit-image", "--out", dir.resolve("fit").toString()),
                c("--lr: expected a finite number > 0, got Infinity", "--lr", "Infinity"),
                c("--lr: expected a finite number > 0, got Infinity", "--lr", "1e309"),
                c("--lr: expected a finite number > 0, got NaN", "--lr", "NaN"),
                c("--posenc-scale: expected a finite number in [0, 16]", "--posenc-scale", "1e6"),
                c("--sigma: expected a finite number in (0, 16384]", "--sigma", "1e9"),
                c("--sigma: expected a finite number in (0, 16384]", "--sigma", "Infinity"),
                c("--gamma: expected a finite number in [", "--gamma", "1e-12"),
                c("--steps: expected an integer in [1, ", "--steps", "-5"),
                c("--size: expected a power of two in [4, 16384]", "--size", "65536"),
                c("--lff-features: expected an even integer in [2, 65536]", "--lff-features", "100000000"),
                c("--lff-hidden: expected an integer in [1, 65536]", "--lff-hidden", "2000000000"),
                c("--lff-dims: expected an integer in [1, 65536]", "--lff-dims", "0"),
                c("--eval-every: expected an integer in [1, ", "--eval-every", "0"),
                c("--encodings: expected at least one name", "--encodings", ","),
                c("--encodings: expected names from", "--encodings", "none,,lff"));
    }

    @Test
    void topLevelNumbersAreChecked() {
        check(a -> a,
                c("--threads: expected an integer in [1, 1024], got 40000", "--threads", "40000", "info"),
                c("--threads: expected an integer in [1, 1024], got 0", "--threads", "0", "info"),
                c("--max-memory: expected a size such as 512m, 8g or 1t, got '12q'", "--max-memory", "12q", "info"),
                c("--max-memory: expected a size such as 512m, 8g or 1t, got '0'", "--max-memory", "0", "info"));
    }

    @Test
    void vitNumbersAreFiniteAndInRange() {
        for (String command : List.of("train-vit", "compare-pe")) {
            check(a -> prepend(a, command, "--data", dir.toString(), "--out", dir.resolve(command).toString()),
                    c("--lr: expected a finite number > 0, got Infinity", "--lr", "Infinity"),
                    c("--gamma: expected a finite number > 0, got NaN", "--gamma", "NaN"),
                    c("--epochs: expected an integer in [1, ", "--epochs", "0"),
                    c("--batch: expected an integer in [1, ", "--batch", "0"),
                    c("--train-limit: expected an integer in [1, ", "--train-limit", "-3"),
                    c("--test-limit: expected an integer in [1, ", "--test-limit", "0"),
                    c("--eval-every: expected an integer in [1, ", "--eval-every", "0"));
        }
        check(a -> prepend(a, "compare-pe", "--data", dir.toString(), "--out", dir.resolve("c").toString()),
                c("--encodings: expected at least one name", "--encodings", ","));
        check(a -> prepend(a, "train-vit", "--data", dir.toString(), "--out", dir.resolve("t").toString()),
                c("--resume: expected a checkpoint file written by train-vit, got the folder", "--resume",
                        dir.toString()));
    }

    private static void check(Function<List<String>, List<String>> command, Case... cases) {
        List<Executable> checks = new ArrayList<>();
        for (Case k : cases) {
            CliRun o = CliRun.of(command.apply(k.args()).toArray(String[]::new));
            String first = o.err().lines().findFirst().orElse("");
            checks.add(() -> assertNotEquals(0, o.exit(), () -> k + "\n" + o.describe()));
            checks.add(() -> assertTrue(first.contains(k.expected()), () -> k + "\n" + o.describe()));
            checks.add(() -> assertTrue(!o.out().contains("steps in") && !o.out().contains("wrote"),
                    () -> "nothing may train or be written: " + k + "\n" + o.describe()));
        }
        assertAll(checks);
    }

    private static List<String> prepend(List<String> tail, String... head) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(tail);
        return all;
    }
}
