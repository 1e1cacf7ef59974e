package dev.posenc.core.graph;

import java.util.Arrays;

/**
 * A sparse matrix in compressed sparse row form: row r holds the entries k in [rowPtr[r], rowPtr[r+1]), at
 * column col[k] with value val[k] (val null: every stored value is 1). Rows (R), columns (C), nnz = rowPtr[R].
 *
 * <p>Every message-passing op of the engine is a product with one of these: a gather x[index[e]] is a matrix with
 * one 1 per row, a segment sum over edges grouped by destination is a matrix of 1s whose row v spans v's edges, and
 * GCN's propagation is D^-½(A+I)D^-½. Their backward is the product with the {@link #transpose()}, built once,
 * so that every kernel writes each output row from one thread in a fixed order: no atomics, and bit-equal results
 * at any thread count.
 *
 * <p>The arrays are not copied; a Csr is treated as immutable once built (the factories below build fresh arrays).
 */
public record Csr(int rows, int cols, int[] rowPtr, int[] col, float[] val) {
    public Csr {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(
                "csr: expected rows, cols >= 0, got %d × %d".formatted(rows, cols));
        if (rowPtr.length != rows + 1) throw new IllegalArgumentException(
                "csr: rowPtr: expected %d entries (rows + 1), got %d".formatted(rows + 1, rowPtr.length));
        if (rowPtr[0] != 0 || rowPtr[rows] != col.length) throw new IllegalArgumentException(
                "csr: rowPtr: expected to run from 0 to nnz = %d, got %d .. %d".formatted(col.length, rowPtr[0], rowPtr[rows]));
        for (int r = 0; r < rows; r++) {
            if (rowPtr[r + 1] < rowPtr[r]) throw new IllegalArgumentException(
                    "csr: rowPtr: expected non-decreasing, got rowPtr[%d] = %d > rowPtr[%d] = %d"
                            .formatted(r, rowPtr[r], r + 1, rowPtr[r + 1]));
        }
        for (int k = 0; k < col.length; k++) {
            if (col[k] < 0 || col[k] >= cols) throw new IllegalArgumentException(
                    "csr: col[%d]: expected in [0, %d), got %d".formatted(k, cols, col[k]));
        }
        if (val != null && val.length != col.length) throw new IllegalArgumentException(
                "csr: val: expected %d values (nnz), got %d".formatted(col.length, val.length));
    }

    public int nnz() { return col.length; }

    /** The stored value of entry k (1 when the matrix has no values). */
    public float value(int k) { return val == null ? 1f : val[k]; }

    /**
     * The gather matrix G (E × N) with G[e, index[e]] = 1: (G·x)[e] = x[index[e]].
     *
     * @throws IllegalArgumentException when an index is outside [0, n)
     */
    public static Csr gather(int[] index, int n) {
        int[] ptr = new int[index.length + 1];
        for (int e = 0; e < index.length; e++) ptr[e + 1] = e + 1;
        return new Csr(index.length, n, ptr, index.clone(), null);
    }

    /**
     * The segment-sum matrix S (N × E) whose row v has a 1 at each edge e with segment[e] = v:
     * (S·m)[v] = Σ_{e: segment[e] = v} m[e]. Within a row the edges keep their input order. Equal to
     * {@code gather(segment, n).transpose()}.
     */
    public static Csr segments(int[] segment, int n) { return gather(segment, n).transpose(); }

    /**
     * Aᵀ as its own CSR, by a counting sort over columns. Row c of the transpose lists the rows r of A with an
     * entry in column c in increasing r, so the transpose's summation order is fixed.
     */
    public Csr transpose() {
        int[] ptr = new int[cols + 1];
        for (int c : col) ptr[c + 1]++;
        for (int c = 0; c < cols; c++) ptr[c + 1] += ptr[c];
        int[] next = Arrays.copyOf(ptr, cols);
        int[] tCol = new int[col.length];
        float[] tVal = val == null ? null : new float[col.length];
        for (int r = 0; r < rows; r++) {
            for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
                int at = next[col[k]]++;
                tCol[at] = r;
                if (tVal != null) tVal[at] = val[k];
            }
        }
        return new Csr(cols, rows, ptr, tCol, tVal);
    }

    /** The dense matrix, row-major (R·C), for tests and references; entries in one cell add up. */
    public double[] toDense() {
        double[] d = new double[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) d[r * cols + col[k]] += value(k);
        }
        return d;
    }

    @Override public String toString() { return "Csr(%d × %d, nnz %d%s)".formatted(rows, cols, nnz(), val == null ? ", ones" : ""); }
}
