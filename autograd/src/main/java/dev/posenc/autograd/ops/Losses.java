package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;

import java.lang.foreign.Arena;
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

    /**
     * {@link #crossEntropy(Tape, Var, int[])} with labels (R) in the backend's memory as float class indices, checked
     * where they were made (a data set's labels, uploaded once with its images): on a device a step sends no labels
     * across. They must stay unchanged until the backward has run.
     */
    public static Var crossEntropy(Tape tape, Var logits, Tensor labels) {
        Backend be = tape.backend();
        Shapes.require(labels.rank() == 1 && labels.size() == logits.rows(), "cross_entropy", "labels",
                "(%d) labels".formatted(logits.rows()), labels.shape());
        Tensor loss = tape.alloc(Shape.of());
        be.crossEntropyTo(loss, logits.value(), labels);
        return tape.record("cross_entropy", loss, List.of(logits),          // dx += dL·(softmax(x) − onehot)/rows
                dL -> be.crossEntropyBackward(logits.grad(), logits.value(), labels, dL));
    }

    /**
     * {@code labels} as a (n) tensor of float class indices in {@code region} of {@code memory}, each checked in
     * [0, classes): a data set's labels, made once (one counted upload on a device) for
     * {@link #crossEntropy(Tape, Var, Tensor)}.
     */
    public static Tensor labels(TensorMemory memory, TensorMemory.Region region, int[] labels, int classes) {
        Shapes.require(classes > 0 && classes < (1 << 24), "cross_entropy", "classes", "1 .. 2^24 - 1", classes);
        Tensor t = region.zeros(Shape.of(labels.length));
        try (Arena arena = Arena.ofConfined()) {
            Tensor host = memory.device() ? Tensor.zeros(arena, t.shape()) : t;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classes) throw new IllegalArgumentException(
                        "cross_entropy: labels[%d]: expected in [0, %d), got %d".formatted(i, classes, labels[i]));
                host.set(i, labels[i]);
            }
            if (host != t) memory.copy(t, host);
        }
        return t;
    }
}
