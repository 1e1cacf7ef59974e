package dev.posenc.kernels;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Where a float[]'s elements lie against 64-byte cache lines, so that the matrix product's packs can start on a
 * line: a 16-float vector read from a line boundary touches one line, from anywhere else two. A float[]'s data
 * start 16 bytes past its header, and G1 places a large (humongous) array at the start of a region, so the 1024³
 * product's B pack (4 MiB) had every B vector split across two lines; packed from the aligned start instead, the
 * product ran about 2 % faster, in the same code with only the offset changed and against the jar before
 * (bench/RESULTS.md, "matrix product alignment"); where B fits in L2 (the training shapes) nothing changes.
 *
 * <p>Java gives no heap array's address short of Unsafe. A critical downcall may take a heap segment, and C's memset
 * returns its first argument, so {@code memset(&a[0], 0, 0)} writes nothing and returns {@code &a[0]} as native code
 * saw it. The answer holds until the GC moves the array (G1 does not move humongous arrays, and moves old ones
 * seldom); a stale answer costs speed, never bits: callers choose only where in their own buffer a pack begins.
 */
final class ArrayAlignment {
    private ArrayAlignment() {}

    /** Floats per 64-byte line: a buffer asked for n floats from its aligned start needs n + LINE_FLOATS. */
    static final int LINE_FLOATS = 64 / Float.BYTES;

    /** memset(void*, int, size_t) → void*, allowed to take heap segments; null where it cannot be linked. */
    private static final MethodHandle MEMSET = memset();

    private static MethodHandle memset() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("memset").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.critical(true))).orElse(null);
        } catch (RuntimeException e) {                   // native access denied, or no linker on this platform
            return null;
        }
    }

    /** True where addresses can be read (memset linked, native access allowed); else every start is 0. */
    static boolean readable() { return MEMSET != null; }

    /**
     * The first index s in [0, LINE_FLOATS) at which {@code a[s]} starts a 64-byte line, or 0 where the address
     * cannot be read (then the packs start where they always did).
     */
    static int alignedStart(float[] a) {
        if (MEMSET == null || a.length == 0) return 0;
        try {
            long address = ((MemorySegment) MEMSET.invokeExact(MemorySegment.ofArray(a), 0, 0L)).address();
            return (int) (-address & 63) / Float.BYTES;
        } catch (Throwable e) {
            return 0;
        }
    }
}
