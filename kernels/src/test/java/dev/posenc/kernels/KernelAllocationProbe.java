package dev.posenc.kernels;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Runs {@link KernelCompileProbe}'s exercises on one thread until C2 has compiled them, then prints the bytes each
 * call allocates on the heap, for {@link KernelAllocationTest}. A vector that C2 cannot keep in registers (one
 * handed to a call it did not inline, or merged across branches) is boxed on every pass of its loop and, worse,
 * the op on it runs the Vector API's Java fallback: this is how that shows without timing anything.
 */
public final class KernelAllocationProbe {
    private KernelAllocationProbe() {}

    /** How long each exercise runs before it is measured (-DwarmMillis): long enough for C2 to compile it. */
    static final long WARM_MILLIS = Long.getLong("warmMillis", 1200);
    static final int MEASURED_CALLS = 200;

    public static void main(String[] args) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // one thread: the caller runs every task, so the caller's allocation counter sees all of it
        try (Arena arena = Arena.ofShared(); CpuBackend be = new CpuBackend(1)) {
            for (var family : KernelCompileProbe.families(be, arena).entrySet()) {
                if (args.length > 0 && !List.of(args).contains(family.getKey())) continue;
                for (KernelCompileProbe.Exercise e : family.getValue()) {
                    long end = System.nanoTime() + WARM_MILLIS * 1_000_000;
                    while (System.nanoTime() < end) e.body().run();
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < MEASURED_CALLS; i++) e.body().run();
                    long bytes = threads.getCurrentThreadAllocatedBytes() - before;
                    System.out.println("alloc: " + family.getKey() + ": " + e.name() + ": " + bytes / MEASURED_CALLS);
                }
            }
        }
    }
}
