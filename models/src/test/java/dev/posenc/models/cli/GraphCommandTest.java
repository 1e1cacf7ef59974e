package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandTest {
    @TempDir Path out;

    private static CliRun run(String... args) { return CliRun.of(args); }

    @Test void writesARowPerRunAndThePlot() throws IOException {
        CliRun o = run("--threads", "2", "graph", "--task", "grid-link,communities-pairs", "--models", "gcn,gcn+gir",
                "--seeds", "0,1", "--epochs", "2", "--eval-every", "2", "--anchors", "3", "--depth", "1", "--gir-width", "2",
                "--hidden", "4", "--out", out.toString());
        assertEquals(0, o.exit(), o.err());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("task,model,seed,roc_auc,seconds", csv.getFirst());
        assertEquals(1 + 2 * 2 * 2, csv.size());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("communities-pairs,gcn+gir,1,")), csv.toString());
        assertTrue(Files.size(out.resolve("auc.png")) > 1000);
        assertEquals(8, o.out().lines().filter(l -> l.matches(".*  seed \\d  test ROC-AUC .*")).count(), o.out());
        assertTrue(Files.readString(out.resolve("results.md")).contains("| grid-link | gcn | "));
    }

    @Test void readsAnEdgeListFile() throws IOException {
        Path edges = out.resolve("ring.txt");
        StringBuilder sb = new StringBuilder("# a ring of 30 with chords, both directions of one edge listed\n");
        for (int i = 0; i < 30; i++) sb.append(i).append(' ').append((i + 1) % 30).append('\n').append(i).append(' ').append((i + 7) % 30).append('\n');
        sb.append("1 0\n");
        Files.writeString(edges, sb);
        CliRun o = run("--threads", "1", "graph", "--task", "file-link", "--graph", edges.toString(), "--models", "gin",
                "--seeds", "0", "--epochs", "2", "--out", out.resolve("f").toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("Graph(30 nodes, 60 undirected edges); dropped 1 repeated edge (first at line 62)"), o.out());
    }

    @Test void badInputIsOneLineNamingTheOption() throws IOException {
        Files.writeString(out.resolve("results.csv"), "kept");
        CliRun anchors = run("graph", "--anchors", "401", "--models", "gir", "--out", out.toString());
        assertNotEquals(0, anchors.exit());
        assertTrue(anchors.err().contains("--anchors: expected 1 to 400 (the graph's nodes), got 401"), anchors.err());
        assertFalse(anchors.err().contains("\tat "), anchors.err());
        CliRun model = run("graph", "--models", "gat", "--out", out.toString());
        assertTrue(model.err().contains("--models: expected a list of gcn, gin, gcn-anchor, gin-anchor, gir, gcn+gir, got \"gat\""), model.err());
        CliRun noFile = run("graph", "--task", "file-link", "--out", out.toString());
        assertTrue(noFile.err().contains("--graph: expected an edge-list FILE for --task file-link, got none"), noFile.err());
        Path bad = out.resolve("bad.txt");
        Files.writeString(bad, "0 1\n1 9\n");
        CliRun range = run("graph", "--task", "file-link", "--graph", bad.toString(), "--nodes", "5", "--out", out.toString());
        assertTrue(range.err().contains(bad + ":2: node id 9 out of range [0, 5)"), range.err());
        Files.writeString(bad, "");
        CliRun empty = run("graph", "--task", "file-link", "--graph", bad.toString(), "--out", out.toString());
        assertTrue(empty.err().contains("expected at least one edge"), empty.err());
        CliRun task = run("graph", "--task", "cora", "--out", out.toString());
        assertTrue(task.err().contains("--task: expected one of"), task.err());
        assertEquals("kept", Files.readString(out.resolve("results.csv")));
    }
}
