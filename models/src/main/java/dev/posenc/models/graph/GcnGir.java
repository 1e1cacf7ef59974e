package dev.posenc.models.graph;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.ParameterStore;

/**
 * A GCN's embedding fused with GIR's (the papers' "GIR embeddings are complementary to typical GNNs"): both trained
 * together, then one linear map of their concatenation,
 * <pre>
 *   z = [z_gcn ‖ z_gir] · W + b  =  z_gcn W₁ + z_gir W₂ + b        (N, out)
 * </pre>
 * written as the sum of two products so that no column concatenation is needed. The GCN branch sees no anchors.
 */
public final class GcnGir implements NodeEncoder {
    private final ParameterStore store;
    private final Gcn gcn;
    private final Gir gir;
    private final Dense fromGcn, fromGir;

    public GcnGir(ParameterStore store, Gcn gcn, int gcnOut, Gir gir, int anchors, int out) {
        this.store = store;
        this.gcn = gcn;
        this.gir = gir;
        this.fromGcn = new Dense(store, "fuse.gcn", gcnOut, out, Dense.InitScheme.TORCH);
        this.fromGir = new Dense(store, "fuse.gir", anchors, out, Dense.InitScheme.TORCH);
    }

    @Override public Var embed(Tape tape) {
        Var a = fromGcn.apply(tape, gcn.embed(tape));
        Var b = fromGir.apply(tape, gir.embed(tape));
        return Elementwise.add(tape, a, b);   // both biases add; harmless, one would do
    }

    @Override public ParameterStore store() { return store; }
}
