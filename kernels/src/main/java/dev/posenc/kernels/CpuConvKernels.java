package dev.posenc.kernels;

import dev.posenc.core.ConvGeometry;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Tensor;

/**
 * The CPU backend's {@link ConvKernels}: each method delegates to its family's class ({@link ConvCpu},
 * {@link DepthwiseCpu}, {@link PoolCpu}, {@link BatchNormCpu}), where the vector kernel and its scalar twin sit
 * side by side. Owns the convolution's per-thread im2col buffers; closed by its {@link CpuBackend}.
 */
final class CpuConvKernels implements ConvKernels, AutoCloseable {
    private final Parallel parallel;
    private final ConvCpu.Scratch scratch = new ConvCpu.Scratch();

    CpuConvKernels(Parallel parallel) { this.parallel = parallel; }

    @Override public void conv2d(Tensor out, Tensor x, Tensor w, ConvGeometry g) {
        ConvCpu.forward(parallel, scratch, out, x, w, g);
    }

    @Override public void conv2dBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, ConvGeometry g) {
        ConvCpu.backward(parallel, scratch, dx, dw, dOut, x, w, g);
    }

    @Override public void depthwiseConv2d(Tensor out, Tensor x, Tensor w, ConvGeometry g) {
        DepthwiseCpu.forward(parallel, scratch, out, x, w, g);
    }

    @Override public void depthwiseConv2dBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, ConvGeometry g) {
        DepthwiseCpu.backward(parallel, scratch, dx, dw, dOut, x, w, g);
    }

    @Override public void avgPool2d(Tensor out, Tensor x, ConvGeometry g) { PoolCpu.avgForward(parallel, scratch, out, x, g); }

    @Override public void avgPool2dBackward(Tensor dx, Tensor dOut, ConvGeometry g) { PoolCpu.avgBackward(parallel, scratch, dx, dOut, g); }

    @Override public void maxPool2d(Tensor out, Tensor x, ConvGeometry g) { PoolCpu.maxForward(parallel, scratch, out, x, g); }

    @Override public void maxPool2dBackward(Tensor dx, Tensor dOut, Tensor x, ConvGeometry g) {
        PoolCpu.maxBackward(parallel, scratch, dx, dOut, x, g);
    }

    @Override public void maxPool2dWithArgmax(Tensor out, Tensor arg, Tensor x, ConvGeometry g) {
        PoolCpu.maxForwardArgmax(parallel, out, arg, x, g);
    }

    @Override public void maxPool2dBackwardArgmax(Tensor dx, Tensor dOut, Tensor arg, ConvGeometry g) {
        PoolCpu.maxBackwardArgmax(parallel, dx, dOut, arg, g);
    }

    @Override public void batchNorm2d(Tensor out, Tensor mean, Tensor rstd, Tensor x, float eps) {
        BatchNormCpu.forward(parallel, out, mean, rstd, x, eps);
    }

    @Override public void batchNorm2dBackward(Tensor dx, Tensor dOut, Tensor out, Tensor rstd) {
        BatchNormCpu.backward(parallel, dx, dOut, out, rstd);
    }

    @Override public void close() { scratch.close(); }
}
