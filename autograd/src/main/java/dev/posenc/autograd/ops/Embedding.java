package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.EmbeddingKernels;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * Row gather, as torch.nn.functional.embedding: out[r, :] = table[index[r], :]; table (V, D), out (n, D).
 * Used for learned position tables, token tables, and a batch gathered from a resident data set.
 * Backward: a scatter-add, dtable[index[r], :] += dOut[r, :]; a row gathered twice receives both gradients.
 * Both run on the backend ({@link EmbeddingKernels}), so on a device with a resident index nothing crosses the bus.
 */
public final class Embedding {
    private Embedding() {}

    /**
     * The gather with an {@code int[]} index, checked here, then put in the tape's backend memory (on a device: one
     * counted upload per call; a caller that gathers every step keeps its index resident and calls
     * {@link #gather(Tape, Var, Tensor)}).
     */
    public static Var gather(Tape tape, Var table, int[] index) {
        Shapes.require(table.value().rank() == 2, "embedding", "table", "a 2-D tensor (V, D)", table.shape());
        int rows = table.shape().dim(0);
        if (!tape.backend().memory().device()) {
            Tensor idx = tape.alloc(Shape.of(index.length));   // a copy: the caller may reuse its array before backward
            EmbeddingKernels.checkIndex(idx, index, rows);
            return gather(tape, table, idx);
        }
        try (Arena arena = Arena.ofConfined()) {
            Tensor host = Tensor.zeros(arena, Shape.of(index.length));
            EmbeddingKernels.checkIndex(host, index, rows);
            return gather(tape, table, tape.upload(host));
        }
    }

    /**
     * The gather with an index (n) of float row numbers in the backend's memory, checked where it was made
     * ({@link EmbeddingKernels#checkIndex}); it must stay unchanged until the backward has run.
     */
    public static Var gather(Tape tape, Var table, Tensor index) {
        Shapes.require(table.value().rank() == 2, "embedding", "table", "a 2-D tensor (V, D)", table.shape());
        Shapes.require(index.rank() == 1, "embedding", "index", "a 1-D tensor (n)", index.shape());
        Backend be = tape.backend();
        Tensor out = tape.allocUninitialized(Shape.of(index.shape().dim(0), table.shape().dim(1)));   // overwritten
        be.gatherRows(out, table.value(), index);
        return tape.record("embedding", out, List.of(table), dOut -> be.scatterAddRows(table.grad(), dOut, index));
    }
}
