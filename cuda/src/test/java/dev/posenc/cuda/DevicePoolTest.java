package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pool's bookkeeping against a fake allocator that counts, so no GPU is needed. */
class DevicePoolTest {
    /** Hands out increasing ids and remembers which are live. */
    static final class Fake implements DevicePool.Allocator<Long> {
        long next, allocations;
        final Set<Long> live = new HashSet<>();

        @Override public Long allocate(long bytes) {
            allocations++;
            live.add(next);
            return next++;
        }

        @Override public void free(Long block) {
            if (!live.remove(block)) throw new IllegalStateException("double free of " + block);
        }
    }

    @Test
    void sizeClassesArePowersOfTwoFrom256() {
        assertEquals(256, DevicePool.sizeClass(0));
        assertEquals(256, DevicePool.sizeClass(256));
        assertEquals(512, DevicePool.sizeClass(257));
        assertEquals(1L << 20, DevicePool.sizeClass((1L << 20) - 3));
        assertThrows(IllegalArgumentException.class, () -> DevicePool.sizeClass(-1));
    }

    @Test
    void noDriverAllocationAfterTheFirstStep() {
        Fake fake = new Fake();
        try (DevicePool<Long> pool = new DevicePool<>(fake)) {
            long[] sizes = {4 * 301 * 37, 4 * 37, 8, 4 * 301 * 37, 4096};   // one "step": same sizes every time
            for (int step = 0; step < 5; step++) {
                List<DevicePool.Block<Long>> held = new ArrayList<>();
                for (long s : sizes) held.add(pool.acquire(s));
                held.forEach(pool::release);
                if (step == 0) assertEquals(sizes.length, pool.driverAllocations());
            }
            assertEquals(sizes.length, pool.driverAllocations(), "allocations after warm-up");
            assertEquals(sizes.length, fake.allocations);
        }
        assertEquals(Set.of(), fake.live, "close frees every block");
    }

    @Test
    void blocksInUseAreNeverHandedOutTwice() {
        try (DevicePool<Long> pool = new DevicePool<>(new Fake())) {
            var a = pool.acquire(1000);
            var b = pool.acquire(1000);
            assertNotEquals(a.handle(), b.handle());
            pool.release(a);
            assertEquals(a.handle(), pool.acquire(900).handle());   // same class (1024): reused
            assertEquals(1024, a.bytes());
        }
    }
}
