package dev.posenc.cuda;

import jcuda.Pointer;

/**
 * Launch maths for toeplitz.cu on device-resident tensors; shapes are checked by {@link CudaBackend}.
 * Argument order: outputs, inputs, sizes, as in the .cu and in {@link dev.posenc.kernels.ToeplitzCpu}.
 */
final class ToeplitzCuda {
    private final CudaContext cx;

    ToeplitzCuda(CudaContext cx) { this.cx = cx; }

    private static Pointer i(int v) { return Pointer.to(new int[] {v}); }

    /** out (heads, n, c) = T·x, overwritten. */
    void multiply(DeviceTensor out, DeviceTensor w, DeviceTensor x, int heads, int n, int c) {
        cx.launch("toeplitz_multiply_direct", LaunchConfig.gridStride((long) heads * n * c), out.arg(), w.arg(), x.arg(),
                i(heads), i(n), i(c));
    }

    /** dw (heads, 2n − 1) += the weight gradient. */
    void weightGradAccumulate(DeviceTensor dw, DeviceTensor dOut, DeviceTensor x, int heads, int n, int c) {
        cx.launch("toeplitz_weight_grad_direct", new LaunchConfig(2 * n - 1, heads, 1, LaunchConfig.BLOCK, 1, 1, 0),
                dw.arg(), dOut.arg(), x.arg(), i(heads), i(n), i(c));
    }
}
