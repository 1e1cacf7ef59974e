package dev.posenc.models.analysis.ntk;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;

/**
 * The points a kernel is computed on: N points x_j = j/N of [0, 1) (1-D), or an n × n grid with point
 * r·n + c at (c/n, r/n), the layout of fit-image's pixels (2-D). {@link #row} and {@link #centre} pick the
 * points along which a kernel row is drawn against x − x′.
 */
public record Grid(int dims, int side) {
    public Grid {
        if (dims != 1 && dims != 2) throw new IllegalArgumentException("grid: dims: expected 1 or 2, got " + dims);
        if (side < 2) throw new IllegalArgumentException("grid: side: expected at least 2, got " + side);
    }

    /** N points in all. */
    public int points() { return dims == 1 ? side : side * side; }

    /** Positions (N, dims) in a new tensor of {@code arena}. */
    public Tensor positions(Arena arena) {
        Tensor x = Tensor.zeros(arena, Shape.of(points(), dims));
        for (int p = 0; p < points(); p++) {
            x.set(p, 0, (float) (p % side) / side);
            if (dims == 2) x.set(p, 1, (float) (p / side) / side);
        }
        return x;
    }

    /** The first coordinate of every point, as doubles. */
    public double[] firstCoordinates() {
        double[] x = new double[points()];
        for (int p = 0; p < points(); p++) x[p] = (double) (p % side) / side;
        return x;
    }

    /** The point in the middle of the domain: x = ½ (1-D), the grid's centre (2-D). */
    public int centre() { return dims == 1 ? side / 2 : side / 2 * side + side / 2; }

    /** Index of the point in the centre's grid row at column c (1-D: point c). */
    public int row(int c) { return dims == 1 ? c : side / 2 * side + c; }
}
