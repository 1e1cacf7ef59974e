package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * DARTS's mixed operation (Liu et al. 2019): the weighted sum of K candidate outputs,
 * <pre>
 *   out = Σ_i w_i · o_i                    w (K), each o_i of out's shape
 *   do_i += w_i · dOut;   dw_i += ⟨dOut, o_i⟩
 * </pre>
 * A candidate may be null: the "none" operation, whose output is zero, adds nothing and gets no gradient. The
 * weights come from {@link #weights}: softmax(α), with masked candidates zeroed and NOT renormalised, which is
 * how DARTS-PT measures an operation's contribution (Wang et al. 2021, {@code project_op}).
 */
public final class Mixture {
    private Mixture() {}

    public static Var apply(Tape tape, List<Var> candidates, Var weights) {
        Backend be = tape.backend();
        int k = candidates.size();
        Shapes.require(k > 0, "mixture", "candidates", "at least one", 0);
        Shapes.require(weights.value().size() == k, "mixture", "weights", k + " elements", weights.shape());
        Shape shape = null;
        List<Var> inputs = new ArrayList<>(List.of(weights));
        for (Var o : candidates) {
            if (o == null) continue;
            if (shape == null) shape = o.shape();
            Shapes.require(o.shape().equals(shape), "mixture", "candidates", "one shape " + shape, o.shape());
            inputs.add(o);
        }
        Shapes.require(shape != null, "mixture", "candidates", "at least one that is not none", "only none");
        Tensor out = tape.alloc(shape);
        float[] w = weights.value().toArray();
        for (int i = 0; i < k; i++) if (candidates.get(i) != null && w[i] != 0f) be.axpy(out, w[i], candidates.get(i).value());
        Shape outShape = shape;
        return tape.record("mixture", out, inputs, dOut -> {
            Tensor prod = weights.requiresGrad() ? tape.alloc(outShape) : null;
            for (int i = 0; i < k; i++) {
                Var o = candidates.get(i);
                if (o == null) continue;
                if (o.requiresGrad() && w[i] != 0f) be.axpy(o.grad(), w[i], dOut);
                if (prod != null) {
                    be.mul(prod, dOut, o.value());
                    Tensor dw = weights.grad();
                    dw.set(i, dw.get(i) + (float) be.sum(prod));
                }
            }
        });
    }

    /**
     * The mixing weights of one edge: softmax(α) ⊙ mask, without renormalising (mask[i] = 0 removes candidate i,
     * as DARTS-PT's perturbation does). α is (K) or (1, K); the mask has K entries of 0 or 1, or is null for none.
     */
    public static Var weights(Tape tape, Var alpha, float[] mask) {
        int k = (int) alpha.value().size();
        Var p = Softmax.softmax(tape, Reshape.apply(tape, alpha, Shape.of(1, k)));
        if (mask == null) return Reshape.apply(tape, p, Shape.of(k));
        Shapes.require(mask.length == k, "mixture", "mask", k + " entries", mask.length);
        Tensor m = tape.alloc(1, k);
        for (int i = 0; i < k; i++) m.set(i, mask[i]);
        return Reshape.apply(tape, Elementwise.mul(tape, p, tape.constant(m)), Shape.of(k));
    }
}
