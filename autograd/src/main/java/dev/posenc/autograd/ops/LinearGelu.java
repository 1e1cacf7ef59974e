package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.util.List;

/**
 * A linear layer then the exact GELU as one op (LFF's encoder MLP): y = GELU(x·Wᵀ + b), i.e. {@link Linear} then
 * {@link Activations#gelu}. x (N, In), W (Out, In), b (Out); y (N, Out).
 *
 * <p>Backward, with dy = ∂loss/∂y and h = x·Wᵀ + b:
 * <pre>
 *   dh = dy ⊙ GELU′(h)    (N, Out)   GELU′(h) = Φ(h) + h·φ(h)
 *   db += Σ_rows dh       (Out)
 *   dx += dh·W            (N, In)    NN
 *   dW += dhᵀ·x           (Out, In)  TN
 * </pre>
 * Why fused: the backend keeps what the backward needs ({@code Backend.linearGelu}); the CPU takes GELU and GELU′
 * as the product stores each row, so h never reaches memory, and the backward is one multiply instead of erf and
 * exp again. The numbers are those of the two ops bit for bit (LinearGeluTest).
 */
public final class LinearGelu {
    private LinearGelu() {}

    public static Var apply(Tape tape, Var x, Var w, Var b) {
        Backend be = tape.backend();
        if (b == null) throw new IllegalArgumentException("linear_gelu: b: expected a bias (Out), got null");
        int n = x.rows(), in = x.cols(), out = w.rows();
        if (w.value().rank() != 2 || w.cols() != in) {      // the message is formatted only on failure
            Shapes.require(false, "linear_gelu", "w", "(Out, %d)".formatted(in), w.shape());
        }
        if (b.value().size() != out) Shapes.require(false, "linear_gelu", "b", out + " elements", b.shape());
        Tensor x2 = x.value().reshape(n, in);
        int[] dims = x.shape().dims();
        dims[dims.length - 1] = out;
        Tensor y = tape.allocUninitialized(dims);                 // every element written
        Tensor y2 = y.reshape(n, out);
        Tensor kept = tape.allocUninitialized(n, out);            // kept: GELU′(h) on the CPU, h elsewhere
        be.linearGelu(y2, kept, x2, w.value(), b.value());
        return tape.record("linear_gelu", y, List.of(x, w, b), dy -> {
            Tensor dh = tape.allocUninitialized(n, out);          // written in full
            be.linearGeluBackward(dh, dy.reshape(n, out), kept, y2, false);       // dh = dy ⊙ GELU′(h)
            if (b.requiresGrad()) be.sumRows(b.grad(), dh, 1f, b.gradAccumulates());   // db += Σ_r dh
            if (x.requiresGrad()) {                                               // dx += dh·W (or = when fresh)
                boolean accumulate = x.gradAccumulates();
                be.matmul(x.grad().reshape(n, in), dh, w.value(), MatmulForm.NN, accumulate);
            }
            if (w.requiresGrad()) be.matmul(w.grad(), dh, x2, MatmulForm.TN, true);   // dW += dhᵀ·x
        });
    }
}
