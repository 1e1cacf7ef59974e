package dev.posenc.kernels;

import static dev.posenc.kernels.ElementwiseCpu.NATIVE;
import static dev.posenc.kernels.ElementwiseCpu.S;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The bias and ReLU of an MLP's hidden layer in one pass over the activations: z (R, C) is the layer's
 * product x·Wᵀ, b (C) its bias,
 * <pre>
 *   y[r, c] = max(z[r, c] + b[c], 0)        (y may be z: in place)
 * </pre>
 * The same roundings as the unfused route (addRowBroadcast, then relu), so the same bits; what goes is one
 * read and one write of z. Threads split the rows. Twin: {@link #forwardScalar}.
 *
 * <p>The backward, dz = dy ⊙ [y &gt; 0] and db (+)= Σ_rows dz, is one pass too: threads take blocks of
 * {@value #BLOCK_ROWS} rows, each block writes its rows of dz and sums its columns, rows in order, into a partial
 * P_b (C floats, in L1); then db = ((P_0 + P_1) + …) + P_last, added to db when accumulating. The blocks depend on
 * R alone, so any thread count gives the same bits. Up to {@value #BLOCK_ROWS} rows that is sumRows' order (one
 * block); beyond, db's sum is associated by blocks, not row after row. (A first one-pass version split the columns
 * over the threads to keep sumRows' order, and its strided passes cost more than the second pass they saved:
 * 12 against 8.6 ms of CPU per gaussian step.) dz has the bits of the relu backward, fma(dy, [y &gt; 0], 0).
 * Twin: {@link #backwardScalar}.
 */
public final class BiasReluCpu {
    private BiasReluCpu() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Rows per block of the backward's column sums: 256 × 256 floats of dy and y per block, ~1 µs of work at least. */
    static final int BLOCK_ROWS = 256;

    /** y = max(z + b, 0) row by row. Modifies y; y may be z. */
    public static void forward(Parallel p, Tensor y, Tensor z, Tensor b) {
        check("biasRelu", y, z, b);
        MemorySegment out = y.data(), in = z.data(), bias = b.data();
        int cols = z.cols();
        p.forRange(z.rows(), ElementwiseCpu.rowsPerChunk(cols), (r0, r1) -> forwardRows(out, in, bias, cols, r0, r1));
    }

    /** Scalar twin of {@link #forward}. */
    public static void forwardScalar(Tensor y, Tensor z, Tensor b) {
        check("biasRelu", y, z, b);
        int cols = z.cols();
        for (long r = 0; r < z.rows(); r++) forwardScalar(y.data(), z.data(), b.data(), r * cols, 0, cols);
    }

    /**
     * dz = dy ⊙ [y &gt; 0] (every element written) and db = Σ_rows dz, or db += that when {@code accumulate}, summed
     * by row blocks as the class comment says. dz, dy, y (R, C); db (C). Modifies dz and db.
     */
    public static void backward(Parallel p, Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        checkBackward(dz, db, dy, y);
        int rows = y.rows(), cols = y.cols(), blocks = Math.max(1, ceilDiv(rows, BLOCK_ROWS));
        float[] part = p.workspace().sums(blocks * cols);
        MemorySegment d = dz.data(), g = dy.data(), v = y.data();
        p.forEach(blocks, blk -> backwardBlock(d, part, blk * cols, g, v, cols, (long) blk * BLOCK_ROWS,
                Math.min(rows, (long) (blk + 1) * BLOCK_ROWS)));
        reduceBlocks(db.data(), part, blocks, cols, accumulate);
    }

    /** Scalar twin of {@link #backward}: the same blocks, the same sums in the same order. */
    public static void backwardScalar(Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        checkBackward(dz, db, dy, y);
        int rows = y.rows(), cols = y.cols(), blocks = Math.max(1, ceilDiv(rows, BLOCK_ROWS));
        float[] part = new float[blocks * cols];
        for (int blk = 0; blk < blocks; blk++) {
            for (long r = (long) blk * BLOCK_ROWS; r < Math.min(rows, (long) (blk + 1) * BLOCK_ROWS); r++) {
                backwardScalar(dz.data(), part, blk * cols, dy.data(), y.data(), r * cols, 0, cols);
            }
        }
        reduceBlocks(db.data(), part, blocks, cols, accumulate);
    }

    // ---- scalar twins: the formulas, written once ---------------------------------------------------------

    /** Columns [c0, c1) of the row starting at element {@code base}. */
    static void forwardScalar(MemorySegment y, MemorySegment z, MemorySegment b, long base, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            y.setAtIndex(F, base + c, Math.max(z.getAtIndex(F, base + c) + b.getAtIndex(F, c), 0f));
        }
    }

    /** Columns [c0, c1) of the row at element {@code base}: dz = fma(dy, [y &gt; 0], 0); part[po + c] += dz. */
    static void backwardScalar(MemorySegment dz, float[] part, int po, MemorySegment dy, MemorySegment y, long base,
                               int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float d = Math.fma(dy.getAtIndex(F, base + c), y.getAtIndex(F, base + c) > 0 ? 1f : 0f, 0f);
            dz.setAtIndex(F, base + c, d);
            part[po + c] += d;
        }
    }

    /** db[c] = ((P_0[c] + P_1[c]) + …), or db[c] + that when accumulating: the blocks' partials in block order. */
    private static void reduceBlocks(MemorySegment db, float[] part, int blocks, int cols, boolean accumulate) {
        for (int c = 0; c < cols; c++) {
            float s = part[c];
            for (int blk = 1; blk < blocks; blk++) s += part[blk * cols + c];
            db.setAtIndex(F, c, accumulate ? db.getAtIndex(F, c) + s : s);
        }
    }

    // ---- vector loops ---------------------------------------------------------------------------------------

    private static void forwardRows(MemorySegment y, MemorySegment z, MemorySegment b, int cols, long r0, long r1) {
        int end = S.loopBound(cols);
        for (long r = r0; r < r1; r++) {
            long base = r * cols;
            int c = 0;
            for (; c < end; c += S.length()) {
                long off = (base + c) * Float.BYTES;
                FloatVector.fromMemorySegment(S, z, off, NATIVE)
                        .add(FloatVector.fromMemorySegment(S, b, (long) c * Float.BYTES, NATIVE)).max(0f)
                        .intoMemorySegment(y, off, NATIVE);
            }
            forwardScalar(y, z, b, base, c, cols);
        }
    }

    /** Rows [r0, r1) of one block: its dz rows, and its column sums in part[po, po + cols), rows in order. */
    private static void backwardBlock(MemorySegment dz, float[] part, int po, MemorySegment dy, MemorySegment y,
                                      int cols, long r0, long r1) {
        Arrays.fill(part, po, po + cols, 0f);
        int end = S.loopBound(cols);
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        for (long r = r0; r < r1; r++) {
            long base = r * cols;
            int c = 0;
            for (; c < end; c += S.length()) {
                long off = (base + c) * Float.BYTES;
                FloatVector mask = zero.blend(one, FloatVector.fromMemorySegment(S, y, off, NATIVE)
                        .compare(VectorOperators.GT, 0f));
                FloatVector d = FloatVector.fromMemorySegment(S, dy, off, NATIVE).fma(mask, zero);
                d.intoMemorySegment(dz, off, NATIVE);
                FloatVector.fromArray(S, part, po + c).add(d).intoArray(part, po + c);
            }
            backwardScalar(dz, part, po, dy, y, base, c, cols);
        }
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    private static void checkBackward(Tensor dz, Tensor db, Tensor dy, Tensor y) {
        String op = "biasReluBackward";
        if (y.rank() < 1 || db.size() != y.cols()) {
            Shapes.require(false, op, "db", "%d elements (y is %s)".formatted(y.rank() < 1 ? 0 : y.cols(), y.shape()),
                    db.shape());
        }
        Shapes.same(op, "dy", y, dy);
        Shapes.same(op, "dz", y, dz);
    }

    private static void check(String op, Tensor y, Tensor z, Tensor b) {
        if (z.rank() < 1 || b.size() != z.cols()) {
            Shapes.require(false, op, "b", "%d elements (z is %s)".formatted(z.rank() < 1 ? 0 : z.cols(), z.shape()),
                    b.shape());
        }
        Shapes.same(op, "out", z, y);
    }
}
