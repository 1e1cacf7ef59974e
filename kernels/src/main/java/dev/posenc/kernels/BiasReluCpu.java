package dev.posenc.kernels;

import static dev.posenc.kernels.ElementwiseCpu.NATIVE;
import static dev.posenc.kernels.ElementwiseCpu.S;
import static dev.posenc.kernels.ElementwiseCpu.load;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The bias and ReLU of an MLP's hidden layer, one pass over the activations each way. z (R, C) is the
 * layer's product x·Wᵀ, b (C) its bias:
 * <pre>
 *   forward    y[r, c] = max(z[r, c] + b[c], 0)                      (y may be z: in place)
 *   backward   dz[r, c] = dy[r, c] · [y[r, c] &gt; 0]   (overwritten)   [y &gt; 0] ⇔ [z + b &gt; 0]
 *              db[c] (+)= Σ_r dz[r, c]                 (rows in order, in float)
 * </pre>
 * The same roundings in the same order as the unfused route (addRowBroadcast, relu, the overwriting relu
 * backward fma(dy, 0|1, 0), then sumRows), so the numbers equal it bit for bit; what goes is one read and
 * write of z forward, and the separate read of dz for the bias gradient backward. The backward splits the
 * columns over the threads (as {@link ReduceCpu#sumRows}), so each column's sum, and the result, do not
 * depend on the thread count. Twins: {@link #forwardScalar}, {@link #backwardScalar}.
 */
public final class BiasReluCpu {
    private BiasReluCpu() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

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
     * dz = dy ⊙ [y &gt; 0] (every element written) and db += Σ_r dz, or db = Σ_r dz when not {@code accumulate}.
     * y is the forward's output. Modifies dz and db; dz may be dy.
     */
    public static void backward(Parallel p, Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        check("biasReluBackward", dz, y, db);
        Shapes.same("biasReluBackward", "dy", y, dy);
        MemorySegment g = dz.data(), gb = db.data(), go = dy.data(), out = y.data();
        int rows = y.rows(), cols = y.cols();
        long minCols = Math.max(S.length(), ReduceCpu.MIN_CHUNK / Math.max(1, rows));
        p.forRange(cols, minCols, (c0, c1) -> backwardColumns(g, gb, go, out, rows, cols, accumulate, (int) c0,
                (int) c1));
    }

    /** Scalar twin of {@link #backward}. */
    public static void backwardScalar(Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        check("biasReluBackward", dz, y, db);
        Shapes.same("biasReluBackward", "dy", y, dy);
        backwardScalar(dz.data(), db.data(), dy.data(), y.data(), y.rows(), y.cols(), accumulate, 0, y.cols());
    }

    // ---- scalar twins: the formulas, written once ---------------------------------------------------------

    /** Columns [c0, c1) of the row starting at element {@code base}. */
    static void forwardScalar(MemorySegment y, MemorySegment z, MemorySegment b, long base, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            y.setAtIndex(F, base + c, Math.max(z.getAtIndex(F, base + c) + b.getAtIndex(F, c), 0f));
        }
    }

    /** Columns [c0, c1), each over the rows in order. */
    static void backwardScalar(MemorySegment dz, MemorySegment db, MemorySegment dy, MemorySegment y, int rows,
                               int cols, boolean accumulate, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float s = 0;
            for (long r = 0; r < rows; r++) {
                long i = r * cols + c;
                float d = Math.fma(dy.getAtIndex(F, i), y.getAtIndex(F, i) > 0 ? 1f : 0f, 0f);
                dz.setAtIndex(F, i, d);
                s += d;
            }
            db.setAtIndex(F, c, accumulate ? Math.fma(1f, s, db.getAtIndex(F, c)) : s);
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
                load(z, off).add(load(b, (long) c * Float.BYTES)).max(0f).intoMemorySegment(y, off, NATIVE);
            }
            forwardScalar(y, z, b, base, c, cols);
        }
    }

    /**
     * Columns [c0, c1): four vectors of columns per pass over the rows where they fit (as sumRows), then one,
     * then the twin. Each column's sum runs over the rows in order, so the split does not change it.
     */
    private static void backwardColumns(MemorySegment dz, MemorySegment db, MemorySegment dy, MemorySegment y,
                                        int rows, int cols, boolean accumulate, int c0, int c1) {
        int lanes = S.length();
        long vb = (long) lanes * Float.BYTES;
        int c = c0;
        for (; c + 4 * lanes <= c1; c += 4 * lanes) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (long r = 0; r < rows; r++) {
                long off = (r * cols + c) * Float.BYTES;
                s0 = s0.add(masked(dz, dy, y, off));
                s1 = s1.add(masked(dz, dy, y, off + vb));
                s2 = s2.add(masked(dz, dy, y, off + 2 * vb));
                s3 = s3.add(masked(dz, dy, y, off + 3 * vb));
            }
            store(db, c, s0, accumulate);
            store(db, c + lanes, s1, accumulate);
            store(db, c + 2L * lanes, s2, accumulate);
            store(db, c + 3L * lanes, s3, accumulate);
        }
        for (; c + lanes <= c1; c += lanes) {
            FloatVector s0 = FloatVector.zero(S);
            for (long r = 0; r < rows; r++) s0 = s0.add(masked(dz, dy, y, (r * cols + c) * Float.BYTES));
            store(db, c, s0, accumulate);
        }
        backwardScalar(dz, db, dy, y, rows, cols, accumulate, c, c1);
    }

    /** dz = fma(dy, [y &gt; 0], 0) for one vector at byte offset {@code off}, stored and returned. */
    private static FloatVector masked(MemorySegment dz, MemorySegment dy, MemorySegment y, long off) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        FloatVector d = zero.blend(one, load(y, off).compare(VectorOperators.GT, 0f));
        FloatVector g = load(dy, off).fma(d, zero);
        g.intoMemorySegment(dz, off, NATIVE);
        return g;
    }

    /** db[i..i+lanes) = s, or += s with one rounding (as sumRows' fma(1, s, db)). */
    private static void store(MemorySegment db, long i, FloatVector s, boolean accumulate) {
        long off = i * Float.BYTES;
        if (accumulate) s.fma(s.broadcast(1f), load(db, off)).intoMemorySegment(db, off, NATIVE);
        else s.intoMemorySegment(db, off, NATIVE);
    }

    private static void check(String op, Tensor y, Tensor z, Tensor b) {
        if (z.rank() < 1 || b.size() != z.cols()) {
            Shapes.require(false, op, "b", "%d elements (z is %s)".formatted(z.rank() < 1 ? 0 : z.cols(), z.shape()),
                    b.shape());
        }
        Shapes.same(op, "out", z, y);
    }
}
