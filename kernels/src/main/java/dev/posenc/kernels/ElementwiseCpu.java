package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class ElementwiseCpu {
    private ElementwiseCpu() {}

    public static void add(Parallel p, Tensor out, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("ElementwiseCpu: not implemented yet");
    }

    public static void sub(Parallel p, Tensor out, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("ElementwiseCpu: not implemented yet");
    }

    public static void mul(Parallel p, Tensor out, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("ElementwiseCpu: not implemented yet");
    }

    public static void addRowBroadcast(Parallel p, Tensor out, Tensor a, Tensor row) {
        throw new UnsupportedOperationException("ElementwiseCpu: not implemented yet");
    }

    public static void scale(Parallel p, Tensor out, Tensor a, float s) {
        throw new UnsupportedOperationException("ElementwiseCpu: not implemented yet");
    }

    public static void axpy(Parallel p, Tensor y, float alpha, Tensor x) {
        throw new UnsupportedOperationException("ElementwiseCpu: not implemented yet");
    }

    public static void fill(Parallel p, Tensor out, float value) {
        throw new UnsupportedOperationException("ElementwiseCpu: not implemented yet");
    }
}
