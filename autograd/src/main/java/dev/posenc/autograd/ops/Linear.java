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
        int n = x.rows(), in = x.cols(), out = w.rows();
        if (w.value().rank() != 2 || w.cols() != in) {      // the message is formatted only on failure
            Shapes.require(false, "linear", "w", "(Out, %d)".formatted(in), w.shape());
        }
        if (b != null) Shapes.require(b.value().size() == out, "linear", "b", out + " elements", b.shape());
        Tensor x2 = x.value().reshape(n, in);            // 2-D views: (B, T, In) is just B·T rows
        int[] dims = x.shape().dims();
        dims[dims.length - 1] = out;
        Tensor y = tape.allocUninitialized(dims);     // the product overwrites it
        Tensor y2 = y.reshape(n, out);
        if (b != null) be.linear(y2, x2, w.value(), b.value(), false);   // y = x·Wᵀ + b, the bias in the product's epilogue
        else be.matmul(y2, x2, w.value(), MatmulForm.NT, false);        // y = x·Wᵀ
        List<Var> inputs = new ArrayList<>(List.of(x, w));
        if (b != null) inputs.add(b);
        return tape.record("linear", y, inputs, dy -> {
            Tensor dy2 = dy.reshape(n, out);
            if (x.requiresGrad()) {                                     // dx += dy·W (or = when dx is fresh)
                boolean accumulate = x.gradAccumulates();
                be.matmul(x.grad().reshape(n, in), dy2, w.value(), MatmulForm.NN, accumulate);
            }
            if (w.requiresGrad()) be.matmul(w.grad(), dy2, x2, MatmulForm.TN, true);                       // dW += dyᵀ·x
            if (b != null && b.requiresGrad()) be.sumRows(b.grad(), dy2, 1f, true);                      // db += Σ_r dy
        });
    }
}
