package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * loss.cu: MSE and cross-entropy with their gradients; the *To forms keep the loss in device memory. Twin: LossCpu.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class LossCuda {
    private final CudaContext cx;
    private final DeviceBuffers buffers;

    LossCuda(CudaContext cx, DeviceBuffers buffers) {
        this.cx = cx;
        this.buffers = buffers;
    }

    double mse(DeviceTensor pred, DeviceTensor target) {
        return buffers.doubleResult("mse_sum", LaunchConfig.gridStride(pred.size()), pred.arg(), target.arg(), l(pred.size()))
                / pred.size();
    }

    void mseBackward(DeviceTensor dPred, DeviceTensor pred, DeviceTensor target, float dLoss) {
        float coef = (float) (2.0 * dLoss / pred.size());
        cx.launch("mse_backward", LaunchConfig.gridStride(pred.size()), dPred.arg(), pred.arg(), target.arg(), f(coef),
                l(pred.size()));
    }

    double crossEntropy(DeviceTensor logits, CUdeviceptr labels) {
        if (logits.rows() == 0) return Double.NaN;   // torch: the mean of nothing
        return buffers.doubleResult("cross_entropy_rows", LaunchConfig.perRow(logits.rows()), logits.arg(), Pointer.to(labels),
                i(logits.cols())) / logits.rows();
    }

    void crossEntropyBackward(DeviceTensor dLogits, DeviceTensor logits, CUdeviceptr labels, float dLoss) {
        if (logits.rows() == 0) return;
        cx.launch("cross_entropy_backward", LaunchConfig.perRow(logits.rows()), dLogits.arg(), logits.arg(),
                Pointer.to(labels), i(logits.cols()), f(dLoss / logits.rows()));
    }

    /** loss[0] = (float) mse(pred, target), computed and kept on the device. */
    void mseTo(DeviceTensor loss, DeviceTensor pred, DeviceTensor target) {
        buffers.meanInto(loss, pred.size(), "mse_sum", LaunchConfig.gridStride(pred.size()), pred.arg(), target.arg(),
                l(pred.size()));
    }

    /** dPred += (float) (2·dLoss[0]/n)·(pred − target), dLoss read on the device. */
    void mseBackward(DeviceTensor dPred, DeviceTensor pred, DeviceTensor target, DeviceTensor dLoss) {
        cx.launch("mse_backward_dloss", LaunchConfig.gridStride(pred.size()), dPred.arg(), pred.arg(), target.arg(),
                dLoss.arg(), l(pred.size()));
    }

    /** loss[0] = (float) crossEntropy(logits, labels), computed and kept on the device. */
    void crossEntropyTo(DeviceTensor loss, DeviceTensor logits, CUdeviceptr labels) {
        if (logits.rows() == 0) return;
        buffers.meanInto(loss, logits.rows(), "cross_entropy_rows", LaunchConfig.perRow(logits.rows()), logits.arg(),
                Pointer.to(labels), i(logits.cols()));
    }

    /** dLogits += (dLoss[0]/R)·(softmax − onehot), dLoss read on the device. */
    void crossEntropyBackward(DeviceTensor dLogits, DeviceTensor logits, CUdeviceptr labels, DeviceTensor dLoss) {
        if (logits.rows() == 0) return;
        cx.launch("cross_entropy_backward_dloss", LaunchConfig.perRow(logits.rows()), dLogits.arg(), logits.arg(),
                Pointer.to(labels), i(logits.cols()), dLoss.arg(), i(logits.rows()));
    }
}
