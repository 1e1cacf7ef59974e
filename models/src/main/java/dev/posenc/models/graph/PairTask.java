package dev.posenc.models.graph;

import dev.posenc.core.graph.Generators;
import dev.posenc.core.graph.Graph;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A position-aware task on node pairs, as in P-GNN (You, Ying &amp; Leskovec 2019) and its public code: score a pair
 * (u, v) by the dot product of the two node embeddings, ROC-AUC over held-out positive pairs and as many sampled
 * negatives. Nodes carry no features (a constant 1, P-GNN's setting without node ids), so only the graph tells
 * nodes apart.
 *
 * <ul>
 *   <li><b>link</b> ({@link #link}): 10 % of the edges for validation and 10 % for test are removed from the graph the
 *       model sees; positives are the removed edges, negatives node pairs that are no edge of the full graph;</li>
 *   <li><b>pairs</b> ({@link #communityPairs}): the whole graph is seen; positives are pairs of nodes in the same
 *       community, split 80/10/10, negatives pairs from different communities.</li>
 * </ul>
 * Training positives are the remaining edges (pairs); training negatives are drawn afresh every epoch
 * ({@link #trainNegatives}), as many as positives, among pairs that are not training positives. (P-GNN draws them
 * once; fresh draws each epoch are the usual practice and this implementation's choice.)
 *
 * @param graph    the graph messages pass over (link: without the held-out edges)
 * @param train    training positives (the negatives are drawn per epoch)
 * @param val      validation pairs with labels
 * @param test     test pairs with labels
 * @param positive the set of pairs a training negative must avoid (keys {@link #key})
 */
public record PairTask(String name, Graph graph, Pairs train, Pairs val, Pairs test, Set<Long> positive) {
    /** The 20 × 20 grid's size and P-GNN's communities: 20 connected-caveman cliques of 20, 1 % of edges rewired. */
    public static final int GRID_SIDE = 20, COMMUNITIES = 20, COMMUNITY_SIZE = 20;
    public static final double REWIRE = 0.01, HELD_OUT = 0.2;

    /** Node pairs (u[i], v[i]) with labels 1 (positive) or 0. */
    public record Pairs(int[] u, int[] v, float[] label) {
        public int size() { return u.length; }
    }

    /** Link prediction on the 20 × 20 grid; the split is drawn from {@code seed}. */
    public static PairTask gridLink(long seed) { return link("grid-link", Generators.grid(GRID_SIDE, GRID_SIDE), seed); }

    /** Link prediction on P-GNN's communities, rewired with {@code seed}. */
    public static PairTask communitiesLink(long seed) { return link("communities-link", communities(seed), seed); }

    static Graph communities(long seed) {
        return Generators.rewire(Generators.connectedCaveman(COMMUNITIES, COMMUNITY_SIZE), REWIRE, seed);
    }

    /**
     * Link prediction on {@code full}: the edges are shuffled with {@code seed}, the last 20 % held out (half
     * validation, half test), and each held-out half gets as many negatives, drawn among non-edges of {@code full}.
     *
     * @throws IllegalArgumentException when the graph has too few edges to hold out one for validation and test
     */
    public static PairTask link(String name, Graph full, long seed) {
        int m = full.edges();
        int held = (int) (m * HELD_OUT), valCount = held / 2, testCount = held - valCount;
        if (valCount < 1 || testCount < 1) throw new IllegalArgumentException(
                "%s: expected at least 10 edges to hold out 10 %% for validation and 10 %% for test, got %d".formatted(name, m));
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = permutation(m, rng);
        int trainCount = m - held;
        boolean[] keep = new boolean[m];
        for (int i = 0; i < trainCount; i++) keep[order[i]] = true;
        Graph seen = full.subgraph(keep);
        int n = full.nodes();
        Set<Long> edges = new HashSet<>(), trainEdges = new HashSet<>();
        for (int e = 0; e < m; e++) edges.add(key(full.src(e), full.dst(e), n));
        int[] tu = new int[trainCount], tv = new int[trainCount];
        for (int i = 0; i < trainCount; i++) {
            tu[i] = full.src(order[i]);
            tv[i] = full.dst(order[i]);
            trainEdges.add(key(tu[i], tv[i], n));
        }
        Pairs val = heldOut(full, order, trainCount, valCount, edges, rng);
        Pairs test = heldOut(full, order, trainCount + valCount, testCount, edges, rng);
        return new PairTask(name, seen, new Pairs(tu, tv, ones(trainCount)), val, test, trainEdges);
    }

    /**
     * Pairwise node classification on P-GNN's communities: is (u, v) in one community? Positives: all same-community
     * pairs (20 · 190), shuffled with {@code seed} and split 80/10/10; validation and test get as many negatives,
     * pairs from different communities.
     */
    public static PairTask communityPairs(long seed) {
        Graph g = communities(seed);
        int n = g.nodes();
        int pairs = COMMUNITIES * COMMUNITY_SIZE * (COMMUNITY_SIZE - 1) / 2;
        int[] pu = new int[pairs], pv = new int[pairs];
        Set<Long> positive = new HashSet<>();
        int i = 0;
        for (int c = 0; c < COMMUNITIES; c++) {
            for (int a = 0; a < COMMUNITY_SIZE; a++) {
                for (int b = a + 1; b < COMMUNITY_SIZE; b++) {
                    pu[i] = c * COMMUNITY_SIZE + a;
                    pv[i] = c * COMMUNITY_SIZE + b;
                    positive.add(key(pu[i], pv[i], n));
                    i++;
                }
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = permutation(pairs, rng);
        int held = (int) (pairs * HELD_OUT), valCount = held / 2, trainCount = pairs - held;
        int[] tu = new int[trainCount], tv = new int[trainCount];
        Set<Long> trainPositive = new HashSet<>();
        for (int k = 0; k < trainCount; k++) {
            tu[k] = pu[order[k]];
            tv[k] = pv[order[k]];
            trainPositive.add(key(tu[k], tv[k], n));
        }
        Pairs val = withNegatives(pu, pv, order, trainCount, valCount, n, positive, rng);
        Pairs test = withNegatives(pu, pv, order, trainCount + valCount, held - valCount, n, positive, rng);
        return new PairTask("communities-pairs", g, new Pairs(tu, tv, ones(trainCount)), val, test, trainPositive);
    }

    /** Training negatives for one epoch: {@code count} pairs u ≠ v that are not training positives. */
    public Pairs trainNegatives(int count, SplittableRandom rng) {
        int n = graph.nodes();
        int[] u = new int[count], v = new int[count];
        for (int i = 0; i < count; i++) {
            long k;
            do {
                u[i] = rng.nextInt(n);
                v[i] = rng.nextInt(n);
                k = key(u[i], v[i], n);
            } while (u[i] == v[i] || positive.contains(k));
        }
        return new Pairs(u, v, new float[count]);
    }

    private static Pairs heldOut(Graph full, int[] order, int from, int count, Set<Long> edges, SplittableRandom rng) {
        int[] pu = new int[full.edges()], pv = new int[full.edges()];
        for (int e = 0; e < full.edges(); e++) { pu[e] = full.src(e); pv[e] = full.dst(e); }
        return withNegatives(pu, pv, order, from, count, full.nodes(), edges, rng);
    }

    /** Positives order[from .. from+count) of (pu, pv), then as many negatives u ≠ v outside {@code avoid}. */
    private static Pairs withNegatives(int[] pu, int[] pv, int[] order, int from, int count, int n, Set<Long> avoid,
                                       SplittableRandom rng) {
        int[] u = new int[2 * count], v = new int[2 * count];
        float[] label = new float[2 * count];
        for (int i = 0; i < count; i++) {
            u[i] = pu[order[from + i]];
            v[i] = pv[order[from + i]];
            label[i] = 1;
        }
        long possible = (long) n * (n - 1) / 2 - avoid.size();
        if (possible < count) throw new IllegalArgumentException(
                "expected at least %d node pairs that are no edge to sample as negatives, got %d".formatted(count, possible));
        for (int i = count; i < 2 * count; i++) {
            do {
                u[i] = rng.nextInt(n);
                v[i] = rng.nextInt(n);
            } while (u[i] == v[i] || avoid.contains(key(u[i], v[i], n)));
        }
        return new Pairs(u, v, label);
    }

    /** The undirected pair key min·n + max. */
    static long key(int u, int v, int n) { return (long) Math.min(u, v) * n + Math.max(u, v); }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }
}
