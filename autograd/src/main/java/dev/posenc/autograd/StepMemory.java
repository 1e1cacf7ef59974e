package dev.posenc.autograd;

import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A tape's step memory: a bump allocator over one native slab that is handed out again, from offset 0,
 * after each {@link #reset()}.
 *
 * <p>Why: a training loop records the same ops with the same shapes every step, so it asks for the same
 * buffers in the same order. The first step does not know its total, so what does not fit in the slab goes
 * to an overflow arena; {@code reset()} then frees the overflow and the old slab and allocates ONE slab of the
 * largest step seen. From then on a step that allocates no more than that touches no allocator at all:
 * {@link #growths()} stops moving, which is what {@code TapeReuseTest} asserts.
 *
 * <p>Every buffer is 64-byte aligned and zero-filled when handed out ({@link Tape#alloc} promises zeros),
 * except those asked for uninitialised ({@link Tape#allocUninitialized}).
 * After {@code reset()} the previous step's tensors still point into the slab, so reading one gives the
 * new step's data: callers must treat them as dead (the tape's Javadoc says so).
 */
final class StepMemory implements AutoCloseable {
    private Arena slabArena;          // owns slab; replaced when a step outgrows it
    private MemorySegment slab;
    private long used;                // bump offset into slab
    private Arena overflowArena;      // this step's buffers that did not fit; freed by reset()
    private long stepBytes;           // bytes (aligned) asked for in this step, slab and overflow together
    private long largestStep;
    private int growths;

    /** A zero-filled, 64-byte aligned segment of {@code bytes} bytes, valid until the next reset or close. */
    MemorySegment allocate(long bytes) { return take(bytes, true); }

    /**
     * As {@link #allocate}, but the contents are undefined (in a reused slab: the last step's values), for
     * buffers their op overwrites in full: zero-filling them was 3 % of a fit-image step.
     */
    MemorySegment allocateUninitialized(long bytes) { return take(bytes, false); }

    private MemorySegment take(long bytes, boolean zero) {
        long size = alignUp(Math.max(1, bytes));
        stepBytes += size;
        if (slab != null && used + size <= slab.byteSize()) {
            MemorySegment s = slab.asSlice(used, bytes);
            used += size;
            if (zero) s.fill((byte) 0); // reused memory holds the last step's values
            return s;
        }
        if (overflowArena == null) overflowArena = Arena.ofShared(); // shared: kernels run on worker threads
        growths++;
        return overflowArena.allocate(size, Tensor.ALIGNMENT).asSlice(0, bytes); // Arena.allocate zero-fills
    }

    /** Rewinds to offset 0; if this step overflowed, replaces slab and overflow by one slab of the largest step. */
    void reset() {
        largestStep = Math.max(largestStep, stepBytes);
        if (overflowArena != null) {
            overflowArena.close();
            overflowArena = null;
            if (slabArena != null) slabArena.close();
            slabArena = Arena.ofShared();
            slab = slabArena.allocate(largestStep, Tensor.ALIGNMENT);
            growths++;
        }
        used = 0;
        stepBytes = 0;
    }

    /** Bytes (aligned) asked for since the last reset, slab and overflow together. */
    long stepBytes() { return stepBytes; }

    /** Native allocations made so far (overflow buffers and slabs): constant once the loop is warm. */
    int growths() { return growths; }

    /** Bytes held in the slab (not counting this step's overflow). */
    long slabBytes() { return slab == null ? 0 : slab.byteSize(); }

    private static long alignUp(long bytes) {
        return (bytes + Tensor.ALIGNMENT - 1) & -Tensor.ALIGNMENT;
    }

    @Override public void close() {
        if (overflowArena != null) overflowArena.close();
        if (slabArena != null) slabArena.close();
        overflowArena = null;
        slabArena = null;
        slab = null;
    }
}
