package dev.posenc.models.graph;

import java.util.SplittableRandom;

/**
 * Anchor nodes: k nodes drawn uniformly without replacement. The default k = round(log₂² N) is P-GNN's anchor
 * budget (You et al. 2019: O(log² N) anchor sets, after Bourgain's embedding theorem), here as k single anchors, one
 * per one-hot channel; 75 for N = 400.
 */
public final class Anchors {
    private Anchors() {}

    /** round(log₂(N)²), at least 1 and at most N. */
    public static int defaultCount(int nodes) {
        double l = Math.log(nodes) / Math.log(2);
        return (int) Math.max(1, Math.min(nodes, Math.round(l * l)));
    }

    /**
     * {@code k} distinct nodes of {@code nodes}, in the order drawn (the order of the one-hot channels).
     *
     * @throws IllegalArgumentException for k < 1 or k > nodes, naming the option
     */
    public static int[] draw(int nodes, int k, long seed) {
        if (k < 1 || k > nodes) throw new IllegalArgumentException(
                "--anchors: expected 1 to %d (the graph's nodes), got %d".formatted(nodes, k));
        int[] p = new int[nodes];
        for (int i = 0; i < nodes; i++) p[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {           // partial Fisher–Yates: the first k are a uniform k-subset
            int j = i + rng.nextInt(nodes - i), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return java.util.Arrays.copyOf(p, k);
    }
}
