package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Mixture;
import dev.posenc.core.Rng;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.vit.Vit;
import dev.posenc.models.vit.VitConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The ViT of compare-pe with its positional encoding as one DARTS edge:
 * <pre>
 *   x = Linear(patches) + Σ_i w_i · PE_i(positions)      w = softmax(α) ⊙ mask   (K),  each PE_i (T, D)
 * </pre>
 * then the same transformer body. Every candidate maps the grid to (T, D), so a one-hot w is exactly
 * compare-pe's model on that encoding: the body comes from {@code Rng(seed)} as there (declared before any
 * encoding), and {@code none} is the null candidate of {@link Mixture} (it adds zero and has no weights). Each
 * other candidate has its own store, because mlp and lff declare the same tensor names.
 */
final class VitSupernet implements AutoCloseable {
    private final Vit body;
    private final List<Encoding> encodings = new ArrayList<>();   // null for none
    private final List<ParameterStore> stores = new ArrayList<>();

    /** {@code config}'s encoding is ignored: the body is built with none, the candidates beside it. */
    VitSupernet(VitConfig config, List<String> candidates) {
        body = new Vit(config.withEncoding("none"));
        stores.add(body.store());
        try {
            Rng rng = new Rng(config.seed() + 1);
            for (String name : candidates) {
                if (name.equals("none")) {
                    encodings.add(null);
                    continue;
                }
                ParameterStore store = new ParameterStore();
                stores.add(store);
                encodings.add(Encodings.create(name, config.encodingParams(), store));
                store.allocate(rng);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The body's store first, then each candidate's (none has none). */
    List<ParameterStore> stores() { return stores; }

    /** logits (B, 10) from images (B, S, S), the encodings mixed by {@code weights} (K); a zero weight skips its branch. */
    Var forward(Tape tape, Var images, Var weights) {
        float[] w = weights.value().toArray();
        return body.forwardWith(tape, images, (t, positions) -> {
            List<Var> branches = new ArrayList<>();
            boolean any = false;
            for (int i = 0; i < encodings.size(); i++) {
                Encoding e = encodings.get(i);
                Var b = e == null || w[i] == 0f ? null : e.apply(t, positions);
                any |= b != null;
                branches.add(b);
            }
            return any ? Mixture.apply(t, branches, weights) : null;   // only none left: no positional term
        });
    }

    @Override public void close() { stores.forEach(ParameterStore::close); }
}
