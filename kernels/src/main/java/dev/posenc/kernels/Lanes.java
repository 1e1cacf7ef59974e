package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes in one fixed order (a halving tree), the same in the interpreter, C1 and C2.
 *
 * <p>Why not {@code reduceLanes(VectorOperators.ADD)}: its order is unspecified, and it differs in practice
 * between the Java fallback (before C2 compiles a kernel) and C2's reduction: on 16 lanes the sums of 4,096 random
 * vectors hash differently under {@code -Xint} and C2. Every kernel that sums lanes once per row (norms, softmax,
 * losses, attention) goes through here, so a run gives the same bits whenever the JIT compiled what.
 * Cost: log₂ L shifts and adds, as a library reduction; no allocation once inlined.
 */
public final class Lanes {
    private Lanes() {}

    /**
     * Σ lanes of v as a fixed tree: lane i + lane i + L/2, then the same on the lower half, down to lane 0. Every
     * step is a lane-wise add of v and v shifted down by a constant (slice), so every tier pairs the same lanes.
     */
    public static float sum(FloatVector v) {
        // Written out, not looped: a loop carries v through a phi, and C2-only compilation (the launcher's
        // -XX:-TieredCompilation) then boxed it on every pass in several kernels (session 8, KernelAllocationTest).
        // LENGTH is a constant, so C2 folds the tests; every tier takes the same steps in the same order.
        if (LENGTH >= 16) v = v.add(v.slice(8));
        if (LENGTH >= 8) v = v.add(v.slice(4));
        if (LENGTH >= 4) v = v.add(v.slice(2));
        if (LENGTH >= 2) v = v.add(v.slice(1));
        return v.lane(0);
    }

    /**
     * {@link #sum}'s tree over the L floats stored at byte offset {@code from} of {@code lanes}: the same bits.
     * For kernels too big for C2 to inline {@code sum(FloatVector)} (its NodeCountInliningCutoff): a vector handed
     * to a call that is not inlined is boxed, and the callee then runs the Vector API's Java fallback, allocating
     * per call. A 3×3 depthwise weight gradient's nine sums did that (bench/RESULTS.md, session 8); storing the
     * accumulators (an intrinsic) and folding them here in scalar code leaves no vector crossing a call.
     * Overwrites the L floats.
     */
    public static float sum(MemorySegment lanes, long from) {
        for (int half = LENGTH / 2; half >= 1; half /= 2)
            for (int i = 0; i < half; i++) {
                long at = from + (long) i * Float.BYTES;
                lanes.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, lanes.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at)
                        + lanes.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at + (long) half * Float.BYTES));
            }
        return lanes.get(ValueLayout.JAVA_FLOAT_UNALIGNED, from);
    }

    /**
     * This thread's {@link #SCRATCH_FLOATS} floats for accumulators kept in memory, e.g. L for a fold by
     * {@link #sum(float[], int)} (fetched once per task, not per row: a ThreadLocal lookup): a kernel stores its
     * accumulator there
     * ({@code acc.intoArray(scratch, 0)}) so that no vector is handed to a call. For loops around {@link Exp#exp}
     * (softmax, log-softmax, cross-entropy, attention) and layer norm's backward, where C2-only compilation did not always inline
     * sum(FloatVector): the vector was then boxed on every pass and the loop ran the Vector API's Java fallback, a
     * ViT step's garbage at over 1 GB/s in some processes (bench/RESULTS.md, session 9). Contents undefined.
     */
    public static float[] scratch() { return SCRATCH.get(); }

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[Lanes.SCRATCH_FLOATS]);

    /**
     * {@link #sum(MemorySegment, long)} over the L floats of {@code lanes} from index {@code from}: the same tree,
     * the same bits, for kernels that keep their stored accumulators in a Java array. May overwrite the L floats.
     */
    public static float sum(float[] lanes, int from) {
        if (LENGTH == 16) return sum16(lanes, from);
        for (int half = LENGTH / 2; half >= 1; half /= 2)
            for (int i = 0; i < half; i++) lanes[from + i] += lanes[from + i + half];
        return lanes[from];
    }

    /**
     * The 16-lane tree in locals: the same additions in the same pairs as the loop (lane i + lane i + 8, then
     * + 4, + 2, + 1), without storing each level back (the loop's store-to-load chain made softmax's forward at
     * ViT shapes up to a third slower than with the vector fold, session 9). Leaves the array as it was.
     */
    private static float sum16(float[] a, int f) {
        float b0 = a[f] + a[f + 8], b1 = a[f + 1] + a[f + 9], b2 = a[f + 2] + a[f + 10];
        float b3 = a[f + 3] + a[f + 11], b4 = a[f + 4] + a[f + 12], b5 = a[f + 5] + a[f + 13];
        float b6 = a[f + 6] + a[f + 14], b7 = a[f + 7] + a[f + 15];
        float c0 = b0 + b4, c1 = b1 + b5, c2 = b2 + b6, c3 = b3 + b7;
        float d0 = c0 + c2, d1 = c1 + c3;
        return d0 + d1;
    }

    /**
     * The sums of L rows at once: lane r of the result = {@link #sum} of block[r·L … r·L + L), bit for bit (the same
     * tree: each level adds lane i and lane i + half of every row). Each level merges two rows' partials into one
     * vector (a blend and a two-vector rearrange), so L rows cost L − 1 merges instead of L·log₂L slices and L lane
     * extractions: the weight gradient's per-bin sums ({@link ToeplitzCpu#crossLanes}) were 17 % of kernel-rpe's
     * one-thread time at n = 65536 (async-profiler, bench/RESULTS.md). Overwrites block (L × L floats).
     */
    public static FloatVector sums(float[] block) {
        int rows = LENGTH, level = 0;
        for (int half = LENGTH / 2; half >= 1; half /= 2, level++) {
            for (int t = 0; t < rows / 2; t++) {
                FloatVector a = FloatVector.fromArray(S, block, 2 * t * LENGTH), b = FloatVector.fromArray(S, block, (2 * t + 1) * LENGTH);
                a.blend(b, UPPER[level]).add(a.rearrange(SHIFT[level], b)).intoArray(block, t * LENGTH);
            }
            rows /= 2;
        }
        // level ℓ put row bit ℓ into lane bit L/2^(ℓ+1): row r's sum sits at lane bitreverse(r)
        return FloatVector.fromArray(S, block, 0).rearrange(BITREV);
    }

    private static final jdk.incubator.vector.VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LENGTH = S.length();
    /** Four vectors: ReduceCpu's column sums keep four vectors of columns in the scratch. */
    static final int SCRATCH_FLOATS = 4 * LENGTH;
    private static final int LEVELS = Integer.numberOfTrailingZeros(LENGTH);
    /** Level ℓ (half = L/2^(ℓ+1)): lanes with (i mod 2·half) ≥ half take the second row's partials. */
    @SuppressWarnings("unchecked")
    private static final jdk.incubator.vector.VectorMask<Float>[] UPPER = new jdk.incubator.vector.VectorMask[LEVELS];
    /** Level ℓ: lane i reads lane i + half of the first row, or lane i − half of the second (index ≥ L: the second). */
    @SuppressWarnings("unchecked")
    private static final jdk.incubator.vector.VectorShuffle<Float>[] SHIFT = new jdk.incubator.vector.VectorShuffle[LEVELS];
    private static final jdk.incubator.vector.VectorShuffle<Float> BITREV =
            jdk.incubator.vector.VectorShuffle.fromOp(S, i -> Integer.reverse(i) >>> (32 - LEVELS));

    static {
        // sum(FloatVector) writes its tree out for up to 16 lanes (512-bit floats, the widest SIMD there is)
        if (LENGTH > 16) throw new ExceptionInInitializerError("Lanes: " + LENGTH + " float lanes, at most 16 handled");
        for (int level = 0, half = LENGTH / 2; half >= 1; half /= 2, level++) {
            int h = half;
            boolean[] upper = new boolean[LENGTH];
            for (int i = 0; i < LENGTH; i++) upper[i] = i % (2 * h) >= h;
            UPPER[level] = jdk.incubator.vector.VectorMask.fromArray(S, upper, 0);
            SHIFT[level] = jdk.incubator.vector.VectorShuffle.fromOp(S, i -> i % (2 * h) < h ? i + h : i - h + LENGTH);
        }
    }
}
