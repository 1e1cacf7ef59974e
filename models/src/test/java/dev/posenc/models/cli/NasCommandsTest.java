package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.models.data.TinyFashion;
import dev.posenc.models.nas.DartsReport;
import dev.posenc.models.nas.EncodingReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nas darts and nas encoding end to end at toy sizes, and their bad-input messages. */
class NasCommandsTest {
    @TempDir static Path data;
    @TempDir Path out;

    @BeforeAll static void makeData() throws IOException { TinyFashion.write(data, 24, 6, 28, 5); }

    private String[] darts(String... more) {
        String[] base = {"--threads", "2", "nas", "darts", "--data", data.toString(), "--train", "8", "--val", "8", "--test", "6",
                "--batch", "4", "--epochs", "1", "--channels", "2", "--retrain-epochs", "1", "--seeds", "0", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void dartsWritesBothSelectionsWithArchitecturesFromTheCandidates() throws IOException {
        CliRun r = CliRun.of(darts("--ops", "skip_connect,conv_3x3,max_pool_3x3"));
        assertEquals(0, r.exit(), r::describe);
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(DartsReport.CSV_HEADER, lines.getFirst());
        assertEquals(3, lines.size(), "one row per selection");
        Set<String> allowed = Set.of("skip_connect", "conv_3x3", "max_pool_3x3");
        for (String line : lines.subList(1, 3)) {
            String[] f = line.split(",");
            String[] ops = f[2].split("\\|");
            assertEquals(6, ops.length, line);
            for (String op : ops) assertTrue(allowed.contains(op), line);
            assertEquals(java.util.Arrays.stream(ops).filter("skip_connect"::equals).count(), Long.parseLong(f[5]), line);
            double acc = Double.parseDouble(f[4]);
            assertTrue(acc >= 0 && acc <= 1, line);
        }
        assertTrue(Files.size(out.resolve("alpha.png")) > 0);
        assertTrue(Files.size(out.resolve("accuracy.png")) > 0);
        assertFalse(Files.exists(out.resolve("partial")), "the partial folder goes once the run is complete");
        // the first seed's seconds carry the JIT warm-up: results.md says how much compiling each seed saw
        java.util.regex.Matcher jit = java.util.regex.Pattern.compile("the JIT compiled for (\\d+\\.\\d) s during seed\\(s\\) 0 ")
                .matcher(Files.readString(out.resolve("results.md")));
        assertTrue(jit.find(), "results.md names the JIT's seconds per seed");
        assertTrue(Double.parseDouble(jit.group(1)) >= 0, jit.group());
    }

    @Test
    void unknownOrEmptyCandidatesAreOneLineErrorsNamingTheOption() {
        CliRun r = CliRun.of(darts("--ops", "skip_connect,conv_5x5"));
        assertEquals(1, r.exit(), r::describe);
        assertTrue(r.err().contains("--ops: expected one of none,skip_connect,conv_3x3,sep_conv_3x3,dil_conv_3x3,avg_pool_3x3,max_pool_3x3, got 'conv_5x5'"), r::describe);
        r = CliRun.of(darts("--ops", "none"));
        assertEquals(1, r.exit(), r::describe);
        assertTrue(r.err().contains("--ops: expected at least one operation other than none"), r::describe);
        assertFalse(r.err().contains("\tat "), "no stack trace for a user's mistake");
    }

    @Test
    void encodingSearchRanksTheChoicesAgainstTrainingEachAlone() throws IOException {
        CliRun r = CliRun.of("--threads", "2", "nas", "encoding", "--encodings", "none,basic,positional", "--size", "8", "--steps", "3",
                "--seeds", "0", "--out", out.toString());
        assertEquals(0, r.exit(), r::describe);
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(EncodingReport.CSV_HEADER, lines.getFirst());
        assertEquals(3, lines.size());
        for (String line : lines.subList(1, 3)) {
            String[] f = line.split(",");
            assertEquals("fit-image", f[0]);
            assertTrue(Set.of("none", "basic", "positional").contains(f[3]), line);
            int rank = Integer.parseInt(f[4]);
            assertTrue(rank >= 1 && rank <= 3, line);
        }
    }

    @Test
    void encodingBadInputNamesTheOptionAndTheValidNames() {
        CliRun r = CliRun.of("nas", "encoding", "--encodings", "none,fourier", "--out", out.toString());
        assertEquals(1, r.exit(), r::describe);
        assertTrue(r.err().contains("--encodings: expected names from none,basic,positional,gaussian,lff"), r::describe);
        r = CliRun.of("nas", "encoding", "--task", "vit", "--encodings", "none,cape2d", "--data", data.toString(), "--out", out.toString());
        assertEquals(1, r.exit(), r::describe);
        assertTrue(r.err().contains("--encodings: expected names from embed1d,embed2d,sine2d,mlp,lff-only,lff,none, got 'cape2d'"), r::describe);
        r = CliRun.of("nas", "encoding", "--task", "vit", "--encodings", "", "--data", data.toString(), "--out", out.toString());
        assertEquals(1, r.exit(), r::describe);
        assertTrue(r.err().contains("--encodings: expected at least two of"), r::describe);
        r = CliRun.of("nas", "encoding", "--task", "transformer", "--out", out.toString());
        assertEquals(1, r.exit(), r::describe);
        assertTrue(r.err().contains("--task: expected fit-image or vit, got 'transformer'"), r::describe);
        assertFalse(r.err().contains("\tat "), "no stack trace for a user's mistake");
    }

    @Test
    void vitEncodingSearchRanksTheChoicesAgainstTrainingEachAlone() throws IOException {
        CliRun r = CliRun.of("--threads", "2", "nas", "encoding", "--task", "vit", "--data", data.toString(), "--train-images", "8",
                "--val-images", "8", "--test-images", "6", "--batch", "4", "--epochs", "1", "--dim", "8", "--seeds", "0",
                "--out", out.toString());
        assertEquals(0, r.exit(), r::describe);
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(EncodingReport.CSV_HEADER, lines.getFirst());
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("vit,0,alpha,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("vit,0,perturbation,"), lines.get(2));
        for (String line : lines.subList(1, 3)) {
            String[] f = line.split(",");
            assertTrue(Set.of("none", "sine2d", "embed2d", "mlp", "lff").contains(f[3]), line);
            int rank = Integer.parseInt(f[4]);
            assertTrue(rank >= 1 && rank <= 5, line);
        }
        List<String> candidates = Files.readAllLines(out.resolve("candidates.csv"));
        assertEquals("seed,candidate,alone_test_accuracy,rank_alone,final_alpha_weight,supernet_val_accuracy_without", candidates.getFirst());
        assertEquals(6, candidates.size(), "one row per candidate");
        assertTrue(Files.size(out.resolve("alpha.png")) > 0);
        assertFalse(Files.exists(out.resolve("partial")));
    }
}
