package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.DeviceTensor.argOrNull;

import dev.posenc.core.Shape;

/**
 * layernorm.cu: layer norm over rows, forward and backward (γ/β gradients in two passes, no atomics). Twin:
 * LayerNormCpu.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class LayerNormCuda {
    private final CudaContext cx;
    private final DeviceBuffers buffers;

    LayerNormCuda(CudaContext cx, DeviceBuffers buffers) {
        this.cx = cx;
        this.buffers = buffers;
    }

    void layerNorm(DeviceTensor out, DeviceTensor mean, DeviceTensor rstd, DeviceTensor in, DeviceTensor gamma,
                   DeviceTensor beta, float eps) {
        if (in.rows() == 0) return;
        cx.launch("layernorm_forward", LaunchConfig.perRow(in.rows()), out.arg(), mean.arg(), rstd.arg(), in.arg(),
                gamma.arg(), beta.arg(), i(in.cols()), f(eps));
    }

    void layerNormBackward(DeviceTensor dIn, DeviceTensor dGamma, DeviceTensor dBeta, DeviceTensor dOut,
                           DeviceTensor in, DeviceTensor mean, DeviceTensor rstd, DeviceTensor gamma) {
        int r = in.rows(), c = in.cols();
        if (r == 0) return;
        if (dIn != null) cx.launch("layernorm_backward_dx", LaunchConfig.perRow(r), dIn.arg(), dOut.arg(), in.arg(),
                mean.arg(), rstd.arg(), gamma.arg(), i(c));
        if (dGamma == null && dBeta == null) return;
        LaunchConfig pass1 = LaunchConfig.columnChunks(r, c);
        int chunks = pass1.gridY();
        DeviceTensor part = buffers.allocate(Shape.of(2 * chunks, c));   // γ then β partials per row chunk
        cx.launch("layernorm_backward_params", pass1, part.arg(), dOut.arg(), in.arg(), mean.arg(), rstd.arg(), i(r),
                i(c), i(LaunchConfig.rowsPerChunk(r)));
        cx.launch("layernorm_params_finish", LaunchConfig.perElement(c), argOrNull(dGamma), argOrNull(dBeta),
                part.arg(), i(chunks), i(c));
        buffers.release(part);
    }
}
