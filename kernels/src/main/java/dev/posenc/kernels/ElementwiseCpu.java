package dev.posenc.kernels;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise maps over flat float32 tensors: add, sub, mul, addRowBroadcast, scale, axpy, fill.
 * Each kernel is a Vector API loop over a range [from, to) of elements whose tail (fewer than one vector)
 * is finished by the scalar twin over the same range, so the math has one source. The public
 * {@code *Scalar(Tensor...)} methods run the twin over the whole tensor; tests compare against them.
 * Outputs may alias inputs of the same shape: every element is read before it is written, lane by lane.
 */
public final class ElementwiseCpu {
    private ElementwiseCpu() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /**
     * Elements per thread below which a map stays on the caller's thread: 32K floats is 128 KiB per
     * operand, about 10 µs of memory traffic, a few times the cost of waking a pool thread.
     */
    static final long MIN_CHUNK = 1 << 15;

    // ---- add ------------------------------------------------------------------------------------------

    /** out = a + b, all the same shape. Modifies out. */
    public static void add(Parallel p, Tensor out, Tensor a, Tensor b) {
        checkBinary("add", out, a, b);
        MemorySegment o = out.data(), x = a.data(), y = b.data();
        p.forRange(out.size(), MIN_CHUNK, (from, to) -> addRange(o, x, y, from, to));
    }

    /** Scalar twin of {@link #add}. */
    public static void addScalar(Tensor out, Tensor a, Tensor b) {
        checkBinary("add", out, a, b);
        addScalar(out.data(), a.data(), b.data(), 0, out.size());
    }

    static void addScalar(MemorySegment out, MemorySegment a, MemorySegment b, long from, long to) {
        for (long i = from; i < to; i++) out.setAtIndex(F, i, a.getAtIndex(F, i) + b.getAtIndex(F, i));
    }

    private static void addRange(MemorySegment out, MemorySegment a, MemorySegment b, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, a, off, NATIVE).add(FloatVector.fromMemorySegment(S, b, off, NATIVE))
                    .intoMemorySegment(out, off, NATIVE);
        }
        addScalar(out, a, b, i, to);
    }

    // ---- sub ------------------------------------------------------------------------------------------

    /** out = a − b, all the same shape. Modifies out. */
    public static void sub(Parallel p, Tensor out, Tensor a, Tensor b) {
        checkBinary("sub", out, a, b);
        MemorySegment o = out.data(), x = a.data(), y = b.data();
        p.forRange(out.size(), MIN_CHUNK, (from, to) -> subRange(o, x, y, from, to));
    }

    /** Scalar twin of {@link #sub}. */
    public static void subScalar(Tensor out, Tensor a, Tensor b) {
        checkBinary("sub", out, a, b);
        subScalar(out.data(), a.data(), b.data(), 0, out.size());
    }

    static void subScalar(MemorySegment out, MemorySegment a, MemorySegment b, long from, long to) {
        for (long i = from; i < to; i++) out.setAtIndex(F, i, a.getAtIndex(F, i) - b.getAtIndex(F, i));
    }

    private static void subRange(MemorySegment out, MemorySegment a, MemorySegment b, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, a, off, NATIVE).sub(FloatVector.fromMemorySegment(S, b, off, NATIVE))
                    .intoMemorySegment(out, off, NATIVE);
        }
        subScalar(out, a, b, i, to);
    }

    // ---- mul ------------------------------------------------------------------------------------------

    /** out = a ⊙ b, all the same shape. Modifies out. */
    public static void mul(Parallel p, Tensor out, Tensor a, Tensor b) {
        checkBinary("mul", out, a, b);
        MemorySegment o = out.data(), x = a.data(), y = b.data();
        p.forRange(out.size(), MIN_CHUNK, (from, to) -> mulRange(o, x, y, from, to));
    }

    /** Scalar twin of {@link #mul}. */
    public static void mulScalar(Tensor out, Tensor a, Tensor b) {
        checkBinary("mul", out, a, b);
        mulScalar(out.data(), a.data(), b.data(), 0, out.size());
    }

    static void mulScalar(MemorySegment out, MemorySegment a, MemorySegment b, long from, long to) {
        for (long i = from; i < to; i++) out.setAtIndex(F, i, a.getAtIndex(F, i) * b.getAtIndex(F, i));
    }

    private static void mulRange(MemorySegment out, MemorySegment a, MemorySegment b, long from, long to) {
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, a, off, NATIVE).mul(FloatVector.fromMemorySegment(S, b, off, NATIVE))
                    .intoMemorySegment(out, off, NATIVE);
        }
        mulScalar(out, a, b, i, to);
    }

    // ---- addRowBroadcast ------------------------------------------------------------------------------

    /** out[r, c] = a[r, c] + row[c]: a (R, C) (leading axes folded into R), row has C elements. Modifies out. */
    public static void addRowBroadcast(Parallel p, Tensor out, Tensor a, Tensor row) {
        checkRowBroadcast(out, a, row);
        MemorySegment o = out.data(), x = a.data(), r = row.data();
        int cols = a.cols();
        p.forRange(a.rows(), rowsPerChunk(cols), (r0, r1) -> addRowBroadcastRows(o, x, r, cols, r0, r1));
    }

    /** Scalar twin of {@link #addRowBroadcast}. */
    public static void addRowBroadcastScalar(Tensor out, Tensor a, Tensor row) {
        checkRowBroadcast(out, a, row);
        int cols = a.cols();
        for (long r = 0; r < a.rows(); r++) {
            addRowBroadcastScalar(out.data(), a.data(), row.data(), r * cols, 0, cols);
        }
    }

    /** Columns [c0, c1) of the row starting at element {@code base}. */
    static void addRowBroadcastScalar(MemorySegment out, MemorySegment a, MemorySegment row, long base, int c0,
                                      int c1) {
        for (int c = c0; c < c1; c++) out.setAtIndex(F, base + c, a.getAtIndex(F, base + c) + row.getAtIndex(F, c));
    }

    private static void addRowBroadcastRows(MemorySegment out, MemorySegment a, MemorySegment row, int cols, long r0,
                                            long r1) {
        int end = S.loopBound(cols);
        for (long r = r0; r < r1; r++) {
            long base = r * cols;
            int c = 0;
            for (; c < end; c += S.length()) {
                long off = (base + c) * Float.BYTES;
                FloatVector.fromMemorySegment(S, a, off, NATIVE)
                        .add(FloatVector.fromMemorySegment(S, row, (long) c * Float.BYTES, NATIVE))
                        .intoMemorySegment(out, off, NATIVE);
            }
            addRowBroadcastScalar(out, a, row, base, c, cols);
        }
    }

    // ---- scale ----------------------------------------------------------------------------------------

    /** out = s·a, same shape. Modifies out. */
    public static void scale(Parallel p, Tensor out, Tensor a, float s) {
        Shapes.same("scale", "out", a, out);
        MemorySegment o = out.data(), x = a.data();
        p.forRange(out.size(), MIN_CHUNK, (from, to) -> scaleRange(o, x, s, from, to));
    }

    /** Scalar twin of {@link #scale}. */
    public static void scaleScalar(Tensor out, Tensor a, float s) {
        Shapes.same("scale", "out", a, out);
        scaleScalar(out.data(), a.data(), s, 0, out.size());
    }

    static void scaleScalar(MemorySegment out, MemorySegment a, float s, long from, long to) {
        for (long i = from; i < to; i++) out.setAtIndex(F, i, s * a.getAtIndex(F, i));
    }

    private static void scaleRange(MemorySegment out, MemorySegment a, float s, long from, long to) {
        FloatVector vs = FloatVector.broadcast(S, s);
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            vs.mul(FloatVector.fromMemorySegment(S, a, off, NATIVE)).intoMemorySegment(out, off, NATIVE);
        }
        scaleScalar(out, a, s, i, to);
    }

    // ---- axpy -----------------------------------------------------------------------------------------

    /** y += alpha·x, same number of elements (shapes may differ). Modifies y. */
    public static void axpy(Parallel p, Tensor y, float alpha, Tensor x) {
        checkAxpy(y, x);
        MemorySegment ys = y.data(), xs = x.data();
        p.forRange(y.size(), MIN_CHUNK, (from, to) -> axpyRange(ys, alpha, xs, from, to));
    }

    /** Scalar twin of {@link #axpy}. */
    public static void axpyScalar(Tensor y, float alpha, Tensor x) {
        checkAxpy(y, x);
        axpyScalar(y.data(), alpha, x.data(), 0, y.size());
    }

    /** One rounding per element (fma), as in the vector loop, so the twins agree to the bit. */
    static void axpyScalar(MemorySegment y, float alpha, MemorySegment x, long from, long to) {
        for (long i = from; i < to; i++) y.setAtIndex(F, i, Math.fma(alpha, x.getAtIndex(F, i), y.getAtIndex(F, i)));
    }

    private static void axpyRange(MemorySegment y, float alpha, MemorySegment x, long from, long to) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            long off = i * Float.BYTES;
            va.fma(FloatVector.fromMemorySegment(S, x, off, NATIVE), FloatVector.fromMemorySegment(S, y, off, NATIVE))
                    .intoMemorySegment(y, off, NATIVE);
        }
        axpyScalar(y, alpha, x, i, to);
    }

    // ---- fill -----------------------------------------------------------------------------------------

    /** Every element of out set to value. Modifies out. */
    public static void fill(Parallel p, Tensor out, float value) {
        MemorySegment o = out.data();
        p.forRange(out.size(), MIN_CHUNK, (from, to) -> fillRange(o, value, from, to));
    }

    /** Scalar twin of {@link #fill}. */
    public static void fillScalar(Tensor out, float value) { fillScalar(out.data(), value, 0, out.size()); }

    static void fillScalar(MemorySegment out, float value, long from, long to) {
        for (long i = from; i < to; i++) out.setAtIndex(F, i, value);
    }

    private static void fillRange(MemorySegment out, float value, long from, long to) {
        FloatVector v = FloatVector.broadcast(S, value);
        long i = from;
        for (long end = from + S.loopBound(to - from); i < end; i += S.length()) {
            v.intoMemorySegment(out, i * Float.BYTES, NATIVE);
        }
        fillScalar(out, value, i, to);
    }

    // ---- shared ---------------------------------------------------------------------------------------

    // Kernels call FloatVector.fromMemorySegment themselves, with no one-line load helper of ours: the JDK's vector
    // methods are always inlined, ours are not. A helper compiled on its own first is refused inlining at a call
    // site that C2 deems cold ("already compiled into a medium method"), and returns a boxed vector there: so it
    // was in ReduceCpu's column-sum store in a ViT run (PrintInlining, session 10).

    /** Rows per parallel chunk so that a chunk holds at least {@link #MIN_CHUNK} elements. */
    static long rowsPerChunk(int cols) { return Math.max(1, MIN_CHUNK / Math.max(1, cols)); }

    private static void checkBinary(String op, Tensor out, Tensor a, Tensor b) {
        Shapes.same(op, "b", a, b);
        Shapes.same(op, "out", a, out);
    }

    private static void checkRowBroadcast(Tensor out, Tensor a, Tensor row) {
        Shapes.require(a.rank() >= 1, "addRowBroadcast", "a", "a tensor of rank >= 1", a.shape());
        if (row.size() != a.cols()) Shapes.require(false, "addRowBroadcast", "row",
                "%d elements (a is %s)".formatted(a.cols(), a.shape()), row.shape());
        Shapes.same("addRowBroadcast", "out", a, out);
    }

    private static void checkAxpy(Tensor y, Tensor x) {
        if (x.size() != y.size()) {
            Shapes.require(false, "axpy", "x", "%d elements (y is %s)".formatted(y.size(), y.shape()), x.shape());
        }
    }
}
