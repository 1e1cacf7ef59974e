package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;

import java.util.List;

/**
 * An MLP's hidden layer as one op: y = max(x·Wᵀ + b, 0), i.e. {@link Linear} then {@link Activations#relu}.
 * x (N, In), W (Out, In), b (Out); y (N, Out).
 *
 * <p>Backward, with dy = ∂loss/∂y:
 * <pre>
 *   dz = dy ⊙ [y &gt; 0]    (N, Out)   ReLU′, read from y: y &gt; 0 exactly where x·Wᵀ + b &gt; 0
 *   db += Σ_rows dz       (Out)
 *   dx += dz·W            (N, In)    NN
 *   dW += dzᵀ·x           (Out, In)  TN
 * </pre>
 * Why fused: forward, the bias and the ReLU are applied as the product stores y ({@code Backend.linear}; at most
 * one pass over the (N, Out) activations where a backend cannot, against two); backward, dz is a buffer of its own, written in full (no zero fill),
 * and the input's gradient is written by the NN product when it is fresh; dz and db come from one pass
 * ({@code biasReluBackward}). The numbers are those of the two ops bit for bit, except db past one block of rows
 * on the CPU (256: summed by row blocks, BiasReluCpu).
 */
public final class LinearRelu {
    private LinearRelu() {}

    public static Var apply(Tape tape, Var x, Var w, Var b) {
        Backend be = tape.backend();
        if (b == null) throw new IllegalArgumentException("linear_relu: b: expected a bias (Out), got null");
        int n = x.rows(), in = x.cols(), out = w.rows();
        if (w.value().rank() != 2 || w.cols() != in) {      // the message is formatted only on failure
            Shapes.require(false, "linear_relu", "w", "(Out, %d)".formatted(in), w.shape());
        }
        if (b.value().size() != out) Shapes.require(false, "linear_relu", "b", out + " elements", b.shape());
        Tensor x2 = x.value().reshape(n, in);
        int[] dims = x.shape().dims();
        dims[dims.length - 1] = out;
        Tensor y = tape.allocUninitialized(dims);                 // the product overwrites it
        Tensor y2 = y.reshape(n, out);
        be.linear(y2, x2, w.value(), b.value(), true);            // y = max(x·Wᵀ + b, 0): bias, ReLU in the epilogue
        return tape.record("linear_relu", y, List.of(x, w, b), dy -> {
            Tensor dz = tape.allocUninitialized(n, out);          // written in full by biasReluBackward
            Tensor dy2 = dy.reshape(n, out);
            if (b.requiresGrad()) {
                boolean accumulate = b.gradAccumulates();
                be.biasReluBackward(dz, b.grad(), dy2, y2, accumulate);   // dz = dy ⊙ [y > 0];  db += Σ_r dz
            } else {
                be.unaryBackward(UnaryOp.RELU, dz, dy2, y2, y2, false);
            }
            if (x.requiresGrad()) {                                       // dx += dz·W (or = when dx is fresh)
                boolean accumulate = x.gradAccumulates();
                be.matmul(x.grad().reshape(n, in), dz, w.value(), MatmulForm.NN, accumulate);
            }
            if (w.requiresGrad()) be.matmul(w.grad(), dz, x2, MatmulForm.TN, true);   // dW += dzᵀ·x
        });
    }
}
