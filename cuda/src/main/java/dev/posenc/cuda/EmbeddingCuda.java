package dev.posenc.cuda;

import static dev.posenc.cuda.Args.i;

/**
 * embedding.cu: row gathers by a float index and the deterministic scatter-add of their backward (each thread owns
 * an output element and adds the rows that point at it in index order: no atomics). Twin:
 * {@link dev.posenc.core.EmbeddingKernels}'s host loops. Launch maths only; shapes are checked by
 * {@link CudaBackend}. Never run on a GPU.
 */
final class EmbeddingCuda {
    private final CudaContext cx;

    EmbeddingCuda(CudaContext cx) { this.cx = cx; }

    /** out (n, d) = table (v, d) rows at index (n). */
    void gatherRows(DeviceTensor out, DeviceTensor table, DeviceTensor index, int n, int d, int v) {
        cx.launch("embedding_gather", LaunchConfig.gridStride((long) n * d), out.arg(), table.arg(), index.arg(), i(n),
                i(d), i(v));
    }

    /** dTable (v, d) += dOut (n, d) rows scattered to index (n), r ascending. */
    void scatterAddRows(DeviceTensor dTable, DeviceTensor dOut, DeviceTensor index, int n, int d, int v) {
        cx.launch("embedding_scatter_add", LaunchConfig.gridStride((long) v * d), dTable.arg(), dOut.arg(), index.arg(),
                i(n), i(d), i(v));
    }
}
