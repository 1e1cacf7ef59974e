package dev.posenc.models.graph;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Sparse;
import dev.posenc.core.Shape;
import dev.posenc.core.graph.Graph;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * GCN (Kipf &amp; Welling 2017), L layers:
 * <pre>
 *   H⁰ = X (N, F);   Hˡ⁺¹ = ReLU(Â · Hˡ Wˡ + bˡ) for l &lt; L − 1;   Z = Â · H^{L−1} W^{L−1} + b^{L−1}   (N, out)
 * </pre>
 * with Â = D^-½(A+I)D^-½ ({@link Graph#gcnNormalized}) through {@link Sparse#apply}. The linear map runs before the
 * propagation (Â(HW) = (ÂH)W, and HW is the narrower). X is the constant 1 per node, and with anchor indication
 * also one one-hot channel per anchor: X = [1 ‖ 1(v = a₁) … 1(v = a_k)] (N, 1 + k) (GIR's "anchor indication").
 */
public final class Gcn implements NodeEncoder {
    private final ParameterStore store;
    private final ParameterStore.Parameter features;
    private final Sparse.Operator propagation;
    private final List<Dense> layers = new ArrayList<>();

    /** A GCN on {@code graph} over fixed {@code features} (N, F); its weights are declared in {@code store}. */
    public Gcn(ParameterStore store, String prefix, Graph graph, float[] features, int featureDim, int hidden, int out,
               int depth) {
        this.store = store;
        this.features = store.declareBuffer(prefix + "features", Shape.of(graph.nodes(), featureDim), Inits.values(features));
        this.propagation = Sparse.Operator.of(graph.gcnNormalized());
        for (int l = 0; l < depth; l++) {
            layers.add(new Dense(store, prefix + "layers." + l, l == 0 ? featureDim : hidden, l == depth - 1 ? out : hidden,
                    Dense.InitScheme.TORCH));
        }
    }

    @Override public Var embed(Tape tape) {
        Var h = features.var(tape);
        for (int l = 0; l < layers.size(); l++) {
            h = Sparse.apply(tape, propagation, layers.get(l).apply(tape, h));
            if (l < layers.size() - 1) h = Activations.relu(tape, h);
        }
        return h;
    }

    @Override public ParameterStore store() { return store; }

    /**
     * Node inputs: the constant 1, then one one-hot channel per anchor if any: (N, 1 + anchors.length), row-major.
     */
    public static float[] indicated(int nodes, int[] anchors) {
        int f = 1 + anchors.length;
        float[] x = new float[nodes * f];
        for (int v = 0; v < nodes; v++) x[v * f] = 1f;
        for (int a = 0; a < anchors.length; a++) x[anchors[a] * f + 1 + a] = 1f;
        return x;
    }
}
