package dev.posenc.kernels;

import static dev.posenc.kernels.ElementwiseCpu.NATIVE;
import static dev.posenc.kernels.ElementwiseCpu.S;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Reductions of a tensor seen as (R, C) (leading axes folded into R): column sums (sumRows), row sums
 * (sumCols), the total (sum, in double) and allFinite. Vector loops with scalar twins; the tails go through
 * the twins' range methods.
 *
 * <p>Summation order, and why it differs per kernel:
 * <ul>
 *   <li>sumRows walks the rows in order for each column, in float, exactly as its twin does: the vector
 *       kernel just does 16 columns at once, so the two agree to the bit, and threads split the columns,
 *       so the result does not depend on the thread count.</li>
 *   <li>sumCols keeps one float partial sum per lane along a row, then adds the lanes: a different order
 *       from the twin's left-to-right sum, so they agree within float rounding only.</li>
 *   <li>sum keeps float lane partials over blocks of {@link #SUM_BLOCK} elements, then adds each block in
 *       double: float rounding grows with the block, not with the tensor. The twin adds every element in
 *       double.</li>
 * </ul>
 */
public final class ReduceCpu {
    private ReduceCpu() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Elements per thread below which a reduction stays on the caller's thread (as {@link ElementwiseCpu}). */
    static final long MIN_CHUNK = 1 << 15;

    /** Elements summed in float lanes before the partials go into the double total: 64 adds per lane. */
    static final int SUM_BLOCK = 1024;

    // ---- sumRows: out[c] (+)= scale · Σ_r in[r, c] ------------------------------------------------------

    /**
     * out[c] (+)= scale · Σ_r in[r, c], with in seen as (R, C) and out holding C elements. Overwrites out, or
     * adds to it when {@code accumulate}. Threads split the columns, so a narrow tensor (C below a few
     * vectors) runs on one thread.
     */
    public static void sumRows(Parallel p, Tensor out, Tensor in, float scale, boolean accumulate) {
        checkSumRows(out, in);
        MemorySegment o = out.data(), x = in.data();
        int rows = in.rows(), cols = in.cols();
        long minCols = Math.max(S.length(), MIN_CHUNK / Math.max(1, rows));
        p.forRange(cols, minCols, (c0, c1) -> sumRowsColumns(o, x, rows, cols, scale, accumulate, (int) c0, (int) c1));
    }

    /** Scalar twin of {@link #sumRows}. */
    public static void sumRowsScalar(Tensor out, Tensor in, float scale, boolean accumulate) {
        checkSumRows(out, in);
        sumRowsScalar(out.data(), in.data(), in.rows(), in.cols(), scale, accumulate, 0, in.cols());
    }

    /** Columns [c0, c1): each summed over the rows in order, in float. */
    static void sumRowsScalar(MemorySegment out, MemorySegment in, int rows, int cols, float scale, boolean accumulate,
                              int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float s = 0;
            for (long r = 0; r < rows; r++) s += in.getAtIndex(F, r * cols + c);
            out.setAtIndex(F, c, accumulate ? Math.fma(scale, s, out.getAtIndex(F, c)) : scale * s);
        }
    }

    /**
     * Columns [c0, c1). Four vectors of columns per pass over the rows where they fit (four cache lines per
     * row, so each strided pass over the rows brings in more than one line), then one vector, then the twin.
     * The column sums live in a per-thread array, loaded and stored on every row, not in vector registers: with
     * register accumulators C2 sometimes compiled this loop boxing a vector on every row (0.5 GB/s of garbage in
     * a ViT run, in the compiles that inlined the store; PrintInlining, session 10). Same adds, same order, same
     * bits; the extra traffic stays in L1 while the rows stream from memory.
     */
    private static void sumRowsColumns(MemorySegment out, MemorySegment in, int rows, int cols, float scale,
                                       boolean accumulate, int c0, int c1) {
        int lanes = S.length();
        float[] sums = Lanes.scratch();                   // 4 vectors: Lanes.SCRATCH_FLOATS
        int c = c0;
        while (c + lanes <= c1) {
            int width = c + 4 * lanes <= c1 ? 4 * lanes : lanes;
            Arrays.fill(sums, 0, width, 0f);
            for (long r = 0; r < rows; r++) {
                long off = (r * cols + c) * Float.BYTES;
                for (int j = 0; j < width; j += lanes) {
                    FloatVector.fromArray(S, sums, j)
                            .add(FloatVector.fromMemorySegment(S, in, off + (long) j * Float.BYTES, NATIVE))
                            .intoArray(sums, j);
                }
            }
            for (int j = 0; j < width; j += lanes) store(out, c + j, sums, j, scale, accumulate);
            c += width;
        }
        sumRowsScalar(out, in, rows, cols, scale, accumulate, c, c1);
    }

    /**
     * out[i..i+lanes) = scale·s, or += scale·s with one rounding, as the twin, s = sums[j..j+lanes). Each arm stores
     * its own vector.
     */
    private static void store(MemorySegment out, long i, float[] sums, int j, float scale, boolean accumulate) {
        long off = i * Float.BYTES;
        FloatVector s = FloatVector.fromArray(S, sums, j);
        if (accumulate) {
            s.fma(s.broadcast(scale), FloatVector.fromMemorySegment(S, out, off, NATIVE))
                    .intoMemorySegment(out, off, NATIVE);
        } else {
            s.mul(scale).intoMemorySegment(out, off, NATIVE);
        }
    }

    // ---- sumCols: out[r] (+)= scale · Σ_c in[r, c] ------------------------------------------------------

    /**
     * out[r] (+)= scale · Σ_c in[r, c], with in seen as (R, C) and out holding R elements. Overwrites out, or
     * adds to it when {@code accumulate}.
     */
    public static void sumCols(Parallel p, Tensor out, Tensor in, float scale, boolean accumulate) {
        checkSumCols(out, in);
        MemorySegment o = out.data(), x = in.data();
        int cols = in.cols();
        p.forRange(in.rows(), ElementwiseCpu.rowsPerChunk(cols),
                (r0, r1) -> sumColsRows(o, x, cols, scale, accumulate, r0, r1));
    }

    /** Scalar twin of {@link #sumCols}. */
    public static void sumColsScalar(Tensor out, Tensor in, float scale, boolean accumulate) {
        checkSumCols(out, in);
        int cols = in.cols();
        for (long r = 0; r < in.rows(); r++) {
            float s = sumScalarFloat(in.data(), r * cols, r * cols + cols);
            store(out.data(), r, s, scale, accumulate);
        }
    }

    /** Elements [from, to) added left to right in float. */
    static float sumScalarFloat(MemorySegment in, long from, long to) {
        float s = 0;
        for (long i = from; i < to; i++) s += in.getAtIndex(F, i);
        return s;
    }

    private static void sumColsRows(MemorySegment out, MemorySegment in, int cols, float scale, boolean accumulate,
                                    long r0, long r1) {
        int end = S.loopBound(cols);
        for (long r = r0; r < r1; r++) {
            long base = r * cols;
            FloatVector acc = FloatVector.zero(S);
            int c = 0;
            for (; c < end; c += S.length()) {
                acc = acc.add(FloatVector.fromMemorySegment(S, in, (base + c) * Float.BYTES, NATIVE));
            }
            float s = Lanes.sum(acc) + sumScalarFloat(in, base + c, base + cols);
            store(out, r, s, scale, accumulate);
        }
    }

    /** out[i] = scale·s, or out[i] += scale·s (one rounding). */
    private static void store(MemorySegment out, long i, float s, float scale, boolean accumulate) {
        out.setAtIndex(F, i, accumulate ? Math.fma(scale, s, out.getAtIndex(F, i)) : scale * s);
    }

    // ---- sum ----------------------------------------------------------------------------------------------

    /** Σ of every element: float lane partials per block of {@link #SUM_BLOCK}, blocks added in double. */
    public static double sum(Parallel p, Tensor in) {
        MemorySegment x = in.data();
        long n = in.size();
        int chunks = chunks(p, n);
        double[] partial = new double[chunks];
        p.forEach(chunks, c -> partial[c] = sumRange(x, n * c / chunks, n * (c + 1) / chunks));
        double total = 0;
        for (double s : partial) total += s;   // in chunk order: the same result on every run
        return total;
    }

    /** Scalar twin of {@link #sum}: every element added in double, left to right. */
    public static double sumScalar(Tensor in) { return sumScalar(in.data(), 0, in.size()); }

    static double sumScalar(MemorySegment in, long from, long to) {
        double s = 0;
        for (long i = from; i < to; i++) s += in.getAtIndex(F, i);
        return s;
    }

    private static double sumRange(MemorySegment in, long from, long to) {
        double total = 0;
        long i = from;
        long vectorEnd = from + S.loopBound(to - from);
        while (i < vectorEnd) {
            long blockEnd = Math.min(vectorEnd, i + SUM_BLOCK);
            FloatVector acc = FloatVector.zero(S);
            for (; i < blockEnd; i += S.length()) {
                acc = acc.add(FloatVector.fromMemorySegment(S, in, i * Float.BYTES, NATIVE));
            }
            total += Lanes.sum(acc);
        }
        return total + sumScalar(in, i, to);
    }

    // ---- allFinite ------------------------------------------------------------------------------------------

    /** True when no element is NaN or ±∞. */
    public static boolean allFinite(Parallel p, Tensor in) {
        MemorySegment x = in.data();
        long n = in.size();
        int chunks = chunks(p, n);
        boolean[] finite = new boolean[chunks];
        p.forEach(chunks, c -> finite[c] = allFiniteRange(x, n * c / chunks, n * (c + 1) / chunks));
        for (boolean f : finite) if (!f) return false;
        return true;
    }

    /** Scalar twin of {@link #allFinite}. */
    public static boolean allFiniteScalar(Tensor in) { return allFiniteScalar(in.data(), 0, in.size()); }

    static boolean allFiniteScalar(MemorySegment in, long from, long to) {
        for (long i = from; i < to; i++) if (!Float.isFinite(in.getAtIndex(F, i))) return false;
        return true;
    }

    /**
     * x − x is 0 for a finite x and NaN for NaN or ±∞, so one running sum of x − x over the range is NaN
     * exactly when some element is not finite: no compare or branch in the loop.
     */
    private static boolean allFiniteRange(MemorySegment in, long from, long to) {
        FloatVector acc = FloatVector.zero(S);
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromMemorySegment(S, in, i * Float.BYTES, NATIVE);
            acc = acc.add(v.sub(v));
        }
        return !Float.isNaN(Lanes.sum(acc)) && allFiniteScalar(in, i, to);
    }

    // ---- shared -------------------------------------------------------------------------------------------

    /** The same split as {@link Parallel#forRange}, made explicit so that each chunk's result has a slot. */
    private static int chunks(Parallel p, long n) {
        return (int) Math.max(1, Math.min(p.threads(), n / MIN_CHUNK));
    }

    private static void checkSumRows(Tensor out, Tensor in) {
        if (out.size() != in.cols()) Shapes.require(false, "sumRows", "out",
                "%d elements (in is %s)".formatted(in.cols(), in.shape()), out.shape());
    }

    private static void checkSumCols(Tensor out, Tensor in) {
        if (out.size() != in.rows()) Shapes.require(false, "sumCols", "out",
                "%d elements (in is %s)".formatted(in.rows(), in.shape()), out.shape());
    }
}
