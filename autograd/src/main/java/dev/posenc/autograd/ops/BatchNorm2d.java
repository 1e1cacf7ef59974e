package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Batch normalisation without affine parameters, with batch statistics (DARTS's {@code BatchNorm2d(affine=False)}
 * in training mode; DARTS-PT also evaluates its supernet this way). Per channel over n = B·H·W values:
 * <pre>
 *   x̂ = (x − μ)·rstd,   rstd = 1/√(σ² + eps)
 *   dx += rstd·(dOut − mean(dOut) − x̂·mean(dOut ⊙ x̂))
 * </pre>
 * Kept for the backward: the output x̂ (it is the normalised input) and rstd; μ is not needed again.
 */
public final class BatchNorm2d {
    private BatchNorm2d() {}

    /** PyTorch's default. */
    public static final float EPS = 1e-5f;

    public static Var apply(Tape tape, Var x) {
        ConvKernels k = tape.backend().conv();
        int c = x.shape().dim(1);
        Tensor out = tape.alloc(x.shape()), mean = tape.alloc(c), rstd = tape.alloc(c);
        k.batchNorm2d(out, mean, rstd, x.value(), EPS);
        return tape.record("batch_norm2d", out, List.of(x), dOut -> k.batchNorm2dBackward(x.grad(), dOut, out, rstd));
    }
}
