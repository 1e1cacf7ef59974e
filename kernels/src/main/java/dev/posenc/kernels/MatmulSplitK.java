package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.KC;
import static dev.posenc.kernels.MatmulMicrokernel.L;
import static dev.posenc.kernels.MatmulMicrokernel.S;

import dev.posenc.core.MatmulForm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;

/**
 * The TN product with a long k and a small output, split over k: out (m×n) = Σ_s A_sᵀ·B_s, where slice s takes
 * the rows [k_s, k_{s+1}) of the stored a (k×m) and b (k×n), both contiguous. This is the weight gradient of a
 * training step (k = the batch's 16,384 rows, a 256 × 256 output): split by rows and columns, its output has too
 * few tiles to keep two threads busy with their own packs (1.3–1.5× on 2 threads against 1.8× for NN), and every
 * column group packed A's 16 MiB again.
 *
 * <p>Each slice runs the blocked product on one thread into its own partial (m×n) buffer; the partials are then
 * added element by element in slice order, out = ((P_0 + P_1) + P_2) + …, and added to out when accumulating.
 * The slice bounds and the order of the sums depend on (m, n, k) alone, never on the thread count, so 1 and 2
 * threads give the same bits. Twin: {@link MatmulCpu#matmulScalar} (summed in a different order, so compared with
 * a tolerance).
 */
final class MatmulSplitK {
    private MatmulSplitK() {}

    /** Depth of a slice at least: 8 KC blocks, so that each slice's packing and C traffic stay a small share. */
    static final int SLICE_DEPTH = 2048;
    /** Outputs of at most this many floats split (256 × 512): their partials stay small (16 slices: 8 MiB). */
    static final long MAX_OUT = 1L << 17;
    /** At most this many slices: deeper products get deeper slices. */
    static final int MAX_SLICES = 16;

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /**
     * The number of k slices for a product of this form and shape: 1 (no split) unless TN with m·n ≤ MAX_OUT and
     * k ≥ 2·SLICE_DEPTH; an even number otherwise, so that two threads get equal shares.
     */
    static int slices(MatmulForm form, int m, int n, int k) {
        if (form != MatmulForm.TN || (long) m * n > MAX_OUT || k < 2 * SLICE_DEPTH) return 1;
        int s = Math.min(MAX_SLICES, k / SLICE_DEPTH);
        return s + (s & 1);
    }

    /** Start of slice s of {@code slices} over [0, k): a multiple of KC, so every slice but the last has whole blocks. */
    static int bound(int s, int slices, int k) {
        return s == slices ? k : (int) ((long) k * s / slices / KC * KC);
    }

    /**
     * out = aᵀ·b (or += when {@code accumulate}), a (k×m), b (k×n), out (m×n), each starting {@code ·First} floats
     * into its segment, over {@code slices} k slices; the slices run on p's threads when {@code split}. Modifies out
     * only.
     */
    static void multiply(Parallel p, boolean split, MemorySegment out, long outFirst, MemorySegment a, long aFirst,
                         MemorySegment b, long bFirst, boolean accumulate, int m, int n, int k, int slices) {
        long size = (long) m * n;
        MemorySegment partials = p.workspace().partials(slices * size);
        // Slices read a and b in place from their first rows (no segment slice per slice).
        IntConsumer body = s -> {
            int k0 = bound(s, slices, k), k1 = bound(s + 1, slices, k);
            long aRows = aFirst + (long) k0 * m, bRows = bFirst + (long) k0 * n;
            if (m <= NARROW_M) narrowSlice(partials, s * size, a, aRows, b, bRows, m, n, k1 - k0);
            else MatmulBlocked.multiplySlice(p, partials, s * size, a, aRows, b, bRows, m, n, k1 - k0);
        };
        if (split && p.threads() > 1) p.forEach(slices, body);
        else for (int s = 0; s < slices; s++) body.accept(s);
        // The sum over slices, in slice order per element, cut into ranges of whole vectors.
        long vectors = (size + L - 1) / L;
        if (split && p.threads() > 1) {
            p.forRange(vectors, 4096, (from, to) -> reduce(out, outFirst, partials, size, slices, accumulate, from * L,
                    Math.min(size, to * L)));
        } else {
            reduce(out, outFirst, partials, size, slices, accumulate, 0, size);
        }
    }

    /**
     * Outputs of at most this many rows (a layer with ≤ 4 outputs: the image MLP's RGB layer, m = 3) take
     * {@link #narrowSlice}: the blocked product pads them to a 14-row tile and copies B's whole slice into its pack,
     * 3.5 ms of CPU per fit-image step for 0.03 GFLOP.
     */
    static final int NARROW_M = 4;

    /**
     * part (m×n) = aᵀ·b for a slice, m ≤ {@link #NARROW_M}: a (k×m), b (k×n) read where they lie (part, a and b
     * starting pFirst, aFirst and bFirst floats into their segments), no packing; per
     * element one FMA chain over k ascending, part[j, c] = fma(a[r, j], b[r, c], ·) from zero. Columns in strips of
     * two vectors, each strip's 4 × 2 accumulators in registers (rows j ≥ m multiply zeros and are not stored); the
     * last n mod 2L columns by the scalar twin of the same chain (Math.fma: the vector fma's bits lane by lane).
     */
    static void narrowSlice(MemorySegment part, long pFirst, MemorySegment a, long aFirst, MemorySegment b, long bFirst,
                            int m, int n, int k) {
        int c = 0;
        for (; c + 2 * L <= n; c += 2 * L) {
            FloatVector z = FloatVector.zero(S);
            FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
            for (int r = 0; r < k; r++) {
                long bo = (bFirst + (long) r * n + c) * Float.BYTES, ao = aFirst + (long) r * m;
                FloatVector b0 = FloatVector.fromMemorySegment(S, b, bo, BO);
                FloatVector b1 = FloatVector.fromMemorySegment(S, b, bo + (long) L * Float.BYTES, BO);
                FloatVector x0 = FloatVector.broadcast(S, a.getAtIndex(F, ao));
                FloatVector x1 = FloatVector.broadcast(S, m > 1 ? a.getAtIndex(F, ao + 1) : 0f);
                FloatVector x2 = FloatVector.broadcast(S, m > 2 ? a.getAtIndex(F, ao + 2) : 0f);
                FloatVector x3 = FloatVector.broadcast(S, m > 3 ? a.getAtIndex(F, ao + 3) : 0f);
                c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
                c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
                c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
                c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            }
            storeStrip(part, pFirst, 0, n, c, c00, c01);
            if (m > 1) storeStrip(part, pFirst, 1, n, c, c10, c11);
            if (m > 2) storeStrip(part, pFirst, 2, n, c, c20, c21);
            if (m > 3) storeStrip(part, pFirst, 3, n, c, c30, c31);
        }
        for (; c < n; c++) {
            for (int j = 0; j < m; j++) {
                float sum = 0f;
                for (int r = 0; r < k; r++) {
                    sum = Math.fma(a.getAtIndex(F, aFirst + (long) r * m + j),
                            b.getAtIndex(F, bFirst + (long) r * n + c),
                            sum);
                }
                part.setAtIndex(F, pFirst + (long) j * n + c, sum);
            }
        }
    }

    /** part[j, c .. c + 2L) = [v0 ‖ v1], part starting pFirst floats in. */
    private static void storeStrip(MemorySegment part, long pFirst, int j, int n, int c, FloatVector v0,
                                   FloatVector v1) {
        long o = (pFirst + (long) j * n + c) * Float.BYTES;
        v0.intoMemorySegment(part, o, BO);
        v1.intoMemorySegment(part, o + (long) L * Float.BYTES, BO);
    }

    /** out[i] (+)= ((P_0[i] + P_1[i]) + …) + P_{slices−1}[i] for i in [from, to), out starting outFirst floats in. */
    static void reduce(MemorySegment out, long outFirst, MemorySegment partials, long size, int slices,
                       boolean accumulate, long from, long to) {
        long stride = size * Float.BYTES, i = from, shift = outFirst * Float.BYTES;
        for (; i + L <= to; i += L) {
            long o = i * Float.BYTES;
            FloatVector sum = FloatVector.fromMemorySegment(S, partials, o, BO);
            for (int s = 1; s < slices; s++) sum = sum.add(FloatVector.fromMemorySegment(S, partials, s * stride + o, BO));
            if (accumulate) sum = FloatVector.fromMemorySegment(S, out, shift + o, BO).add(sum);
            sum.intoMemorySegment(out, shift + o, BO);
        }
        for (; i < to; i++) {
            long o = i * Float.BYTES;
            float sum = partials.get(F, o);
            for (int s = 1; s < slices; s++) sum += partials.get(F, s * stride + o);
            out.set(F, shift + o, accumulate ? out.get(F, shift + o) + sum : sum);
        }
    }
}
