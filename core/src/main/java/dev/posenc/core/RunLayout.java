package dev.posenc.core;

/**
 * Where the runs of a data-movement op sit: run r = (i·n1 + j)·n2 + k (i &lt; n0, j &lt; n1, k &lt; n2) is
 * {@code len} contiguous floats starting at element dOff + i·d0 + j·d1 + k·d2 of the destination and
 * sOff + i·s0 + j·s1 + k·s2 of the source. Heads split/merge, patchify, concat and slice are each one layout (their files say which),
 * so one kernel ({@link LayoutKernels#copyRuns}) moves them on every backend.
 *
 * @param counts     (n0, n1, n2), each ≥ 0
 * @param dstOffset  dOff, elements
 * @param dstStrides (d0, d1, d2) in elements
 * @param srcOffset  sOff, elements
 * @param srcStrides (s0, s1, s2) in elements
 * @param len        floats per run, ≥ 0
 */
public record RunLayout(int[] counts, long dstOffset, long[] dstStrides, long srcOffset, long[] srcStrides, int len) {
    public RunLayout {
        if (counts.length != 3 || dstStrides.length != 3 || srcStrides.length != 3) throw new IllegalArgumentException(
                "layout: expected 3 counts and 3 + 3 strides, got %d, %d, %d".formatted(counts.length, dstStrides.length,
                        srcStrides.length));
        for (int c : counts) if (c < 0) throw new IllegalArgumentException("layout: counts: expected >= 0, got " + c);
        if (dstOffset < 0 || srcOffset < 0) throw new IllegalArgumentException(
                "layout: offsets: expected >= 0, got %d, %d".formatted(dstOffset, srcOffset));
        if (len < 0) throw new IllegalArgumentException("layout: len: expected >= 0, got " + len);
        counts = counts.clone();
        dstStrides = dstStrides.clone();
        srcStrides = srcStrides.clone();
    }

    /** Runs in all: n0·n1·n2. */
    public long runs() { return (long) counts[0] * counts[1] * counts[2]; }

    /** The same runs with source and destination swapped: how a move's gradient goes back. */
    public RunLayout transposed() { return new RunLayout(counts, srcOffset, srcStrides, dstOffset, dstStrides, len); }

    /** Element offset of run r in the destination. */
    public long dstAt(long r) { return dstOffset + at(r, dstStrides); }

    /** Element offset of run r in the source. */
    public long srcAt(long r) { return srcOffset + at(r, srcStrides); }

    private long at(long r, long[] s) {
        long k = r % counts[2], j = (r / counts[2]) % counts[1], i = r / ((long) counts[2] * counts[1]);
        return i * s[0] + j * s[1] + k * s[2];
    }

    /** The largest element any run touches, plus one, on the destination (dst = true) or source side. */
    public long extent(boolean dst) {
        if (runs() == 0 || len == 0) return 0;
        long[] s = dst ? dstStrides : srcStrides;
        return (dst ? dstOffset : srcOffset) + (counts[0] - 1L) * s[0] + (counts[1] - 1L) * s[1] + (counts[2] - 1L) * s[2] + len;
    }
}
