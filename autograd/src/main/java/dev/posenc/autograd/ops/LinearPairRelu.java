package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Two fully connected layers with nothing between them, then a ReLU: y = max((g·W1ᵀ + b1)·W2ᵀ + b2, 0), computed
 * through the product of the two weights (LFF's last encoder layer meets the MLP's first layer this way):
 * <pre>
 *   C = W2·W1            (O, I)     c = W2·b1 + b2   (O)         256³ multiply-adds, not N·256²
 *   y = max(g·Cᵀ + c, 0) (N, O)                                   one (N, I)·(I, O) product instead of two
 * </pre>
 * g (N, I), W1 (H, I), b1 (H), W2 (O, H), b2 (O). Backward, with dy = ∂loss/∂y and h = g·W1ᵀ + b1 never formed:
 * <pre>
 *   dz = dy ⊙ [y &gt; 0]                (N, O)
 *   dc = Σ_rows dz                   (O)        db2 += dc;  db1 += W2ᵀ·dc          (Σ_rows dh = W2ᵀ·dc)
 *   P  = dzᵀ·g                       (O, I)     the one TN product over the N rows
 *   dW2 += dzᵀ·h = P·W1ᵀ + dc·b1ᵀ    (O, H)
 *   dW1 += dhᵀ·g = W2ᵀ·P             (H, I)     dh = dz·W2
 *   dg  += dh·W1 = dz·C              (N, I)     the one NN product over the N rows
 * </pre>
 * The two layers cost three products over the N rows (forward NT, backward NN and TN) instead of six; the rest
 * are products of the 256-sized weights. The numbers are those of the two layers up to the reassociation of the
 * sums (float rounding, not bit for bit); every product is deterministic, so the thread-count, same-seed and
 * resume properties hold as for {@link Linear}. Route agreement with {@link Linear} then {@link LinearRelu}:
 * LinearPairReluTest; central differences: the {@code linear_pair_relu} case of GradCheckSuite.
 */
public final class LinearPairRelu {
    private LinearPairRelu() {}

    public static Var apply(Tape tape, Var g, Var w1, Var b1, Var w2, Var b2) {
        Backend be = tape.backend();
        int n = g.rows(), in = g.cols(), hidden = w1.rows(), out = w2.rows();
        if (w1.value().rank() != 2 || w1.cols() != in) {          // messages are formatted only on failure
            Shapes.require(false, "linear_pair_relu", "w1", "(H, %d)".formatted(in), w1.shape());
        }
        if (w2.value().rank() != 2 || w2.cols() != hidden) {
            Shapes.require(false, "linear_pair_relu", "w2", "(O, %d)".formatted(hidden), w2.shape());
        }
        if (b1.value().size() != hidden) Shapes.require(false, "linear_pair_relu", "b1", hidden + " elements", b1.shape());
        if (b2.value().size() != out) Shapes.require(false, "linear_pair_relu", "b2", out + " elements", b2.shape());
        Tensor g2 = g.value().reshape(n, in);
        Tensor c = tape.allocUninitialized(out, in);
        be.matmul(c, w2.value(), w1.value(), MatmulForm.NN, false);                 // C = W2·W1
        Tensor bias = tape.allocUninitialized(out, 1);
        be.matmul(bias, w2.value(), b1.value().reshape(hidden, 1), MatmulForm.NN, false);   // W2·b1
        be.add(bias, bias, b2.value().reshape(out, 1));                              // c = W2·b1 + b2
        Tensor y = tape.allocUninitialized(n, out);
        be.linear(y, g2, c, bias.reshape(out), true);                                // y = max(g·Cᵀ + c, 0)
        return tape.record("linear_pair_relu", y, List.of(g, w1, b1, w2, b2), dy -> {
            Tensor dz = tape.allocUninitialized(n, out), dc = tape.allocUninitialized(out);
            be.biasReluBackward(dz, dc, dy.reshape(n, out), y, false);               // dz = dy ⊙ [y > 0]; dc = Σ_r dz
            if (g.requiresGrad()) {                                                  // dg += dz·C (= when fresh)
                boolean accumulate = g.gradAccumulates();
                be.matmul(g.grad().reshape(n, in), dz, c, MatmulForm.NN, accumulate);
            }
            boolean weights = w1.requiresGrad() || w2.requiresGrad();
            Tensor p = weights ? tape.allocUninitialized(out, in) : null;
            if (weights) be.matmul(p, dz, g2, MatmulForm.TN, false);                // P = dzᵀ·g
            Tensor dc2 = dc.reshape(out, 1);
            if (w2.requiresGrad()) {
                be.matmul(w2.grad(), p, w1.value(), MatmulForm.NT, true);            // dW2 += P·W1ᵀ
                be.matmul(w2.grad(), dc2, b1.value().reshape(1, hidden), MatmulForm.NN, true);   //  + dc·b1ᵀ
            }
            if (w1.requiresGrad()) be.matmul(w1.grad(), w2.value(), p, MatmulForm.TN, true);    // dW1 += W2ᵀ·P
            if (b2.requiresGrad()) be.axpy(b2.grad(), 1f, dc);                                   // db2 += dc
            if (b1.requiresGrad()) {
                be.matmul(b1.grad().reshape(hidden, 1), w2.value(), dc2, MatmulForm.TN, true);   // db1 += W2ᵀ·dc
            }
        });
    }
}
