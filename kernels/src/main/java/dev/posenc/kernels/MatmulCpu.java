package dev.posenc.kernels;

import dev.posenc.core.*;

/** Placeholder: to be written. */
public final class MatmulCpu {
    private MatmulCpu() {}

    public static void matmul(Parallel p, Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        throw new UnsupportedOperationException("MatmulCpu: not implemented yet");
    }

    public static void matmulScalar(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        throw new UnsupportedOperationException("MatmulCpu: not implemented yet");
    }

    public static void batchedMatmul(Parallel p, Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        throw new UnsupportedOperationException("MatmulCpu: not implemented yet");
    }

    public static void batchedMatmulScalar(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        throw new UnsupportedOperationException("MatmulCpu: not implemented yet");
    }
}
