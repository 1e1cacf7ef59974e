package dev.posenc.kernels;

import dev.posenc.core.SparseKernels;
import dev.posenc.core.Tensor;
import dev.posenc.core.graph.Csr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/**
 * The sparse-dense product out (R, D) = A·x for a CSR A (R × C) and x (C, D), row-parallel (see {@link SparseKernels}):
 * <pre>
 *   out[r, j] = fma(val[k], x[col[k], j], out[r, j])   for k = rowPtr[r] .. rowPtr[r+1] − 1, in that order
 * </pre>
 * starting from 0 (or from out's old value when accumulating). Each output row belongs to one task, and a task
 * walks its rows and their entries in order, so the result does not depend on the thread count. The vector loop
 * runs over j in lanes with the same fused multiply-add as the scalar twin's {@link Math#fma}, and finishes the
 * row's tail (fewer than one vector of columns) with the twin itself: vector and scalar results are equal bit for
 * bit. Twin: {@link #spmmScalar}.
 *
 * <p>Work is split into tasks of about equal nnz (binary search on rowPtr), not equal rows, so that a few hub
 * nodes of a skewed graph do not leave one thread doing most of the product.
 */
public final class SparseCpu {
    private SparseCpu() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Multiply-adds per task below which the product stays on fewer threads: ~64K flops, a few µs. */
    private static final long MIN_TASK_WORK = 1 << 16;

    /** out = A·x, or out += A·x when {@code accumulate}. Modifies out. */
    public static void spmm(Parallel p, Tensor out, Csr a, Tensor x, boolean accumulate) {
        SparseKernels.check("spmm", out, a, x);
        int d = x.cols();
        long work = (long) a.nnz() * d + (long) a.rows() * d;
        int tasks = (int) Math.max(1, Math.min(4L * p.threads(), work / MIN_TASK_WORK));
        int[] bounds = rowBounds(a, tasks);
        MemorySegment o = out.data(), xs = x.data();
        p.forEach(tasks, t -> {
            for (int r = bounds[t]; r < bounds[t + 1]; r++) row(o, a, xs, r, d, accumulate);
        });
    }

    /** Scalar twin of {@link #spmm}: one thread, plain loops. Modifies out. */
    public static void spmmScalar(Tensor out, Csr a, Tensor x, boolean accumulate) {
        SparseKernels.check("spmm", out, a, x);
        int d = x.cols();
        for (int r = 0; r < a.rows(); r++) rowScalar(out.data(), a, x.data(), r, d, 0, accumulate);
    }

    /**
     * Columns [from, D) of output row r: the twin, and the vector loop's tail. Accumulates onto out's value
     * unless {@code accumulate} is false, when the row starts from zero.
     */
    static void rowScalar(MemorySegment out, Csr a, MemorySegment x, int r, int d, int from, boolean accumulate) {
        long base = (long) r * d;
        if (!accumulate) for (int j = from; j < d; j++) out.setAtIndex(F, base + j, 0f);
        int[] ptr = a.rowPtr(), col = a.col();
        for (int k = ptr[r]; k < ptr[r + 1]; k++) {
            float v = a.value(k);
            long src = (long) col[k] * d;
            for (int j = from; j < d; j++) {
                out.setAtIndex(F, base + j, Math.fma(v, x.getAtIndex(F, src + j), out.getAtIndex(F, base + j)));
            }
        }
    }

    private static void row(MemorySegment out, Csr a, MemorySegment x, int r, int d, boolean accumulate) {
        int lanes = ElementwiseCpu.S.length(), body = ElementwiseCpu.S.loopBound(d);
        long base = (long) r * d * Float.BYTES;
        int[] ptr = a.rowPtr(), col = a.col();
        // One vector of the output row at a time, kept in a register across the row's entries.
        for (int j = 0; j < body; j += lanes) {
            long at = base + (long) j * Float.BYTES;
            FloatVector acc = accumulate ? FloatVector.fromMemorySegment(ElementwiseCpu.S, out, at,
                    ElementwiseCpu.NATIVE) : FloatVector.zero(ElementwiseCpu.S);
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                long from = ((long) col[k] * d + j) * Float.BYTES;
                FloatVector xv = FloatVector.fromMemorySegment(ElementwiseCpu.S, x, from, ElementwiseCpu.NATIVE);
                acc = xv.fma(FloatVector.broadcast(ElementwiseCpu.S, a.value(k)), acc);
            }
            acc.intoMemorySegment(out, at, ElementwiseCpu.NATIVE);
        }
        if (body < d) rowScalar(out, a, x, r, d, body, accumulate);
    }

    /** Row boundaries of {@code tasks} pieces with about equal nnz + rows each: bounds[0] = 0, bounds[tasks] = R. */
    static int[] rowBounds(Csr a, int tasks) {
        int[] ptr = a.rowPtr(), bounds = new int[tasks + 1];
        long total = (long) a.nnz() + a.rows();
        for (int t = 1; t < tasks; t++) {
            long target = total * t / tasks;
            int lo = bounds[t - 1], hi = a.rows();
            while (lo < hi) {                    // first row r with ptr[r] + r ≥ target
                int mid = (lo + hi) >>> 1;
                if ((long) ptr[mid] + mid < target) lo = mid + 1; else hi = mid;
            }
            bounds[t] = lo;
        }
        bounds[tasks] = a.rows();
        return bounds;
    }
}
