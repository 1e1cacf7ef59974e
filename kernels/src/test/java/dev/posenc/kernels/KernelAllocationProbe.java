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
    /** Most time an exercise may take over its rounds (batch norm's backward compiled only after 2.4 s once). */
    static final long MAX_MILLIS = Long.getLong("maxMillis", 8000);
    /** Exercises to leave out (-Dskip=name|name), such as known allocators whose figure would not be used. */
    static final List<String> SKIP = List.of(System.getProperty("skip", "").split("\\|"));
    /** Below this many bytes per call an exercise needs no further round. */
    static final long SMALL_BYTES = 4096;

    public static void main(String[] args) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // one thread: the caller runs every task, so the caller's allocation counter sees all of it
        try (Arena arena = Arena.ofShared(); CpuBackend be = new CpuBackend(1)) {
            for (var family : KernelCompileProbe.families(be, arena).entrySet()) {
                if (args.length > 0 && !List.of(args).contains(family.getKey())) continue;
                for (KernelCompileProbe.Exercise e : family.getValue()) {
                    if (SKIP.contains(e.name())) continue;
                    // On a loaded machine C2 may not have compiled a kernel after the warm-up, and the interpreter
                    // allocates for every vector op: so measure again after more warm-up, keep the least, and stop
                    // early once it is small. Boxing in compiled code stays through every round.
                    long least = Long.MAX_VALUE, stop = System.nanoTime() + MAX_MILLIS * 1_000_000;
                    for (int round = 0; least > SMALL_BYTES && System.nanoTime() < stop; round++) {
                        long end = System.nanoTime() + (round == 0 ? WARM_MILLIS : WARM_MILLIS / 2) * 1_000_000;
                        while (System.nanoTime() < end) e.body().run();
                        long before = threads.getCurrentThreadAllocatedBytes();
                        for (int i = 0; i < MEASURED_CALLS; i++) e.body().run();
                        least = Math.min(least, (threads.getCurrentThreadAllocatedBytes() - before) / MEASURED_CALLS);
                    }
                    System.out.println("alloc: " + family.getKey() + ": " + e.name() + ": " + least);
                }
            }
        }
    }
}
