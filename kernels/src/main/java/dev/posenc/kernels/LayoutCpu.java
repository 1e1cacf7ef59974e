package dev.posenc.kernels;

import dev.posenc.core.LayoutKernels;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU's data movement under heads split/merge, patchify, concat and slice: for each run r of a
 * {@link RunLayout}, dst[dstAt(r) + i] = src[srcAt(r) + i] (or += when accumulating, the transpose of a move),
 * i &lt; len. Twin: the host loop of {@link LayoutKernels#copyRuns} (what every backend inherits).
 *
 * <p>Why not the inherited loop: a ViT step moves its heads as 16-float runs (B·H·T = 25,600 per tensor at the
 * train-vit defaults), and the inherited loop pays for every run three long divisions on each side (run index →
 * (i, j, k)) plus a {@code MemorySegment.copy}'s checks, and for every accumulated element a bounds-checked
 * {@code Tensor.get}/{@code set}. Here the (i, j, k) nest walks the offsets by adding strides, a run is moved
 * in vector lanes, and the outer (i, j) pairs are split over the threads. Runs do not overlap in dst (the
 * layout's contract), so each element is written by one run: the split changes no bit, and every element of
 * the result equals the twin's (a copy, or one float addition).
 */
final class LayoutCpu {
    private LayoutCpu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Floats per task below which a move stays on the calling thread (a move is a few cycles per float). */
    static final long MIN_TASK_FLOATS = 1 << 15;

    /** See the class comment. Modifies dst. */
    static void copyRuns(Parallel p, Tensor dst, Tensor src, RunLayout layout, boolean accumulate) {
        LayoutKernels.checkRuns(dst, src, layout);
        int[] n = layout.counts();
        int len = layout.len();
        long outer = (long) n[0] * n[1];
        if (outer == 0 || n[2] == 0 || len == 0) return;
        MemorySegment d = dst.data(), s = src.data();
        long floatsPerOuter = (long) n[2] * len;
        p.forRange(outer, Math.max(1, MIN_TASK_FLOATS / floatsPerOuter),
                (from, to) -> moveOuter(d, s, layout, from, to, accumulate));
    }

    /**
     * The runs of the outer pairs (i, j) = (o / n1, o % n1) for o in [from, to): copied, or added to dst. One walk
     * for both; the choice is made per run, never per element.
     */
    private static void moveOuter(MemorySegment d, MemorySegment s, RunLayout l, long from, long to, boolean accumulate) {
        int n1 = l.counts()[1], n2 = l.counts()[2], len = l.len();
        long[] ds = l.dstStrides(), ss = l.srcStrides();
        for (long o = from; o < to; o++) {
            long i = o / n1, j = o % n1;
            long dAt = (l.dstOffset() + i * ds[0] + j * ds[1]) * Float.BYTES;
            long sAt = (l.srcOffset() + i * ss[0] + j * ss[1]) * Float.BYTES;
            for (int k = 0; k < n2; k++, dAt += ds[2] * Float.BYTES, sAt += ss[2] * Float.BYTES) {
                if (accumulate) addRun(d, dAt, s, sAt, len);
                else copyRun(d, dAt, s, sAt, len);
            }
        }
    }

    /** d[dAt ..] = s[sAt ..] for len floats (byte offsets). */
    private static void copyRun(MemorySegment d, long dAt, MemorySegment s, long sAt, int len) {
        int e = 0;
        for (; e <= len - L; e += L) {
            long off = (long) e * Float.BYTES;
            FloatVector.fromMemorySegment(S, s, sAt + off, NATIVE).intoMemorySegment(d, dAt + off, NATIVE);
        }
        for (; e < len; e++) d.set(F, dAt + (long) e * Float.BYTES, s.get(F, sAt + (long) e * Float.BYTES));
    }

    /** d[dAt ..] += s[sAt ..] for len floats (byte offsets). */
    private static void addRun(MemorySegment d, long dAt, MemorySegment s, long sAt, int len) {
        int e = 0;
        for (; e <= len - L; e += L) {
            long off = (long) e * Float.BYTES;
            FloatVector a = FloatVector.fromMemorySegment(S, d, dAt + off, NATIVE);
            a.add(FloatVector.fromMemorySegment(S, s, sAt + off, NATIVE)).intoMemorySegment(d, dAt + off, NATIVE);
        }
        for (; e < len; e++) {
            long dOff = dAt + (long) e * Float.BYTES;
            d.set(F, dOff, d.get(F, dOff) + s.get(F, sAt + (long) e * Float.BYTES));
        }
    }
}
