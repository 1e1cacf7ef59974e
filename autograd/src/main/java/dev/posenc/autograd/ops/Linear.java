package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected layer, as torch.nn.Linear: y = x·Wᵀ + b.
 * x (N, In) (or (..., In): leading axes are folded into rows), W (Out, In), b (Out) or null; y (N, Out).
 *
 * <p>Backward, with dy = ∂loss/∂y:
 * <pre>
 *   dx += dy·W        (N, In)    the NN product
 *   dW += dyᵀ·x       (Out, In)  the TN product: one outer product per row, summed
 *   db += Σ_rows dy   (Out)      the bias was added to every row, so its gradient sums over them
 * </pre>
 */
public final class Linear {
    private Linear() {}

    public static Var apply(Tape tape, Var x, Var w, Var b) {
        Backend be = tape.backend();
        Tensor y = product(tape, "linear", x, w, b);
        int n = x.rows(), out = w.rows();
        Tensor y2 = y.reshape(n, out);
        if (b != null) be.addRowBroadcast(y2, y2, b.value());   // y += b, in place
        List<Var> inputs = new ArrayList<>(List.of(x, w));
        if (b != null) inputs.add(b);
        return tape.record("linear", y, inputs, dy -> {
            Tensor dy2 = dy.reshape(n, out);
            backwardProducts(be, x, w, dy2);
            if (b != null && b.requiresGrad()) be.sumRows(b.grad(), dy2, 1f, true);                      // db += Σ_r dy
        });
    }

    /**
     * x·Wᵀ in fresh step memory of x's shape with the last axis Out (the product writes every element), after
     * checking W (Out, In) and b (Out elements, or null) against x. Shared with {@link LinearRelu}.
     */
    static Tensor product(Tape tape, String op, Var x, Var w, Var b) {
        int n = x.rows(), in = x.cols(), out = w.rows();
        if (w.value().rank() != 2 || w.cols() != in) {      // the message is formatted only on failure
            Shapes.require(false, op, "w", "(Out, %d)".formatted(in), w.shape());
        }
        if (b != null && b.value().size() != out) Shapes.require(false, op, "b", out + " elements", b.shape());
        int[] dims = x.shape().dims();
        dims[dims.length - 1] = out;
        Tensor y = tape.allocUninitialized(dims);
        tape.backend().matmul(y.reshape(n, out), x.value().reshape(n, in), w.value(), MatmulForm.NT, false); // x·Wᵀ
        return y;
    }

    /** dx += dz·W (or = when dx is fresh) and dW += dzᵀ·x, for dz (N, Out). Shared with {@link LinearRelu}. */
    static void backwardProducts(Backend be, Var x, Var w, Tensor dz) {
        int n = x.rows(), in = x.cols();
        if (x.requiresGrad()) {
            boolean accumulate = x.gradAccumulates();
            be.matmul(x.grad().reshape(n, in), dz, w.value(), MatmulForm.NN, accumulate);
        }
        if (w.requiresGrad()) be.matmul(w.grad(), dz, x.value().reshape(n, in), MatmulForm.TN, true);
    }
}
