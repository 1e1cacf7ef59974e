package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Row gather, as torch.nn.functional.embedding: out[r, :] = table[index[r], :]; table (V, D), out (n, D).
 * Used for learned position tables and for a class token repeated over the batch (index all zeros).
 * Backward: a scatter-add, dtable[index[r], :] += dOut[r, :]; a row gathered twice receives both gradients.
 */
public final class Embedding {
    private Embedding() {}

    public static Var gather(Tape tape, Var table, int[] index) {
        Shapes.require(table.value().rank() == 2, "embedding", "table", "a 2-D tensor (V, D)", table.shape());
        int rows = table.shape().dim(0), d = table.shape().dim(1);
        for (int r = 0; r < index.length; r++) {
            if (index[r] < 0 || index[r] >= rows) throw new IllegalArgumentException(
                    "embedding: index[%d]: expected in [0, %d), got %d".formatted(r, rows, index[r]));
        }
        int[] kept = index.clone(); // the caller may reuse its array before backward runs
        Tensor out = tape.alloc(Shape.of(kept.length, d));
        Runs.copy(out, table.value(), kept.length, d, r -> (long) r * d, r -> (long) kept[r] * d);
        return tape.record("embedding", out, List.of(table), dOut ->
                Runs.add(table.grad(), dOut, kept.length, d, r -> (long) kept[r] * d, r -> (long) r * d));
    }
}
