package dev.posenc.models.graph;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.autograd.ops.Sparse;
import dev.posenc.core.Shape;
import dev.posenc.core.graph.Csr;
import dev.posenc.core.graph.Graph;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * GIR, Graph Inference Representation (Lu, Chen, Sun &amp; Hu, arXiv 2105.03821): anchor-based position encoding in
 * which distance to each anchor is carried implicitly by message passing along paths that leave the anchor, rather
 * than computed first and encoded after (P-GNN). <b>The layer equations below are this implementation's reading of
 * the paper's abstracts</b> (anchor indication; per-anchor "path encoding"; "a generalization of MPNNs with a more
 * specific propagation path design"); the full text's equations could not be retrieved here, so treat the exact form
 * as an assumption (README, "Positions on graphs").
 *
 * <p>For each anchor a, every node v holds a state h_{v,a} ∈ R^d, and messages flow only along shortest paths away
 * from a: node v listens to its predecessors pred_a(v) = {u ∈ N(v) : dist(a, u) = dist(a, v) − 1}.
 * <pre>
 *   h⁰_{v,a}   = [x_v ‖ 1(v = a)]                                            (anchor indication, per anchor)
 *   hˡ⁺¹_{v,a} = ReLU( hˡ_{v,a} W_sˡ + b_sˡ + mean_{u ∈ pred_a(v)} (hˡ_{u,a} W_mˡ + b_mˡ) )   l = 0 .. L−1
 *   z_v[a]     = h^L_{v,a} · w_o + b_o                                        z (N, k), P-GNN's position-aware output
 * </pre>
 * Weights are shared by all anchors, so after L layers h_{v,a} is a learned function of the shortest-path bundle
 * from a to v when dist(a, v) ≤ L (distance, path count through the mean, attributes on the way), and of v alone
 * beyond. The k per-anchor states are one (N·k, d) tensor, row v·k + a, and the k path-restricted aggregations are
 * one block-diagonal sparse product (nnz ≤ k·E), so a layer is two matmuls and one {@link Sparse#apply}.
 */
public final class Gir implements NodeEncoder {
    private record Layer(Dense self, Dense message) {}

    private final ParameterStore store;
    private final ParameterStore.Parameter input;
    private final Sparse.Operator paths;
    private final List<Layer> layers = new ArrayList<>();
    private final Dense output;
    private final int nodes, anchors;

    /** GIR on {@code graph} with node inputs x (N, F) and the given anchors; per-anchor width {@code width}. */
    public Gir(ParameterStore store, String prefix, Graph graph, float[] x, int featureDim, int[] anchorNodes, int width,
               int depth) {
        this.store = store;
        this.nodes = graph.nodes();
        this.anchors = anchorNodes.length;
        int f = featureDim + 1;
        float[] h0 = new float[Math.multiplyExact(Math.multiplyExact(nodes, anchors), f)];
        for (int v = 0; v < nodes; v++) {
            for (int a = 0; a < anchors; a++) {
                int row = (v * anchors + a) * f;
                System.arraycopy(x, v * featureDim, h0, row, featureDim);
                if (anchorNodes[a] == v) h0[row + featureDim] = 1f;
            }
        }
        this.input = store.declareBuffer(prefix + "input", Shape.of(nodes * anchors, f), Inits.values(h0));
        this.paths = Sparse.Operator.of(pathMatrix(graph, anchorNodes));
        for (int l = 0; l < depth; l++) {
            layers.add(new Layer(new Dense(store, prefix + "layers." + l + ".self", l == 0 ? f : width, width, Dense.InitScheme.TORCH),
                    new Dense(store, prefix + "layers." + l + ".message", l == 0 ? f : width, width, Dense.InitScheme.TORCH)));
        }
        this.output = new Dense(store, prefix + "output", width, 1, Dense.InitScheme.TORCH);
    }

    @Override public Var embed(Tape tape) {
        Var h = input.var(tape);
        for (Layer layer : layers) {
            Var along = Sparse.apply(tape, paths, layer.message().apply(tape, h));
            h = Activations.relu(tape, Elementwise.add(tape, layer.self().apply(tape, h), along));
        }
        return Reshape.apply(tape, output.apply(tape, h), Shape.of(nodes, anchors));
    }

    @Override public ParameterStore store() { return store; }

    /**
     * The block-diagonal mean over predecessors, (N·k) × (N·k): row v·k + a holds 1/|pred_a(v)| at column u·k + a
     * for each u ∈ pred_a(v), in increasing u. Distances are breadth-first on {@code graph}; a node that no path
     * reaches from a has no predecessor (an empty row).
     */
    static Csr pathMatrix(Graph graph, int[] anchorNodes) {
        int n = graph.nodes(), k = anchorNodes.length;
        int[][] dist = new int[k][];
        for (int a = 0; a < k; a++) dist[a] = graph.distancesFrom(anchorNodes[a]);
        Csr in = graph.in();
        int[] ptr = new int[n * k + 1];
        List<Integer> cols = new ArrayList<>();
        List<Float> vals = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            for (int a = 0; a < k; a++) {
                int start = cols.size();
                for (int j = in.rowPtr()[v]; j < in.rowPtr()[v + 1]; j++) {
                    int u = in.col()[j];
                    if (dist[a][v] > 0 && dist[a][u] == dist[a][v] - 1) cols.add(u * k + a);
                }
                int count = cols.size() - start;
                for (int i = 0; i < count; i++) vals.add(1f / count);
                ptr[v * k + a + 1] = cols.size();
            }
        }
        int[] col = new int[cols.size()];
        float[] val = new float[cols.size()];
        for (int i = 0; i < col.length; i++) { col[i] = cols.get(i); val[i] = vals.get(i); }
        return new Csr(n * k, n * k, ptr, col, val);
    }
}
