package dev.posenc.kernels;

import static dev.posenc.kernels.ElementwiseCpu.NATIVE;
import static dev.posenc.kernels.ElementwiseCpu.S;
import static dev.posenc.kernels.ElementwiseCpu.load;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/**
 * The bias and ReLU of an MLP's hidden layer in one pass over the activations: z (R, C) is the layer's
 * product x·Wᵀ, b (C) its bias,
 * <pre>
 *   y[r, c] = max(z[r, c] + b[c], 0)        (y may be z: in place)
 * </pre>
 * The same roundings as the unfused route (addRowBroadcast, then relu), so the same bits; what goes is one
 * read and one write of z. Threads split the rows. Twin: {@link #forwardScalar}.
 *
 * <p>The backward (dz = dy ⊙ [y &gt; 0], db += Σ_rows dz) stays the two kernels it was (the overwriting relu
 * backward, then sumRows: {@code BiasReluKernels}' default). A one-pass version had to split the columns over the
 * threads to keep each column's sum in row order (thread-count independence), and its strided reads and writes
 * cost more than the second pass they saved: 12 ms of CPU per gaussian fit-image step against 8.6 ms for the two
 * kernels (async-profiler, 2026-12-05, loaded machine).
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

    // ---- scalar twins: the formulas, written once ---------------------------------------------------------

    /** Columns [c0, c1) of the row starting at element {@code base}. */
    static void forwardScalar(MemorySegment y, MemorySegment z, MemorySegment b, long base, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            y.setAtIndex(F, base + c, Math.max(z.getAtIndex(F, base + c) + b.getAtIndex(F, c), 0f));
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

    private static void check(String op, Tensor y, Tensor z, Tensor b) {
        if (z.rank() < 1 || b.size() != z.cols()) {
            Shapes.require(false, op, "b", "%d elements (z is %s)".formatted(z.rank() < 1 ? 0 : z.cols(), z.shape()),
                    b.shape());
        }
        Shapes.same(op, "out", z, y);
    }
}
