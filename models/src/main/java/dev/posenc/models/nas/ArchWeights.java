package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Mixture;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.Arrays;

/**
 * DARTS's architecture parameters α (one vector of K logits per edge, drawn 10⁻³·N(0, 1) as in DARTS) and
 * DARTS-PT's projection bookkeeping ({@code get_projected_weights} in {@code model_search_darts_proj.py}):
 * <pre>
 *   weights(e) = one-hot(chosen op)                 if edge e is projected (a constant: α no longer matters)
 *              = softmax(α_e) ⊙ mask_e              otherwise, where mask zeroes the candidate being perturbed
 * </pre>
 * The masked weights are NOT renormalised: removing an op removes its share of the edge's output, as in
 * {@code project_op}.
 */
final class ArchWeights implements AutoCloseable {
    private final ParameterStore store = new ParameterStore();
    private final ParameterStore.Parameter[] alpha;
    private final int[] projected;
    private final int k;

    ArchWeights(int edges, int candidates, long seed) {
        k = candidates;
        alpha = new ParameterStore.Parameter[edges];
        for (int e = 0; e < edges; e++) alpha[e] = store.declare("alpha" + e, Shape.of(candidates), Inits.normal(1e-3));
        store.allocate(new Rng(seed));
        projected = new int[edges];
        Arrays.fill(projected, -1);
    }

    ParameterStore store() { return store; }

    int edges() { return alpha.length; }

    /** The op index edge e was projected to, or −1. */
    int projected(int e) { return projected[e]; }

    boolean isProjected(int e) { return projected[e] >= 0; }

    /** Fixes edge e to candidate {@code op}: its weights become one-hot from now on. */
    void project(int e, int op) {
        if (op < 0 || op >= k) throw new IllegalArgumentException("project: op: expected 0.." + (k - 1) + ", got " + op);
        projected[e] = op;
    }

    /** α of edge e, copied. */
    float[] alpha(int e) { return alpha[e].value().toArray(); }

    /** softmax(α_e), computed here in double for reports. */
    double[] softmax(int e) {
        float[] a = alpha(e);
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (float v : a) max = Math.max(max, v);
        double[] p = new double[a.length];
        for (int i = 0; i < a.length; i++) z += p[i] = Math.exp(a[i] - max);
        for (int i = 0; i < a.length; i++) p[i] /= z;
        return p;
    }

    /** Every edge's mixing weights on {@code tape}; {@code maskEdge}/{@code maskOp} ≥ 0 zero one candidate of one edge. */
    Var[] weights(Tape tape, int maskEdge, int maskOp) {
        Var[] w = new Var[alpha.length];
        for (int e = 0; e < alpha.length; e++) {
            if (projected[e] >= 0) {
                Tensor oneHot = tape.alloc(k);
                oneHot.set(projected[e], 1f);
                w[e] = tape.constant(oneHot);
                continue;
            }
            float[] mask = null;
            if (e == maskEdge) {
                mask = new float[k];
                Arrays.fill(mask, 1f);
                mask[maskOp] = 0f;
            }
            w[e] = Mixture.weights(tape, alpha[e].var(tape), mask);
        }
        return w;
    }

    Var[] weights(Tape tape) { return weights(tape, -1, -1); }

    @Override public void close() { store.close(); }
}
