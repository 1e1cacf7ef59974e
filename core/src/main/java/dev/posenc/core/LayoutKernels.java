package dev.posenc.core;

import java.lang.foreign.MemorySegment;

/**
 * Data movement: the one kernel under the ops that only move numbers (heads, patchify, concat, slice). A
 * default, host loops over the tensors' memory, so the CPU backend needs no code of its own (these ops read
 * and write each element once: memory-bound anyway); a device backend overrides it with its kernel
 * (layout.cu on CUDA), so these ops never force device values through the host.
 */
public interface LayoutKernels {
    /**
     * For each run r of {@code layout}: dst[dstAt(r) + i] = src[srcAt(r) + i], or += with {@code accumulate}
     * (the backward of a move is the move transposed, adding). Runs must not overlap in dst. Modifies dst.
     */
    default void copyRuns(Tensor dst, Tensor src, RunLayout layout, boolean accumulate) {
        checkRuns(dst, src, layout);
        long runs = layout.runs();
        int len = layout.len();
        if (!accumulate) {
            long bytes = (long) len * Float.BYTES;
            MemorySegment d = dst.data(), s = src.data();
            for (long r = 0; r < runs; r++) MemorySegment.copy(s, layout.srcAt(r) * Float.BYTES, d,
                    layout.dstAt(r) * Float.BYTES, bytes);
            return;
        }
        for (long r = 0; r < runs; r++) {
            long d = layout.dstAt(r), s = layout.srcAt(r);
            for (int i = 0; i < len; i++) dst.set(d + i, dst.get(d + i) + src.get(s + i));
        }
    }

    /** Both sides hold every element the layout touches. Messages are formatted only on failure (once per op call). */
    static void checkRuns(Tensor dst, Tensor src, RunLayout layout) {
        if (layout.extent(true) > dst.size()) {
            Shapes.require(false, "copyRuns", "dst", "at least %d elements".formatted(layout.extent(true)),
                    dst.shape());
        }
        if (layout.extent(false) > src.size()) {
            Shapes.require(false, "copyRuns", "src", "at least %d elements".formatted(layout.extent(false)),
                    src.shape());
        }
    }
}
