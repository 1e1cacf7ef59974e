package dev.posenc.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A float32, row-major tensor: a {@link Shape} over native memory it does not own.
 *
 * <p>The {@link Arena} that allocated the memory sets the tensor's lifetime: close the arena and every
 * tensor over it becomes unusable; any later access throws {@link IllegalStateException} (the FFM
 * runtime checks it), never a crash. Views ({@link #reshape}, {@link #rowRange}) share memory and lifetime.
 * A tensor holds no math: kernels live in a {@link Backend}.
 */
public record Tensor(Shape shape, MemorySegment data) {
    /** Native buffers are 64-byte aligned: one AVX-512 register, one cache line. */
    public static final long ALIGNMENT = 64;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public Tensor {
        if (data.byteSize() != shape.size() * Float.BYTES) throw new IllegalArgumentException(
                "data: expected %d bytes for %s, got %d".formatted(shape.size() * Float.BYTES, shape, data.byteSize()));
    }

    /** A zero-filled tensor whose lifetime is {@code arena}'s. */
    public static Tensor zeros(Arena arena, Shape shape) {
        // Arena.allocate zero-fills, so no explicit fill is needed.
        return new Tensor(shape, arena.allocate(Math.max(1, shape.size()) * Float.BYTES, ALIGNMENT)
                .asSlice(0, shape.size() * Float.BYTES));
    }

    public static Tensor zeros(Arena arena, int... dims) { return zeros(arena, Shape.of(dims)); }

    public static Tensor full(Arena arena, Shape shape, float value) {
        Tensor t = zeros(arena, shape);
        for (long i = 0; i < t.size(); i++) t.set(i, value);
        return t;
    }

    /** Copies {@code values} (row-major) into a new tensor of {@code shape}. */
    public static Tensor of(Arena arena, Shape shape, float... values) {
        if (values.length != shape.size()) throw new IllegalArgumentException(
                "values: expected %d for %s, got %d".formatted(shape.size(), shape, values.length));
        Tensor t = zeros(arena, shape);
        MemorySegment.copy(values, 0, t.data, ValueLayout.JAVA_FLOAT, 0, values.length);
        return t;
    }

    /** Copies the data to a new Java array (row-major). */
    public float[] toArray() { return data.toArray(ValueLayout.JAVA_FLOAT); }

    /** Copies {@code src} (same size) into this tensor. */
    public void copyFrom(Tensor src) {
        if (src.size() != size()) throw new IllegalArgumentException(
                "src: expected %d elements for %s, got %s".formatted(size(), shape, src.shape));
        MemorySegment.copy(src.data, 0, data, 0, data.byteSize());
    }

    public long size() { return shape.size(); }

    public int rows() { return shape.rows(); }

    public int cols() { return shape.cols(); }

    public int rank() { return shape.rank(); }

    public float get(long index) { return data.getAtIndex(FLOAT, index); }

    public void set(long index, float value) { data.setAtIndex(FLOAT, index, value); }

    /** Element (row, col) of the tensor seen as rows × cols. */
    public float get(int row, int col) { return get((long) row * cols() + col); }

    public void set(int row, int col, float value) { set((long) row * cols() + col, value); }

    /** The same memory under another shape of the same size: no copy. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != size()) throw new IllegalArgumentException(
                "reshape: expected a shape of %d elements (from %s), got %s".formatted(size(), shape, newShape));
        return new Tensor(newShape, data);
    }

    public Tensor reshape(int... dims) { return reshape(Shape.of(dims)); }

    /** Rows [from, to) along the first axis: a view, no copy. */
    public Tensor rowRange(int from, int to) {
        int first = shape.rank() == 0 ? 1 : shape.dim(0);
        if (from < 0 || to < from || to > first) throw new IllegalArgumentException(
                "rowRange: expected 0 <= from <= to <= %d, got [%d, %d)".formatted(first, from, to));
        long rowBytes = first == 0 ? 0 : data.byteSize() / first;
        return new Tensor(shape.withFirst(to - from), data.asSlice(from * rowBytes, (to - from) * rowBytes));
    }

    /** False once the owning arena is closed. */
    public boolean isAlive() { return data.scope().isAlive(); }

    @Override public String toString() { return "Tensor" + shape; }
}
