package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Matrix products in the three stored forms (see {@link MatmulForm}), 2-D and batched (B, ·, ·).
 *
 * <p>The backward of a product is two more products with the gradient in place of one factor. With
 * C = A·B the rules are dA += dC·Bᵀ and dB += Aᵀ·dC; the transposed forms follow by transposing:
 * <pre>
 *   form  forward        dA (stored shape)     dB (stored shape)
 *   NN    C = A·B        dA += dC·Bᵀ   (NT)    dB += Aᵀ·dC   (TN)
 *   TN    C = Aᵀ·B       dA += B·dCᵀ   (NT)    dB += A·dC    (NN)
 *   NT    C = A·Bᵀ       dA += dC·B    (NN)    dB += dCᵀ·A   (TN)
 * </pre>
 */
public final class Matmul {
    private Matmul() {}

    /** C = form(A, B), 2-D. A, B as {@link MatmulForm} describes; C (M, N). */
    public static Var apply(Tape tape, Var a, Var b, MatmulForm form) {
        Backend be = tape.backend();
        Tensor c = tape.allocUninitialized(form.m(a.value()), form.n(b.value())); // overwritten
        be.matmul(c, a.value(), b.value(), form, false);
        return tape.record("matmul_" + form.name().toLowerCase(), c, List.of(a, b),
                dC -> backward(be::matmul, form, a, b, dC));
    }

    /** C[i] = form(A[i], B[i]) for each of B batch entries: A, B, C are (B, ·, ·), e.g. attention heads. */
    public static Var batched(Tape tape, Var a, Var b, MatmulForm form) {
        Backend be = tape.backend();
        if (a.value().rank() != 3 || b.value().rank() != 3 || a.shape().dim(0) != b.shape().dim(0))
            throw new IllegalArgumentException("batched_matmul: b: expected a 3-D tensor with batch %s, got %s (a is %s)"
                    .formatted(a.value().rank() == 3 ? a.shape().dim(0) : "of a", b.shape(), a.shape()));
        int m = form == MatmulForm.TN ? a.shape().dim(2) : a.shape().dim(1);
        int n = form == MatmulForm.NT ? b.shape().dim(1) : b.shape().dim(2);
        Tensor c = tape.allocUninitialized(Shape.of(a.shape().dim(0), m, n));
        be.batchedMatmul(c, a.value(), b.value(), form, false);
        return tape.record("batched_matmul_" + form.name().toLowerCase(), c, List.of(a, b),
                dC -> backward(be::batchedMatmul, form, a, b, dC));
    }

    /**
     * The table above; {@code mm} is the 2-D or the batched kernel, writing a gradient that does not exist yet and
     * adding to one that does ({@link Var#gradAccumulates}, asked right before each write: a and b may be one Var).
     */
    private static void backward(Kernel mm, MatmulForm form, Var a, Var b, Tensor dC) {
        Tensor av = a.value(), bv = b.value();
        switch (form) {
            case NN -> {
                if (a.requiresGrad()) into(mm, a, dC, bv, MatmulForm.NT);
                if (b.requiresGrad()) into(mm, b, av, dC, MatmulForm.TN);
            }
            case TN -> {
                if (a.requiresGrad()) into(mm, a, bv, dC, MatmulForm.NT);
                if (b.requiresGrad()) into(mm, b, av, dC, MatmulForm.NN);
            }
            case NT -> {
                if (a.requiresGrad()) into(mm, a, dC, bv, MatmulForm.NN);
                if (b.requiresGrad()) into(mm, b, dC, av, MatmulForm.TN);
            }
        }
    }

    /** grad(target) (+)= form(x, y). */
    private static void into(Kernel mm, Var target, Tensor x, Tensor y, MatmulForm form) {
        boolean accumulate = target.gradAccumulates();
        mm.run(target.grad(), x, y, form, accumulate);
    }

    @FunctionalInterface
    private interface Kernel {
        void run(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate);
    }
}
