package dev.posenc.autograd;

import dev.posenc.core.Tensor;

/**
 * The backward rule of one recorded op: given dOut = ∂loss/∂out, ADD each input's contribution
 * (dOut · ∂out/∂input, the transpose of the op's linearisation) into that input's {@link Var#grad()}.
 * Inputs that do not {@link Var#requiresGrad()} must be skipped.
 */
@FunctionalInterface
public interface Backward {
    void apply(Tensor dOut);
}
