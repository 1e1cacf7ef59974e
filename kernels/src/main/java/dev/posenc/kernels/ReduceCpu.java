package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class ReduceCpu {
    private ReduceCpu() {}

    public static void sumRows(Parallel p, Tensor out, Tensor in, float scale, boolean accumulate) {
        throw new UnsupportedOperationException("ReduceCpu: not implemented yet");
    }

    public static void sumCols(Parallel p, Tensor out, Tensor in, float scale, boolean accumulate) {
        throw new UnsupportedOperationException("ReduceCpu: not implemented yet");
    }

    public static double sum(Parallel p, Tensor in) {
        throw new UnsupportedOperationException("ReduceCpu: not implemented yet");
    }

    public static boolean allFinite(Parallel p, Tensor in) {
        throw new UnsupportedOperationException("ReduceCpu: not implemented yet");
    }
}
