package dev.posenc.core;

/**
 * Where a backend's tensors live, and the only door between that memory and the host.
 *
 * <p>Why the backend owns memory: a GPU backend that takes host tensors must copy every input up and every
 * output down on every call (for an LFF step at N = 2¹⁸, about 3 GB over PCIe per step), whatever its kernels
 * do. So the tape's step slab, the parameter store's slabs and the optimiser's state are allocated here, in
 * the memory the kernels compute on, and the host reads values only through {@link #copy} / {@link #toArray}:
 * for the loss, PSNR, checkpoints and images. {@link HostMemory} (the CPU backend's) hands out plain
 * {@code Arena.ofShared()} memory, so for it every method is what the code did before: zero-copy, bit for bit.
 *
 * <p>Every copy that crosses between host and device is counted ({@link #copies()}): the check, in tests on a
 * machine without a GPU (through a counting fake) and in the GPU round, that a training step moves only its
 * loss scalar.
 */
public interface TensorMemory {
    /** True when tensors from this memory live off the host (see {@link Tensor#onDevice()}). */
    boolean device();

    /** A new allocation lifetime, like an {@code Arena}: every tensor from it is freed at its close. */
    Region region();

    /** A lifetime of allocations. Used from one thread at a time; the memory itself may be read by workers. */
    interface Region extends AutoCloseable {
        /** A zero-filled, 64-byte aligned tensor of {@code shape} that lives until {@link #close()}. */
        Tensor zeros(Shape shape);

        /** Frees every tensor allocated from this region. */
        @Override void close();
    }

    /** Sets every element of {@code t} to +0 (a memset; asynchronous on a device). Modifies t. */
    void zero(Tensor t);

    /**
     * dst = src, element for element (same element count, any shapes). Either side may be a host tensor or
     * one of this memory's; a copy that crosses host↔device is counted. Modifies dst.
     */
    void copy(Tensor dst, Tensor src);

    /** Host↔device copies made so far. */
    Copies copies();

    /** The values of {@code t} in a new array: an explicit (counted, when t is on the device) copy to the host. */
    default float[] toArray(Tensor t) {
        if (!t.onDevice()) return t.toArray();
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            Tensor host = Tensor.zeros(arena, t.shape());
            copy(host, t);
            return host.toArray();
        }
    }

    /** {@code t} itself when it is on the host, else a copy of it in {@code arena} (counted): checkpoints, images. */
    default Tensor toHost(java.lang.foreign.Arena arena, Tensor t) {
        if (!t.onDevice()) return t;
        Tensor host = Tensor.zeros(arena, t.shape());
        copy(host, t);
        return host;
    }

    /** Element {@code index} of {@code t}, copied to the host (one float: how a loss scalar is read). */
    default float read(Tensor t, long index) { return toArray(t.view(index, Shape.of(1)))[0]; }

    /**
     * {@code host}'s values in this memory: {@code host} itself for host memory (no copy), else a copy in
     * {@code region} (one upload, e.g. a training set that then stays on the device).
     */
    default Tensor resident(Region region, Tensor host) {
        if (!device()) return host;
        Tensor t = region.zeros(host.shape());
        copy(t, host);
        return t;
    }

    /**
     * Host↔device copy counts and bytes. An immutable snapshot; {@link #minus} gives what happened in between.
     *
     * @param toDevice      copies host → device
     * @param toDeviceBytes bytes they moved
     * @param toHost        copies device → host
     * @param toHostBytes   bytes they moved
     */
    record Copies(long toDevice, long toDeviceBytes, long toHost, long toHostBytes) {
        public static final Copies NONE = new Copies(0, 0, 0, 0);

        public Copies minus(Copies before) {
            return new Copies(toDevice - before.toDevice, toDeviceBytes - before.toDeviceBytes,
                    toHost - before.toHost, toHostBytes - before.toHostBytes);
        }

        public Copies plusToDevice(long bytes) { return new Copies(toDevice + 1, toDeviceBytes + bytes, toHost, toHostBytes); }

        public Copies plusToHost(long bytes) { return new Copies(toDevice, toDeviceBytes, toHost + 1, toHostBytes + bytes); }

        @Override public String toString() {
            return "%d up (%d B), %d down (%d B)".formatted(toDevice, toDeviceBytes, toHost, toHostBytes);
        }
    }
}
