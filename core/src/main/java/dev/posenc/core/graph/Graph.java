package dev.posenc.core.graph;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A simple graph on nodes 0 .. N−1: no self-loops, no repeated edge, directed or undirected, stored as the CSR
 * of its in-neighbours (row v lists every u with an edge u → v, in increasing u). An undirected edge {u, v} is
 * stored both ways, so for an undirected graph the rows are plain neighbour lists.
 *
 * <p>In-neighbours because messages flow along edges: the aggregation at v, out[v] = Σ_{u → v} x[u], is the
 * product of this CSR with x.
 *
 * <p>{@link #of} is strict: an out-of-range node id, a self-loop or a repeated edge is an
 * {@link IllegalArgumentException} naming the edge. (The file reader {@link EdgeLists} drops self-loops and repeats
 * and reports how many, because real edge lists often carry both directions of an undirected edge.)
 */
public final class Graph {
    private final int n;
    private final boolean directed;
    private final Csr in;
    private final int[] src, dst; // the edges as given (for undirected: each once, src < dst)

    private Graph(int n, boolean directed, Csr in, int[] src, int[] dst) {
        this.n = n;
        this.directed = directed;
        this.in = in;
        this.src = src;
        this.dst = dst;
    }

    /**
     * The graph with {@code n} nodes and edges src[e] → dst[e] (for an undirected graph, the edge {src[e], dst[e]}).
     *
     * @throws IllegalArgumentException for n < 1 (an empty graph), arrays of different lengths, a node id outside
     *     [0, n), a self-loop, or an edge given twice (undirected: u–v and v–u are the same edge)
     */
    public static Graph of(int n, int[] src, int[] dst, boolean directed) {
        if (n < 1) throw new IllegalArgumentException("graph: expected at least 1 node, got an empty graph (n = " + n + ")");
        if (src.length != dst.length) throw new IllegalArgumentException(
                "graph: src and dst: expected the same length, got %d and %d".formatted(src.length, dst.length));
        Map<Long, Integer> seen = new HashMap<>(src.length * 2);
        int[] s = new int[src.length], d = new int[dst.length];
        for (int e = 0; e < src.length; e++) {
            int u = src[e], v = dst[e];
            if (u < 0 || u >= n || v < 0 || v >= n) throw new IllegalArgumentException(
                    "graph: edge %d (%d, %d): node id out of range [0, %d)".formatted(e, u, v, n));
            if (u == v) throw new IllegalArgumentException(
                    "graph: edge %d (%d, %d): self-loop (message passing adds its own where it wants one)".formatted(e, u, v));
            if (!directed && u > v) { int t = u; u = v; v = t; }
            Integer first = seen.putIfAbsent((long) u * n + v, e);
            if (first != null) throw new IllegalArgumentException("graph: edge %d (%d, %d): repeats edge %d%s"
                    .formatted(e, src[e], dst[e], first, directed ? "" : " (undirected: u–v and v–u are one edge)"));
            s[e] = u;
            d[e] = v;
        }
        return new Graph(n, directed, inNeighbours(n, s, d, directed), s, d);
    }

    private static Csr inNeighbours(int n, int[] s, int[] d, boolean directed) {
        int m = directed ? s.length : 2 * s.length;
        int[] rows = new int[m], cols = new int[m];
        for (int e = 0; e < s.length; e++) {
            rows[e] = d[e];
            cols[e] = s[e];
            if (!directed) {
                rows[s.length + e] = s[e];
                cols[s.length + e] = d[e];
            }
        }
        // Sorting (row, col) keys gives each row's sources in increasing order: a fixed summation order.
        long[] keys = new long[m];
        for (int k = 0; k < m; k++) keys[k] = (long) rows[k] * n + cols[k];
        Arrays.sort(keys);
        int[] ptr = new int[n + 1], col = new int[m];
        for (int k = 0; k < m; k++) {
            ptr[(int) (keys[k] / n) + 1]++;
            col[k] = (int) (keys[k] % n);
        }
        for (int v = 0; v < n; v++) ptr[v + 1] += ptr[v];
        return new Csr(n, n, ptr, col, null);
    }

    public int nodes() { return n; }

    public boolean directed() { return directed; }

    /** Edges as given: undirected ones once each. */
    public int edges() { return src.length; }

    /** Source of edge e (undirected: the smaller end). */
    public int src(int e) { return src[e]; }

    /** Destination of edge e (undirected: the larger end). */
    public int dst(int e) { return dst[e]; }

    /** The in-neighbour CSR (N × N, values 1): row v lists u for every u → v. */
    public Csr in() { return in; }

    public int inDegree(int v) { return in.rowPtr()[v + 1] - in.rowPtr()[v]; }

    public boolean hasEdge(int u, int v) {
        int[] p = in.rowPtr();
        return Arrays.binarySearch(in.col(), p[v], p[v + 1], u) >= 0;   // u → v
    }

    /**
     * GCN's propagation matrix Â = D_r^-½ (A + I) D_c^-½ over in-neighbours (Kipf &amp; Welling 2017), as a CSR
     * whose row v holds v's in-neighbours and v itself in increasing order. D_r and D_c are the row and column
     * sums of A + I; for an undirected graph both are the degree plus one, the usual D^-½(A+I)D^-½.
     */
    public Csr gcnNormalized() { return withSelfLoops(true); }

    /** A + I over in-neighbours, values 1 (GIN's sum with ε = 0: h_v + Σ_{u → v} h_u). */
    public Csr withSelfLoops() { return withSelfLoops(false); }

    private Csr withSelfLoops(boolean normalize) {
        int[] p = in.rowPtr(), c = in.col();
        int[] ptr = new int[n + 1], col = new int[in.nnz() + n];
        int k = 0;
        for (int v = 0; v < n; v++) {
            boolean placed = false;
            for (int j = p[v]; j < p[v + 1]; j++) {
                if (!placed && c[j] > v) { col[k++] = v; placed = true; }
                col[k++] = c[j];
            }
            if (!placed) col[k++] = v;
            ptr[v + 1] = k;
        }
        if (!normalize) return new Csr(n, n, ptr, col, null);
        double[] rowSum = new double[n], colSum = new double[n];
        for (int v = 0; v < n; v++) {
            rowSum[v] = ptr[v + 1] - ptr[v];
            for (int j = ptr[v]; j < ptr[v + 1]; j++) colSum[col[j]]++;
        }
        float[] val = new float[col.length];
        for (int v = 0; v < n; v++) {
            for (int j = ptr[v]; j < ptr[v + 1]; j++) val[j] = (float) (1 / Math.sqrt(rowSum[v] * colSum[col[j]]));
        }
        return new Csr(n, n, ptr, col, val);
    }

    /**
     * Hop distances from {@code source} along edge directions (breadth-first), −1 where unreachable.
     */
    public int[] distancesFrom(int source) {
        Csr out = directed ? in.transpose() : in;   // out-neighbours: row u lists v for u → v
        int[] dist = new int[n];
        Arrays.fill(dist, -1);
        dist[source] = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(source);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int j = out.rowPtr()[u]; j < out.rowPtr()[u + 1]; j++) {
                int v = out.col()[j];
                if (dist[v] < 0) { dist[v] = dist[u] + 1; queue.add(v); }
            }
        }
        return dist;
    }

    /** The same nodes with only the edges whose index has keep[e] true (a training graph with held-out edges). */
    public Graph subgraph(boolean[] keep) {
        int m = 0;
        for (boolean b : keep) if (b) m++;
        int[] s = new int[m], d = new int[m];
        for (int e = 0, i = 0; e < src.length; e++) {
            if (keep[e]) { s[i] = src[e]; d[i] = dst[e]; i++; }
        }
        return of(n, s, d, directed);
    }

    @Override public String toString() {
        return "Graph(%d nodes, %d %s edges)".formatted(n, edges(), directed ? "directed" : "undirected");
    }
}
