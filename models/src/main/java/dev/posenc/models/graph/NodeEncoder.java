package dev.posenc.models.graph;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.models.nn.ParameterStore;

/** A GNN that maps the whole graph to one embedding per node, z (N, out); the pair score is z_u · z_v. */
public interface NodeEncoder {
    /** The node embeddings, recorded on {@code tape}. */
    Var embed(Tape tape);

    /** The model's parameters (the caller allocates and closes the store). */
    ParameterStore store();
}
