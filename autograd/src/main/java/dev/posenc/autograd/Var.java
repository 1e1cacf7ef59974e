package dev.posenc.autograd;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

/**
 * A node's value in the computation, and the gradient of the loss with respect to it.
 *
 * <p>Three kinds, by who owns the memory:
 * <ul>
 *   <li>a <b>parameter</b> ({@link #parameter}): value and gradient live in a model-lifetime arena; the
 *       optimiser (or trainer) zeroes the gradient before each step, the tape only adds to it;</li>
 *   <li>a <b>step-local variable</b> made by an op or by {@link Tape#variable}: its value lives in the tape's
 *       step memory, and its gradient is allocated there ({@link Tape#alloc}), zeroed, the first time a
 *       backward rule asks for it;</li>
 *   <li>a <b>constant</b> ({@link Tape#constant}, or any op output computed from constants only): no gradient.</li>
 * </ul>
 * Gradients ADD UP: a variable used twice receives the sum of both uses' contributions, because every
 * backward rule accumulates with {@code +=}.
 */
public final class Var {
    private final Tensor value;
    private final Tape gradTape; // where a lazy gradient is allocated; null for parameters and constants
    private final boolean requiresGrad;
    private Tensor grad;

    private Var(Tensor value, Tensor grad, Tape gradTape, boolean requiresGrad) {
        this.value = value;
        this.grad = grad;
        this.gradTape = gradTape;
        this.requiresGrad = requiresGrad;
    }

    /**
     * A trainable parameter over model-lifetime tensors. {@code grad} must have the value's shape; the tape
     * accumulates into it and never zeroes it.
     */
    public static Var parameter(Tensor value, Tensor grad) {
        if (!grad.shape().equals(value.shape())) throw new IllegalArgumentException(
                "parameter: grad: expected %s, got %s".formatted(value.shape(), grad.shape()));
        return new Var(value, grad, null, true);
    }

    /** A step-local variable whose gradient is allocated lazily by {@code gradTape}. Used by {@link Tape}. */
    static Var stepLocal(Tensor value, Tape gradTape) { return new Var(value, null, gradTape, true); }

    /** A value with no gradient. Used by {@link Tape}. */
    static Var constant(Tensor value) { return new Var(value, null, null, false); }

    public Tensor value() { return value; }

    public Shape shape() { return value.shape(); }

    public int rows() { return value.rows(); }

    public int cols() { return value.cols(); }

    /** True when a loss gradient flows into this variable, i.e. it is a parameter or depends on one. */
    public boolean requiresGrad() { return requiresGrad; }

    /**
     * The gradient ∂loss/∂this, allocated and zeroed on first use for step-local variables. Backward rules
     * add to it.
     *
     * @throws IllegalStateException for a constant, which has no gradient
     */
    public Tensor grad() {
        if (!requiresGrad) throw new IllegalStateException("grad: this variable " + value.shape() + " is a constant");
        if (grad == null) grad = gradTape.alloc(value.shape()); // zero-filled
        return grad;
    }

    /**
     * For a backward rule that writes its whole contribution to this gradient in one pass (a product, an
     * element-wise map): false when no gradient existed yet, in which case {@link #grad()} is now allocated
     * WITHOUT zero-filling and the rule must OVERWRITE every element (accumulate = false); true when a
     * gradient exists (another use wrote it first, or this is a parameter) and the rule must ADD to it. The
     * first writer of a step-local gradient thus skips the zero pass and the read of zeros; the values are
     * those of adding into zeros. Ask right before writing, and write whatever the answer.
     *
     * @throws IllegalStateException for a constant, which has no gradient
     */
    public boolean gradAccumulates() {
        if (!requiresGrad) throw new IllegalStateException("grad: this variable " + value.shape() + " is a constant");
        if (grad != null) return true;
        grad = gradTape.allocUninitialized(value.shape());
        return false;
    }

    /** True for a trainable parameter (a model-lifetime gradient the tape never allocates). */
    boolean isParameter() { return requiresGrad && gradTape == null; }

    /** True once a gradient exists, i.e. something flowed (or may flow) into it. */
    boolean hasGrad() { return grad != null; }

    @Override public String toString() {
        return "Var" + value.shape() + (requiresGrad ? (gradTape == null ? " parameter" : "") : " constant");
    }
}
