package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run the machine (or --max-memory) cannot hold is refused before it allocates, naming the option to change
 * (issue 10, finding 2: --size 4096, --lff-features 1e8 and --lff-hidden 2e9 allocated tens of GB or died).
 */
class MemoryBudgetTest {
    @TempDir Path dir;

    private CliRun fit(String maxMemory, String... more) {
        String[] head = {"--max-memory", maxMemory, "--threads", "2", "fit-image", "--out", dir.resolve("o").toString()};
        String[] all = java.util.Arrays.copyOf(head, head.length + more.length);
        System.arraycopy(more, 0, all, head.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void aLargeImageIsRefusedNamingSizeAndTheOverride() {
        CliRun o = fit("8g", "--size", "4096");
        assertEquals(1, o.exit(), o::describe);
        assertTrue(o.err().contains("fit-image: needs about ") && o.err().contains("more than the --max-memory limit of 8.0 GiB")
                && o.err().contains("use a smaller --size, or --max-memory "), o::describe);
        assertFalse(o.out().contains("steps in"), o::describe);
    }

    @Test
    void wideLffLayersAreRefusedNamingThem() {
        CliRun wide = fit("64m", "--encodings", "lff", "--lff-features", "8192", "--lff-hidden", "8192");
        assertEquals(1, wide.exit(), wide::describe);
        assertTrue(wide.err().contains("use a smaller --lff-features or --lff-hidden"), wide::describe);
        CliRun huge = fit("1t", "--encodings", "lff", "--lff-features", "65536", "--lff-hidden", "65536");
        assertEquals(1, huge.exit(), huge::describe);
        assertTrue(huge.err().contains("--lff-features, --lff-hidden: lff: ") && huge.err().contains("parameters"),
                huge::describe);
    }

    @Test
    void aLargeVitBatchIsRefusedBeforeTheDataIsRead() {
        CliRun o = CliRun.of("--max-memory", "256m", "train-vit", "--batch", "4096", "--data", dir.toString(), "--out",
                dir.resolve("v").toString());
        assertEquals(1, o.exit(), o::describe);
        assertTrue(o.err().contains("train-vit: needs about ") && o.err().contains("use a smaller --batch"), o::describe);
    }

    @Test
    void machineMemoryIsKnownAndSizesReadAsUsersWriteThem() {
        assertTrue(MemoryBudget.machineBytes() > (64L << 20), "a machine that runs a JVM has more than 64 MiB");
        assertEquals(8L << 30, OptionChecks.bytes("--max-memory", "8g"));
        assertEquals(512L << 20, OptionChecks.bytes("--max-memory", "512M"));
        assertEquals(3L << 29, OptionChecks.bytes("--max-memory", "1.5GiB"));
        assertEquals("1.5 GiB", MemoryBudget.human(3L << 29));
    }
}
