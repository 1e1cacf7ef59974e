package dev.posenc.core.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The synthetic graphs of the position-aware GNN benchmarks (You, Ying &amp; Leskovec 2019, P-GNN, whose public
 * {@code dataset.py} builds them with networkx): a 2-D grid and connected-caveman communities with a few edges
 * rewired. Node numbering follows networkx, so a node id means the same thing here and there.
 */
public final class Generators {
    private Generators() {}

    /**
     * The rows × cols 4-neighbour grid ({@code nx.grid_2d_graph} relabelled to integers): node r·cols + c, edges
     * to (r, c+1) and (r+1, c). 20 × 20 gives 400 nodes and 760 edges.
     */
    public static Graph grid(int rows, int cols) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException(
                "grid: expected rows, cols >= 1, got %d × %d".formatted(rows, cols));
        List<int[]> e = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = r * cols + c;
                if (c + 1 < cols) e.add(new int[] {v, v + 1});
                if (r + 1 < rows) e.add(new int[] {v, v + cols});
            }
        }
        return undirected(Math.multiplyExact(rows, cols), e);
    }

    /**
     * {@code nx.connected_caveman_graph(l, k)}: l cliques of k nodes (clique i holds nodes i·k .. i·k + k − 1),
     * where in each clique the edge (i·k, i·k + 1) is replaced by (i·k, i·k − 1 mod l·k), joining the cliques in a
     * ring. Needs k ≥ 3 so that the clique stays connected when its edge is moved.
     */
    public static Graph connectedCaveman(int cliques, int size) {
        if (cliques < 2 || size < 3) throw new IllegalArgumentException(
                "caveman: expected at least 2 cliques of at least 3 nodes, got %d of %d".formatted(cliques, size));
        int n = Math.multiplyExact(cliques, size);
        List<int[]> e = new ArrayList<>();
        for (int start = 0; start < n; start += size) {
            for (int a = start; a < start + size; a++) {
                for (int b = a + 1; b < start + size; b++) {
                    if (a == start && b == start + 1) continue;   // the edge moved to the ring
                    e.add(new int[] {a, b});
                }
            }
            e.add(new int[] {start, Math.floorMod(start - 1, n)});
        }
        return undirected(n, e);
    }

    /**
     * P-GNN's rewiring of the communities graph: each edge (u, v) in turn, with probability p, becomes (u, x) for
     * a node x drawn uniformly, unless x = u or u–x is already an edge (then it stays). P-GNN uses p = 0.01.
     * (P-GNN does not exclude x = u and can make a self-loop; this one does not.) Seeded: the same seed gives the
     * same graph.
     */
    public static Graph rewire(Graph g, double p, long seed) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("rewire: p: expected in [0, 1], got " + p);
        if (g.directed()) throw new IllegalArgumentException("rewire: expected an undirected graph, got a directed one");
        SplittableRandom rng = new SplittableRandom(seed);
        int n = g.nodes();
        Set<Long> edges = new HashSet<>();
        List<int[]> list = new ArrayList<>();
        for (int e = 0; e < g.edges(); e++) {
            edges.add(key(g.src(e), g.dst(e), n));
            list.add(new int[] {g.src(e), g.dst(e)});
        }
        for (int[] edge : list) {
            if (rng.nextDouble() >= p) continue;
            int u = edge[0], x = rng.nextInt(n);
            if (x == u || edges.contains(key(u, x, n))) continue;
            edges.remove(key(edge[0], edge[1], n));
            edges.add(key(u, x, n));
            edge[1] = x;
        }
        return undirected(n, list);
    }

    private static long key(int u, int v, int n) { return (long) Math.min(u, v) * n + Math.max(u, v); }

    private static Graph undirected(int n, List<int[]> e) {
        int[] s = new int[e.size()], d = new int[e.size()];
        for (int i = 0; i < s.length; i++) { s[i] = e.get(i)[0]; d[i] = e.get(i)[1]; }
        return Graph.of(n, s, d, false);
    }
}
