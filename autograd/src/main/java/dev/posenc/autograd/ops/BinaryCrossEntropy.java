package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Binary cross-entropy on logits, as torch.nn.BCEWithLogitsLoss (mean over the n scores s with labels y ∈ {0, 1}):
 * <pre>
 *   L = (1/n) Σ_i [ max(s_i, 0) − s_i·y_i + log(1 + exp(−|s_i|)) ]      (the stable form of −y log σ − (1−y) log(1−σ))
 *   backward: ds_i += dL · (σ(s_i) − y_i) / n
 * </pre>
 * Plain loops on the calling thread: a link-prediction batch has a few thousand scores, far below what a kernel
 * launch or a thread hand-off would pay for. The sum runs in double, in index order.
 */
public final class BinaryCrossEntropy {
    private BinaryCrossEntropy() {}

    /** The mean loss over scores s (n) or (n, 1), labels (n) of 0 or 1. */
    public static Var withLogits(Tape tape, Var scores, float[] labels) {
        Tensor s = scores.value();
        int n = (int) s.size();
        if (labels.length != n) throw new IllegalArgumentException(
                "bce_with_logits: labels: expected %d (one per score), got %d".formatted(n, labels.length));
        float[] y = labels.clone(); // the caller may reuse its array before backward runs
        for (int i = 0; i < n; i++) {
            if (y[i] != 0f && y[i] != 1f) throw new IllegalArgumentException(
                    "bce_with_logits: labels[%d]: expected 0 or 1, got %s".formatted(i, y[i]));
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = s.get(i);
            sum += Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v)));
        }
        Tensor out = tape.alloc(1);
        out.set(0, (float) (sum / n));
        return tape.record("bce_with_logits", out, List.of(scores), dOut -> {
            Tensor ds = scores.grad();
            double g = dOut.get(0) / (double) n;
            for (int i = 0; i < n; i++) {
                double sig = 1 / (1 + Math.exp(-s.get(i)));
                ds.set(i, (float) (ds.get(i) + g * (sig - y[i])));
            }
        });
    }
}
