package dev.posenc.core;

/**
 * Row gathers by index and their transposes, the kernels under {@code autograd.ops.Embedding} (learned position
 * tables, a batch gathered from a resident data set). An index is a tensor of row numbers held as floats (exact
 * below 2²⁴), so it can live in backend memory beside the table: on a device a gather then moves nothing across
 * the bus. The defaults are the host loops (the CPU backend's; the order of the scatter-add's additions is r
 * ascending, so the bits are those of the loops they replace); a device backend overrides them (embedding.cu on
 * CUDA: a gather per element, a scatter-add where each thread owns an output element and adds the rows that point
 * at it in index order, so no atomics and the same bits every run).
 *
 * <p>Indices are checked on the host where they are made ({@link #checkIndex}); a device kernel cannot throw.
 */
public interface EmbeddingKernels {
    /** out[r, :] = table[index[r], :]; table (V, D), index (n), out (n, D). Modifies out. */
    default void gatherRows(Tensor out, Tensor table, Tensor index) {
        int n = checkShapes("gatherRows", out, table, index);
        int d = table.cols();
        long bytes = (long) d * Float.BYTES;
        for (int r = 0; r < n; r++) {
            java.lang.foreign.MemorySegment.copy(table.data(), (long) row(index, r, table.rows()) * bytes, out.data(),
                    (long) r * bytes, bytes);
        }
    }

    /**
     * dTable[index[r], :] += dOut[r, :] for r = 0, 1, ..., n − 1 in that order (a row gathered twice receives both
     * gradients); dTable (V, D), dOut (n, D), index (n). Modifies dTable.
     */
    default void scatterAddRows(Tensor dTable, Tensor dOut, Tensor index) {
        int n = checkShapes("scatterAddRows", dOut, dTable, index);
        int d = dTable.cols();
        for (int r = 0; r < n; r++) {
            long to = (long) row(index, r, dTable.rows()) * d, from = (long) r * d;
            for (int i = 0; i < d; i++) dTable.set(to + i, dTable.get(to + i) + dOut.get(from + i));
        }
    }

    /** n, after checking table (V, D), index (n) and the gathered rows (n·D elements in any shape, e.g. (n, D)). */
    static int checkShapes(String op, Tensor rows, Tensor table, Tensor index) {
        Shapes.require(table.rank() == 2, op, "table", "a 2-D tensor (V, D)", table.shape());
        Shapes.require(index.rank() == 1, op, "index", "a 1-D tensor (n)", index.shape());
        int n = index.shape().dim(0);
        Shapes.require(rows.size() == (long) n * table.cols(), op, "rows",
                "%d × %d elements".formatted(n, table.cols()), rows.shape());
        return n;
    }

    /** index[r] as a row number of a table with {@code v} rows. */
    private static int row(Tensor index, int r, int v) {
        float f = index.get(r);
        // checked without building the message first: this runs for every row of every gather on the host
        if (!(f >= 0 && f < v && f == (int) f)) Shapes.require(false, "embedding", "index[" + r + "]",
                "a row number in [0, %d)".formatted(v), f);
        return (int) f;
    }

    /**
     * {@code index} as the float row numbers of a table with {@code rows} rows, in {@code out} (a host tensor of
     * {@code index.length} elements), after checking each is in [0, rows). Modifies out.
     */
    static void checkIndex(Tensor out, int[] index, int rows) {
        Shapes.require(rows < (1 << 24), "embedding", "table", "fewer than 2^24 rows (indices are floats)", rows);
        for (int r = 0; r < index.length; r++) {
            if (index[r] < 0 || index[r] >= rows) throw new IllegalArgumentException(
                    "embedding: index[%d]: expected in [0, %d), got %d".formatted(r, rows, index[r]));
            out.set(r, index[r]);
        }
    }
}
