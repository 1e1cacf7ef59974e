package dev.posenc.kernels;

import static dev.posenc.kernels.MatmulMicrokernel.KC;
import static dev.posenc.kernels.MatmulMicrokernel.L;
import static dev.posenc.kernels.MatmulMicrokernel.MR;
import static dev.posenc.kernels.MatmulMicrokernel.S;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A product's A operand scaled element by element as {@link MatmulBlocked} packs it: the packed value is
 * <pre>
 *   A′(i, k) = fma(A(i, k), s(i, k), 0),   s = [mask &gt; 0] (relu) or s = mask
 * </pre>
 * with {@code mask} laid out as the stored A. That is an activation's backward, dz = dy ⊙ [y &gt; 0] (BiasReluCpu)
 * or dh = dy ⊙ GELU′ (LinearGeluCpu), with the same roundings: a layer's backward products read dy and the mask
 * where they would have read dz, and dz is never written (a write and two reads of an (N, Out) tensor less).
 *
 * <p>The k-major (TN) pack can also sum each packed column over its KC block, rows in order from zero, into
 * {@code sums[(sumsBase + k/KC)·m + i]}: with KC = BiasReluCpu's block of rows, those are the block partials of the
 * bias gradient, the same bits as BiasReluCpu.backward's. A column's block partial may be stored more than once
 * (neighbouring tiles overlap by a vector's spare lanes, or A is packed again per column group): each store is
 * the same value.
 *
 * @param mask     the mask, (rows, cols) like the stored A
 * @param relu     s = [mask &gt; 0] when true, else s = mask
 * @param sums     block partials of the k-major pack, or null for none
 * @param sumsBase the block index of the pack's k = 0 (a k slice's first row / KC)
 */
record MatmulMaskedA(MemorySegment mask, boolean relu, float[] sums, int sumsBase) {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder BO = ByteOrder.nativeOrder();

    /** The same scaling over rows [k0, k0 + rows) of a (rows, cols) operand and its mask: a k slice's view. */
    MatmulMaskedA slice(long firstElement, long elements, int blockOffset) {
        return new MatmulMaskedA(mask.asSlice(firstElement * Float.BYTES, elements * Float.BYTES), relu, sums,
                sumsBase + blockOffset);
    }

    /** fma(a, s, 0) for one element: the twin of the lanes below. */
    float scale(float a, float m) {
        return Math.fma(a, relu ? (m > 0 ? 1f : 0f) : m, 0f);
    }

    /**
     * Row-major pack (NN, NT): ap[aOff + r·KC + kk] = A′(i + r, kFirst + kk) for r &lt; rows, kk &lt; kcLen, a (·, lda);
     * rows past {@code rows} up to MR are zero.
     */
    void packRows(float[] ap, int aOff, MemorySegment a, int lda, int i, int rows, long kFirst, int kcLen) {
        int end = S.loopBound(kcLen);
        for (int r = 0; r < rows; r++) {
            long base = (long) (i + r) * lda + kFirst;
            int o = aOff + r * KC;
            if (relu) reluRun(ap, o, a, base, end);
            else scaleRun(ap, o, a, base, end);
            for (int kk = end; kk < kcLen; kk++) ap[o + kk] = scale(a.getAtIndex(F, base + kk), mask.getAtIndex(F, base + kk));
        }
        for (int r = rows; r < MR; r++) Arrays.fill(ap, aOff + r * KC, aOff + r * KC + kcLen, 0f);
    }

    /** ap[o + kk] = fma(a[base + kk], [mask[base + kk] &gt; 0], 0) for kk &lt; end (whole vectors). */
    private void reluRun(float[] ap, int o, MemorySegment a, long base, int end) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        MemorySegment m = mask;
        for (int kk = 0; kk < end; kk += L) {
            long off = (base + kk) * Float.BYTES;
            FloatVector s = zero.blend(one, FloatVector.fromMemorySegment(S, m, off, BO).compare(VectorOperators.GT, 0f));
            FloatVector.fromMemorySegment(S, a, off, BO).fma(s, zero).intoArray(ap, o + kk);
        }
    }

    /** ap[o + kk] = fma(a[base + kk], mask[base + kk], 0) for kk &lt; end (whole vectors). */
    private void scaleRun(float[] ap, int o, MemorySegment a, long base, int end) {
        FloatVector zero = FloatVector.zero(S);
        MemorySegment m = mask;
        for (int kk = 0; kk < end; kk += L) {
            long off = (base + kk) * Float.BYTES;
            FloatVector.fromMemorySegment(S, a, off, BO).fma(FloatVector.fromMemorySegment(S, m, off, BO), zero)
                    .intoArray(ap, o + kk);
        }
    }

    /**
     * k-major pack (TN, a (k, m)): ap[aOff + kk·MR + r] = A′(kFirst + kk, i + r) for kk &lt; kcLen, r &lt; rows, zero
     * for rows ≤ r &lt; MR; with {@link #sums}, the column sums of the block (see the class comment). kFirst is a
     * multiple of KC. A full tile copies a vector per k, as MatmulBlocked.copyKMajorRuns does (same slack).
     */
    void packKMajor(float[] ap, int aOff, MemorySegment a, int m, int i, int rows, long kFirst, int kcLen) {
        int so = sums == null ? -1 : (sumsBase + (int) (kFirst / KC)) * m + i;
        if (rows == MR && i + L <= m) {
            long src = (kFirst * m + i) * Float.BYTES, stride = (long) m * Float.BYTES;
            FloatVector sum = relu ? reluKMajor(ap, aOff, a, src, stride, kcLen) : scaleKMajor(ap, aOff, a, src, stride, kcLen);
            if (so >= 0) sum.intoArray(sums, so);       // i + L ≤ m: the spare lanes are the next columns' sums
            return;
        }
        if (so >= 0) Arrays.fill(sums, so, so + rows, 0f);
        for (int kk = 0; kk < kcLen; kk++) {
            long src = (kFirst + kk) * m + i;
            int o = aOff + kk * MR;
            for (int r = 0; r < rows; r++) {
                float v = scale(a.getAtIndex(F, src + r), mask.getAtIndex(F, src + r));
                ap[o + r] = v;
                if (so >= 0) sums[so + r] += v;
            }
            for (int r = rows; r < MR; r++) ap[o + r] = 0f;
        }
    }

    /** The full k-major tile with s = [mask &gt; 0]: a vector per k into ap, and their sum (from zero, k in order). */
    private FloatVector reluKMajor(float[] ap, int aOff, MemorySegment a, long src, long stride, int kcLen) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S), sum = zero;
        MemorySegment m = mask;
        for (int kk = 0; kk < kcLen; kk++) {
            long off = src + kk * stride;
            FloatVector s = zero.blend(one, FloatVector.fromMemorySegment(S, m, off, BO).compare(VectorOperators.GT, 0f));
            FloatVector v = FloatVector.fromMemorySegment(S, a, off, BO).fma(s, zero);
            v.intoArray(ap, aOff + kk * MR);
            sum = sum.add(v);
        }
        return sum;
    }

    /** {@link #reluKMajor} with s = mask. */
    private FloatVector scaleKMajor(float[] ap, int aOff, MemorySegment a, long src, long stride, int kcLen) {
        FloatVector zero = FloatVector.zero(S), sum = zero;
        MemorySegment m = mask;
        for (int kk = 0; kk < kcLen; kk++) {
            long off = src + kk * stride;
            FloatVector v = FloatVector.fromMemorySegment(S, a, off, BO).fma(FloatVector.fromMemorySegment(S, m, off, BO), zero);
            v.intoArray(ap, aOff + kk * MR);
            sum = sum.add(v);
        }
        return sum;
    }
}
