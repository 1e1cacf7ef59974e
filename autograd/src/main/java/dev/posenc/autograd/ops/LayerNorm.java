package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Layer normalisation over the last axis (Ba et al. 2016), as torch.nn.LayerNorm:
 * y = x̂ ⊙ γ + β with x̂ = (x − μ)·rstd, μ and rstd = 1/√(var + eps) per row (biased variance).
 * x (R, C), γ and β (C).
 *
 * <p>Backward, with g = dy ⊙ γ and means over the C columns of a row:
 * <pre>
 *   dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂))   (x̂ sums to 0 and has unit variance: two projections)
 *   dγ += Σ_rows dy ⊙ x̂
 *   dβ += Σ_rows dy
 * </pre>
 * μ and rstd are kept from the forward (R floats each) so the backward need not recompute them.
 */
public final class LayerNorm {
    private LayerNorm() {}

    /** PyTorch's default eps. */
    public static final float DEFAULT_EPS = 1e-5f;

    public static Var apply(Tape tape, Var x, Var gamma, Var beta, float eps) {
        Backend be = tape.backend();
        int c = x.cols();
        Shapes.require(gamma.value().size() == c, "layer_norm", "gamma", c + " elements", gamma.shape());
        Shapes.require(beta.value().size() == c, "layer_norm", "beta", c + " elements", beta.shape());
        Tensor y = tape.allocUninitialized(x.shape());
        Tensor mean = tape.allocUninitialized(x.rows()), rstd = tape.allocUninitialized(x.rows());
        be.layerNorm(y, mean, rstd, x.value(), gamma.value(), beta.value(), eps);
        // dx += rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)) with g = dy ⊙ γ;  dγ += Σ_rows dy ⊙ x̂;  dβ += Σ_rows dy
        return tape.record("layer_norm", y, List.of(x, gamma, beta), dy -> be.layerNormBackward(
                x.requiresGrad() ? x.grad() : null,
                gamma.requiresGrad() ? gamma.grad() : null,
                beta.requiresGrad() ? beta.grad() : null,
                dy, x.value(), mean, rstd, gamma.value()));
    }

    public static Var apply(Tape tape, Var x, Var gamma, Var beta) { return apply(tape, x, gamma, beta, DEFAULT_EPS); }
}
