package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Mixture;
import dev.posenc.core.Rng;
import dev.posenc.core.UnaryOp;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.nn.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * fit-image's coordinate network with its positional encoding as a DARTS edge: each candidate encoding enc_i has its
 * own first layer (the encodings differ in width), and the first hidden layer is their mixture,
 * <pre>
 *   h = ReLU( Σ_i w_i · Dense_i(enc_i(x)) ),   rgb = sigmoid(MLP(h))   (MLP: 256 → 256 → 256 → 3, ReLU)
 * </pre>
 * so that with one-hot weights it is exactly Tancik's 4-layer network on that encoding. w = softmax(α) (masked for
 * perturbation) from one {@link ArchWeights} edge.
 */
final class EncodingSupernet implements AutoCloseable {
    static final int WIDTH = 256;

    /** One store per candidate (encodings declare fixed tensor names, e.g. basic's and positional's B), then the MLP's. */
    private final List<ParameterStore> stores = new ArrayList<>();
    private final List<Encoding> encodings = new ArrayList<>();
    private final List<Dense> firsts = new ArrayList<>();
    private final Mlp rest;

    EncodingSupernet(List<String> candidates, EncodingParams params, long seed) {
        for (String name : candidates) {
            ParameterStore store = new ParameterStore();
            stores.add(store);
            Encoding e = Encodings.create(name, params, store);
            encodings.add(e);
            firsts.add(new Dense(store, "first." + name, e.outputDims(), WIDTH, Dense.InitScheme.STAX));
        }
        ParameterStore mlp = new ParameterStore();
        stores.add(mlp);
        rest = new Mlp(mlp, "mlp", WIDTH, new int[] {WIDTH, WIDTH}, 3, UnaryOp.RELU, UnaryOp.SIGMOID, Dense.InitScheme.STAX);
        Rng rng = new Rng(seed);
        for (ParameterStore s : stores) s.allocate(rng);
    }

    List<ParameterStore> stores() { return stores; }

    /** rgb (N, 3) from positions (N, 2), the candidates mixed by {@code weights} (K); a zero weight skips its branch. */
    Var forward(Tape tape, Var positions, Var weights) {
        float[] w = weights.value().toArray();
        List<Var> branches = new ArrayList<>();
        for (int i = 0; i < encodings.size(); i++) {
            branches.add(w[i] == 0f ? null : firsts.get(i).apply(tape, encodings.get(i).apply(tape, positions)));
        }
        return rest.apply(tape, Activations.relu(tape, Mixture.apply(tape, branches, weights)));
    }

    @Override public void close() { stores.forEach(ParameterStore::close); }
}
