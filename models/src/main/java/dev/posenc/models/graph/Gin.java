package dev.posenc.models.graph;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Elementwise;
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
 * GIN-0 (Xu et al. 2019, ε = 0), L layers, each an MLP of two linear maps after a sum over the neighbourhood:
 * <pre>
 *   mˡ_e = Hˡ[src_e]                 (gather over the E directed message edges u → v)
 *   Hˡ⁺¹ = MLP_l(Hˡ + Σ_{e: dst_e = v} mˡ_e),   MLP_l = Linear · ReLU · Linear,  ReLU between layers
 * </pre>
 * written the MPNN way, a gather of messages and a segment sum at their destinations ({@link Csr#gather},
 * {@link Csr#segments}, both built once), so that the model exercises both ops (GCN uses the fused product). X as in
 * {@link Gcn}.
 */
public final class Gin implements NodeEncoder {
    private record Layer(Dense first, Dense second) {}

    private final ParameterStore store;
    private final ParameterStore.Parameter features;
    private final Sparse.Operator gather, segmentSum;   // built once: E-row gather by source, sum by destination
    private final List<Layer> layers = new ArrayList<>();

    public Gin(ParameterStore store, String prefix, Graph graph, float[] features, int featureDim, int hidden, int out,
               int depth) {
        this.store = store;
        int nodes = graph.nodes();
        this.features = store.declareBuffer(prefix + "features", Shape.of(nodes, featureDim), Inits.values(features));
        Csr in = graph.in();
        int[] dst = new int[in.nnz()];
        for (int v = 0; v < nodes; v++) for (int k = in.rowPtr()[v]; k < in.rowPtr()[v + 1]; k++) dst[k] = v;
        gather = Sparse.Operator.of(Csr.gather(in.col(), nodes));
        segmentSum = Sparse.Operator.of(Csr.segments(dst, nodes));
        for (int l = 0; l < depth; l++) {
            int i = l == 0 ? featureDim : hidden, o = l == depth - 1 ? out : hidden;
            layers.add(new Layer(new Dense(store, prefix + "layers." + l + ".0", i, hidden, Dense.InitScheme.TORCH),
                    new Dense(store, prefix + "layers." + l + ".1", hidden, o, Dense.InitScheme.TORCH)));
        }
    }

    @Override public Var embed(Tape tape) {
        Var h = features.var(tape);
        for (int l = 0; l < layers.size(); l++) {
            Var messages = Sparse.apply(tape, gather, h);
            Var sum = Elementwise.add(tape, h, Sparse.apply(tape, segmentSum, messages));
            Layer layer = layers.get(l);
            h = layer.second().apply(tape, Activations.relu(tape, layer.first().apply(tape, sum)));
            if (l < layers.size() - 1) h = Activations.relu(tape, h);
        }
        return h;
    }

    @Override public ParameterStore store() { return store; }
}
