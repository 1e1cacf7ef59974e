package dev.posenc.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Host memory, the CPU backend's {@link TensorMemory}: a region is an {@code Arena.ofShared()} (shared: the
 * kernels run on worker threads), zero is a fill, copy is {@code MemorySegment.copy}. Nothing ever crosses to a
 * device, so {@link #copies()} stays {@link Copies#NONE}. Stateless: one instance serves every caller.
 */
public final class HostMemory implements TensorMemory {
    public static final HostMemory INSTANCE = new HostMemory();

    private HostMemory() {}

    @Override public boolean device() { return false; }

    @Override public Region region() {
        Arena arena = Arena.ofShared();
        return new Region() {
            @Override public Tensor zeros(Shape shape) { return Tensor.zeros(arena, shape); }

            @Override public void close() { arena.close(); }
        };
    }

    @Override public void zero(Tensor t) { t.data().fill((byte) 0); }

    @Override public void copy(Tensor dst, Tensor src) {
        if (dst.size() != src.size()) throw new IllegalArgumentException(
                "copy: src: expected %d elements (dst %s), got %s".formatted(dst.size(), dst.shape(), src.shape()));
        MemorySegment.copy(src.data(), 0, dst.data(), 0, dst.size() * Float.BYTES);
    }

    @Override public Copies copies() { return Copies.NONE; }
}
