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
 *
 * <p><b>Where the memory is.</b> Memory belongs to the backend that computes on it ({@link Backend#memory()}):
 * host memory for the CPU backend, device memory for the CUDA one. A device tensor ({@code onDevice}) carries a
 * zero-length segment whose {@link #address()} is the device pointer: the host cannot dereference it. Every
 * host access ({@link #get}, {@link #set}, {@link #toArray}, {@link #copyFrom}, {@link #data()}) throws
 * {@link IllegalStateException} naming the tensor, and even a segment that escaped has no bytes to read, so a
 * stray host read of device memory is an exception, never a crash or a silent wrong value. Reading device
 * values is an explicit, counted copy through {@link TensorMemory}.
 */
public record Tensor(Shape shape, MemorySegment data, boolean onDevice) {
    /** Native buffers are 64-byte aligned: one AVX-512 register, one cache line. */
    public static final long ALIGNMENT = 64;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public Tensor {
        if (onDevice) {
            if (data.byteSize() != 0) throw new IllegalArgumentException(
                    "data: a device tensor carries a zero-length segment (its address is the device pointer), got %d bytes"
                            .formatted(data.byteSize()));
        } else if (data.byteSize() != shape.size() * Float.BYTES) throw new IllegalArgumentException(
                "data: expected %d bytes for %s, got %d".formatted(shape.size() * Float.BYTES, shape, data.byteSize()));
    }

    /** A host tensor over {@code data}: the form every CPU-side caller uses. */
    public Tensor(Shape shape, MemorySegment data) { this(shape, data, false); }

    /** A device tensor at device address {@code address} (a backend's memory makes these; nothing else should). */
    public static Tensor onDevice(Shape shape, long address) {
        return new Tensor(shape, MemorySegment.ofAddress(address), true);
    }

    /** The host memory. Throws for a device tensor: copy it with {@link TensorMemory#toArray} first. */
    @Override public MemorySegment data() {
        if (onDevice) throw hostAccess("data()");
        return data;
    }

    /** The first element's address: a device pointer for a device tensor, a host address otherwise. */
    public long address() { return data.address(); }

    private IllegalStateException hostAccess(String what) {
        return new IllegalStateException(("%s: %s lives in device memory; read it with an explicit copy "
                + "(backend.memory().toArray / copy), never from the host").formatted(what, this));
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
    public float[] toArray() {
        if (onDevice) throw hostAccess("toArray()");
        return data.toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Copies {@code src} (same size) into this tensor. */
    public void copyFrom(Tensor src) {
        if (onDevice || src.onDevice) throw hostAccess("copyFrom()");
        if (src.size() != size()) throw new IllegalArgumentException(
                "src: expected %d elements for %s, got %s".formatted(size(), shape, src.shape));
        MemorySegment.copy(src.data, 0, data, 0, data.byteSize());
    }

    public long size() { return shape.size(); }

    public int rows() { return shape.rows(); }

    public int cols() { return shape.cols(); }

    public int rank() { return shape.rank(); }

    public float get(long index) {
        if (onDevice) throw hostAccess("get()");
        return data.getAtIndex(FLOAT, index);
    }

    public void set(long index, float value) {
        if (onDevice) throw hostAccess("set()");
        data.setAtIndex(FLOAT, index, value);
    }

    /** Element (row, col) of the tensor seen as rows × cols. */
    public float get(int row, int col) { return get((long) row * cols() + col); }

    public void set(int row, int col, float value) { set((long) row * cols() + col, value); }

    /** The same memory under another shape of the same size: no copy. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != size()) throw new IllegalArgumentException(
                "reshape: expected a shape of %d elements (from %s), got %s".formatted(size(), shape, newShape));
        return new Tensor(newShape, data, onDevice);
    }

    public Tensor reshape(int... dims) { return reshape(Shape.of(dims)); }

    /** Rows [from, to) along the first axis: a view, no copy. */
    public Tensor rowRange(int from, int to) {
        int first = shape.rank() == 0 ? 1 : shape.dim(0);
        if (from < 0 || to < from || to > first) throw new IllegalArgumentException(
                "rowRange: expected 0 <= from <= to <= %d, got [%d, %d)".formatted(first, from, to));
        long rowFloats = first == 0 ? 0 : size() / first;
        return view(from * rowFloats, shape.withFirst(to - from));
    }

    /**
     * Elements [offset, offset + shape.size()) under {@code shape}: a view, no copy, on the host or the device
     * (how a backend carves one slab into many tensors).
     */
    public Tensor view(long offset, Shape shape) {
        if (offset < 0 || offset + shape.size() > size()) throw new IllegalArgumentException(
                "view: expected [%d, %d + %d) within the %d elements of %s".formatted(offset, offset, shape.size(),
                        size(), this.shape));
        return onDevice ? onDevice(shape, data.address() + offset * Float.BYTES)
                : new Tensor(shape, data.asSlice(offset * Float.BYTES, shape.size() * Float.BYTES));
    }

    /** False once the owning arena is closed. */
    public boolean isAlive() { return data.scope().isAlive(); }

    @Override public String toString() { return (onDevice ? "DeviceTensor" : "Tensor") + shape; }
}
