package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;


/**
 * softmax.cu: softmax and log-softmax over rows, forward and backward. Twin: SoftmaxCpu.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class SoftmaxCuda {
    private final CudaContext cx;

    SoftmaxCuda(CudaContext cx) {
        this.cx = cx;
    }

    void rowKernel(String kernel, DeviceTensor a, DeviceTensor b, DeviceTensor c3) {
        int rows = a.rows(), cols = a.cols();
        if (rows == 0) return;   // perRow(0) would still launch one block over an empty tensor
        if (c3 == null) cx.launch(kernel, LaunchConfig.perRow(rows), a.arg(), b.arg(), i(cols));
        else cx.launch(kernel, LaunchConfig.perRow(rows), a.arg(), b.arg(), c3.arg(), i(cols));
    }
}
