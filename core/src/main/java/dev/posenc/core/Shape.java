package dev.posenc.core;

import java.util.Arrays;

/**
 * The dimensions of a row-major tensor. Immutable; sizes are {@code long} products of {@code int} dims.
 * A 2-D shape (rows, cols) is the common case: most kernels read {@link #rows()} and {@link #cols()}.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) throw new IllegalArgumentException(
                    "shape: expected non-negative dimensions, got " + Arrays.toString(dims));
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public int rank() { return dims.length; }

    public int dim(int axis) { return dims[axis < 0 ? dims.length + axis : axis]; }

    public int[] dims() { return dims.clone(); }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (int d : dims) n = Math.multiplyExact(n, d);
        return n;
    }

    /** All leading dimensions folded together: a (B, T, C) tensor has B·T rows of C. */
    public int rows() {
        if (dims.length == 0) return 1;
        return Math.toIntExact(size() / Math.max(1, dims[dims.length - 1]));
    }

    /** The last dimension, the contiguous one. */
    public int cols() { return dims.length == 0 ? 1 : dims[dims.length - 1]; }

    /** The same dimensions with the first one replaced, for row-range views. */
    public Shape withFirst(int first) {
        int[] d = dims.clone();
        d[0] = first;
        return new Shape(d);
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    /** Written as PyTorch writes sizes, e.g. {@code (5, 3)}. */
    @Override public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) b.append(i == 0 ? "" : ", ").append(dims[i]);
        return b.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
