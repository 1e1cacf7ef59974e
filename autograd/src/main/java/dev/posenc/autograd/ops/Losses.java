package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/** Scalar losses (shape ()), as torch.nn.functional with reduction='mean'. */
public final class Losses {
    private Losses() {}

    /**
     * L = mean((pred − target)²) over all n elements.
     * Backward: dpred += dL · 2(pred − target)/n; dtarget −= the same (when the target wants a gradient).
     */
    public static Var mse(Tape tape, Var pred, Var target) {
        Backend be = tape.backend();
        Shapes.same("mse", "target", pred.value(), target.value());
        Tensor loss = tape.alloc(Shape.of());
        be.mseTo(loss, pred.value(), target.value());      // stays in backend memory: no host round trip
        return tape.record("mse", loss, List.of(pred, target), dL -> {
            if (!target.requiresGrad()) {
                be.mseBackward(pred.grad(), pred.value(), target.value(), dL);
                return;
            }
            Tensor d = tape.alloc(pred.shape());   // the kernel adds into one tensor; share it between both sides
            be.mseBackward(d, pred.value(), target.value(), dL);
            if (pred.requiresGrad()) be.axpy(pred.grad(), 1f, d);
            be.axpy(target.grad(), -1f, d);
        });
    }

    /**
     * L = mean over rows r of −log softmax(logits[r])[labels[r]]; logits (R, C), labels R ints in [0, C).
     * Backward: dlogits += dL · (softmax(logits) − onehot(labels)) / R. The kernel recomputes the softmax
     * rather than keeping an (R, C) buffer.
     */
    public static Var crossEntropy(Tape tape, Var logits, int[] labels) {
        Backend be = tape.backend();
        Shapes.require(labels.length == logits.rows(), "cross_entropy", "labels", logits.rows() + " labels", labels.length);
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l < 0 || l >= logits.cols()) throw new IllegalArgumentException("cross_entropy: labels[%d]: expected in [0, %d), got %d"
                    .formatted(i, logits.cols(), l));
        }
        int[] kept = labels.clone(); // the caller may reuse its array before backward runs
        Tensor loss = tape.alloc(Shape.of());
        be.crossEntropyTo(loss, logits.value(), kept);
        return tape.record("cross_entropy", loss, List.of(logits),          // dx += dL·(softmax(x) − onehot)/rows
                dL -> be.crossEntropyBackward(logits.grad(), logits.value(), kept, dL));
    }
}
