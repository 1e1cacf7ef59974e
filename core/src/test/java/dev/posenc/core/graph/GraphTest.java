package dev.posenc.core.graph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** CSR graphs, their normalisations, the P-GNN generators and the edge-list reader's policies. */
class GraphTest {
    /** float32 rounding of 1/√(d_u d_v). */
    private static final double TOL = 1e-6;

    @Test
    void pathOfThreeHasTheHandWorkedGcnMatrix() {
        // 0 – 1 – 2: degrees + 1 are 2, 3, 2. Â[0,0] = 1/2, Â[0,1] = 1/√6, Â[1,1] = 1/3, Â[2,1] = 1/√6.
        Graph g = Graph.of(3, new int[] {0, 1}, new int[] {1, 2}, false);
        double[] a = g.gcnNormalized().toDense();
        double s6 = 1 / Math.sqrt(6);
        double[] want = {0.5, s6, 0, s6, 1.0 / 3, s6, 0, s6, 0.5};
        for (int i = 0; i < 9; i++) assertEquals(want[i], a[i], TOL, "Â[" + i / 3 + "," + i % 3 + "]");
        assertArrayEquals(new double[] {1, 1, 0, 1, 1, 1, 0, 1, 1}, g.withSelfLoops().toDense());
    }

    @Test
    void directedEdgesAreStoredAsInNeighbours() {
        Graph g = Graph.of(3, new int[] {0, 2}, new int[] {1, 1}, true);
        assertTrue(g.hasEdge(0, 1));
        assertFalse(g.hasEdge(1, 0));
        assertEquals(2, g.inDegree(1));
        assertEquals(0, g.inDegree(0));
        assertArrayEquals(new int[] {0, 1, -1}, g.distancesFrom(0));
    }

    @Test
    void transposeOfTransposeIsTheMatrix() {
        Csr a = Generators.grid(3, 4).gcnNormalized();
        Csr tt = a.transpose().transpose();
        assertArrayEquals(a.rowPtr(), tt.rowPtr());
        assertArrayEquals(a.col(), tt.col());
        assertArrayEquals(a.val(), tt.val());
        double[] d = a.toDense(), t = a.transpose().toDense();
        for (int i = 0; i < 12; i++) for (int j = 0; j < 12; j++) assertEquals(d[i * 12 + j], t[j * 12 + i]);
    }

    @Test
    void badEdgesAreRefusedNamingTheEdge() {
        var range = assertThrows(IllegalArgumentException.class, () -> Graph.of(3, new int[] {0, 1}, new int[] {1, 3}, false));
        assertTrue(range.getMessage().contains("edge 1 (1, 3): node id out of range [0, 3)"), range.getMessage());
        var loop = assertThrows(IllegalArgumentException.class, () -> Graph.of(3, new int[] {2}, new int[] {2}, false));
        assertTrue(loop.getMessage().contains("self-loop"), loop.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> Graph.of(3, new int[] {0, 1}, new int[] {1, 0}, false));
        assertTrue(twice.getMessage().contains("edge 1 (1, 0): repeats edge 0"), twice.getMessage());
        Graph.of(3, new int[] {0, 1}, new int[] {1, 0}, true);   // directed: two different edges
        var empty = assertThrows(IllegalArgumentException.class, () -> Graph.of(0, new int[0], new int[0], false));
        assertTrue(empty.getMessage().contains("empty graph"), empty.getMessage());
    }

    @Test
    void gridAndCavemanHaveNetworkxSizes() {
        Graph grid = Generators.grid(20, 20);
        assertEquals(400, grid.nodes());
        assertEquals(760, grid.edges());              // 2·20·19
        assertEquals(2, grid.inDegree(0));
        assertEquals(4, grid.inDegree(21));
        Graph cave = Generators.connectedCaveman(20, 20);
        assertEquals(400, cave.nodes());
        assertEquals(20 * 190, cave.edges());         // each clique keeps its edge count; one moves to the ring
        assertTrue(cave.hasEdge(399, 0) && !cave.hasEdge(0, 1) && cave.hasEdge(19, 20));
        Graph rewired = Generators.rewire(cave, 0.01, 5);
        assertEquals(cave.edges(), rewired.edges());
        int moved = 0;
        for (int e = 0; e < cave.edges(); e++) if (!rewired.hasEdge(cave.src(e), cave.dst(e))) moved++;
        assertTrue(moved > 10 && moved < 80, "about 1 % of 3800 edges move, got " + moved);
        Graph again = Generators.rewire(cave, 0.01, 5);
        for (int e = 0; e < rewired.edges(); e++) assertTrue(again.hasEdge(rewired.src(e), rewired.dst(e)), "seeded");
    }

    @Test
    void edgeListDropsLoopsAndRepeatsAndSaysSo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("g.txt");
        Files.writeString(f, "# source target\n10 20 1.5\n20 10\n\n30 30\n20 30 # comment\n");
        EdgeLists.Parsed p = EdgeLists.read(f, false, 0);
        assertEquals(3, p.graph().nodes());             // ids 10, 20, 30 relabelled 0, 1, 2
        assertEquals(2, p.graph().edges());
        assertTrue(p.graph().hasEdge(0, 1) && p.graph().hasEdge(1, 2));
        assertEquals("dropped 1 self-loop (first at line 5); dropped 1 repeated edge (first at line 3); "
                + "node ids relabelled 0..2 in increasing order", p.describe());
        Path out = dir.resolve("w.txt");
        EdgeLists.write(out, p.graph());
        EdgeLists.Parsed back = EdgeLists.read(out, false, 3);
        assertEquals(2, back.graph().edges());
        assertEquals("read as given", back.describe());
    }

    @Test
    void edgeListErrorsNameTheFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "0 1\n1 7\n");
        var range = assertThrows(IllegalArgumentException.class, () -> EdgeLists.read(f, false, 5));
        assertEquals(f + ":2: node id 7 out of range [0, 5) (the declared node count)", range.getMessage());
        Files.writeString(f, "0 x\n");
        var word = assertThrows(IllegalArgumentException.class, () -> EdgeLists.read(f, false, 0));
        assertTrue(word.getMessage().endsWith(":1: node id: expected a non-negative integer, got \"x\""), word.getMessage());
        Files.writeString(f, "# nothing\n");
        var none = assertThrows(IllegalArgumentException.class, () -> EdgeLists.read(f, false, 0));
        assertTrue(none.getMessage().contains("expected at least one edge"), none.getMessage());
    }
}
