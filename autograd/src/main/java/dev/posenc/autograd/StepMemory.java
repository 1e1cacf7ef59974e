package dev.posenc.autograd;

import dev.posenc.core.Tensor;

import dev.posenc.core.Shape;
import dev.posenc.core.TensorMemory;

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
 * <p>The slab and the overflow come from the backend's {@link TensorMemory}: host memory (an
 * {@code Arena.ofShared()}, as before) for the CPU backend, device memory for the CUDA one, so a step's
 * activations never leave the device.
 *
 * <p>Every buffer is 64-byte aligned and zero-filled when handed out ({@link Tape#alloc} promises zeros).
 * After {@code reset()} the previous step's tensors still point into the slab, so reading one gives the
 * new step's data: callers must treat them as dead (the tape's Javadoc says so).
 */
final class StepMemory implements AutoCloseable {
    private final TensorMemory memory; // the backend's: host (CPU) or device (CUDA)
    private TensorMemory.Region slabRegion;     // owns slab; replaced when a step outgrows it
    private Tensor slab;              // flat, slabFloats elements
    private long used;                // bump offset into slab, in floats
    private TensorMemory.Region overflowRegion; // this step's buffers that did not fit; freed by reset()
    private long stepBytes;           // bytes (aligned) asked for in this step, slab and overflow together
    private long largestStep;
    private int growths;

    StepMemory(TensorMemory memory) { this.memory = memory; }

    /** A zero-filled, 64-byte aligned tensor of {@code shape}, valid until the next reset or close. */
    Tensor allocate(Shape shape) {
        long size = alignUp(Math.max(1, shape.size() * Float.BYTES));
        stepBytes += size;
        if (slab != null && (used * Float.BYTES) + size <= slab.size() * Float.BYTES) {
            Tensor t = slab.view(used, shape);
            used += size / Float.BYTES;
            memory.zero(t);             // reused memory holds the last step's values
            return t;
        }
        if (overflowRegion == null) overflowRegion = memory.region();
        growths++;
        // the aligned size, as the slab will hold it (and as before: the host allocator then reuses the block)
        return overflowRegion.zeros(Shape.of(Math.toIntExact(size / Float.BYTES))).view(0, shape);   // zero-filled
    }

    /** Rewinds to offset 0; if this step overflowed, replaces slab and overflow by one slab of the largest step. */
    void reset() {
        largestStep = Math.max(largestStep, stepBytes);
        if (overflowRegion != null) {
            overflowRegion.close();
            overflowRegion = null;
            if (slabRegion != null) slabRegion.close();
            slabRegion = memory.region();
            slab = slabRegion.zeros(Shape.of(Math.toIntExact(largestStep / Float.BYTES)));
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
    long slabBytes() { return slab == null ? 0 : slab.size() * Float.BYTES; }

    private static long alignUp(long bytes) {
        return (bytes + Tensor.ALIGNMENT - 1) & -Tensor.ALIGNMENT;
    }

    @Override public void close() {
        if (overflowRegion != null) overflowRegion.close();
        if (slabRegion != null) slabRegion.close();
        overflowRegion = null;
        slabRegion = null;
        slab = null;
    }
}
