package dev.posenc.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A caching allocator for device memory: sizes are rounded up to a size class (a power of two from 256 bytes),
 * and a released block goes to its class's free list instead of back to the driver. A training step asks for
 * the same sizes every time, so after the first step no {@code cuMemAlloc} happens ({@link #driverAllocations}
 * stops growing; tested in DevicePoolTest). Memory returns to the driver only at {@link #close}.
 *
 * <p>Generic over the block type so that the bookkeeping is tested on a machine without a GPU; the backend
 * uses it with JCuda's {@code CUdeviceptr}. Not thread-safe: one backend drives one stream from one thread.
 *
 * @param <B> a device block handle
 */
final class DevicePool<B> implements AutoCloseable {
    /** What actually allocates: the driver, or a fake in tests. */
    interface Allocator<B> {
        B allocate(long bytes);

        void free(B block);
    }

    /** A block lent out, with the size class it came from. */
    record Block<B>(B handle, long bytes) {}

    static final long MIN_CLASS = 256;

    private final Allocator<B> allocator;
    private final Map<Long, ArrayDeque<B>> free = new HashMap<>();
    private final List<Block<B>> all = new ArrayList<>();
    private long driverAllocations, bytesReserved;

    DevicePool(Allocator<B> allocator) { this.allocator = allocator; }

    /** The size class for a request: the next power of two, at least {@link #MIN_CLASS}. */
    static long sizeClass(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("bytes: expected >= 0, got " + bytes);
        if (bytes <= MIN_CLASS) return MIN_CLASS;
        long c = Long.highestOneBit(bytes);
        return c == bytes ? c : Math.multiplyExact(c, 2);
    }

    /** A block of at least {@code bytes}, from the free list when one is there. Its contents are undefined. */
    Block<B> acquire(long bytes) {
        long c = sizeClass(bytes);
        ArrayDeque<B> list = free.get(c);
        if (list != null && !list.isEmpty()) return new Block<>(list.pop(), c);
        B handle = allocator.allocate(c);
        driverAllocations++;
        bytesReserved += c;
        Block<B> block = new Block<>(handle, c);
        all.add(block);
        return block;
    }

    /** Returns a block to its free list. */
    void release(Block<B> block) { free.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block.handle()); }

    /** How many times the driver was asked for memory. */
    long driverAllocations() { return driverAllocations; }

    /** Bytes held from the driver (in use or cached). */
    long bytesReserved() { return bytesReserved; }

    /** Frees every block, lent or cached. */
    @Override public void close() {
        for (Block<B> b : all) allocator.free(b.handle());
        all.clear();
        free.clear();
        bytesReserved = 0;
    }
}
