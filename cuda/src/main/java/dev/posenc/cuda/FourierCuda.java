package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;

import dev.posenc.core.Shape;

/**
 * fourier.cu: Fourier features [cos xWᵀ ‖ sin xWᵀ]·scale and their gradients. Twin: FourierCpu.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class FourierCuda {
    private final CudaContext cx;
    private final DeviceBuffers buffers;

    FourierCuda(CudaContext cx, DeviceBuffers buffers) {
        this.cx = cx;
        this.buffers = buffers;
    }

    /** The kernels keep x's row in a register array of {@link LaunchConfig#MAX_M}: a larger M would overrun it. */
    private static void checkM(int m) {
        if (m < 1 || m > LaunchConfig.MAX_M) throw new IllegalArgumentException(
                "fourier: x: expected 1..%d coordinates (M) on the GPU, got %d".formatted(LaunchConfig.MAX_M, m));
    }

    void fourierForward(DeviceTensor out, DeviceTensor x, DeviceTensor w, float scale) {
        int n = x.rows(), m = x.cols(), k = w.rows();
        checkM(m);
        cx.launch("fourier_forward", LaunchConfig.perElement((long) n * k), out.arg(), x.arg(), w.arg(), i(n), i(m),
                i(k), f(scale));
    }

    void fourierBackward(DeviceTensor dx, DeviceTensor dw, DeviceTensor dOut, DeviceTensor x, DeviceTensor w,
                         float scale) {
        int n = x.rows(), m = x.cols(), k = w.rows();
        checkM(m);
        if (dx != null) cx.launch("fourier_backward_dx", LaunchConfig.warpPerRow(n), dx.arg(), dOut.arg(), x.arg(),
                w.arg(), i(n), i(m), i(k), f(scale));
        LaunchConfig pass1 = LaunchConfig.fourierDw(n, k);
        int chunks = pass1.gridY();
        DeviceTensor part = buffers.allocate(Shape.of(chunks, k * m));   // one dw partial per row chunk: no atomics
        cx.launch("fourier_backward_dw", pass1, part.arg(), dOut.arg(), x.arg(), w.arg(), i(n), i(m), i(k), f(scale),
                i(LaunchConfig.rowsPerChunk(n)));
        cx.launch("fourier_backward_dw_finish", LaunchConfig.perElement((long) k * m), dw.arg(), part.arg(), i(chunks),
                i(k * m));
        buffers.release(part);
    }
}
