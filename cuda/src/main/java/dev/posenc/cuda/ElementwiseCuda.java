package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;

import dev.posenc.core.UnaryOp;

/**
 * elementwise.cu: element-wise maps, activations and their derivatives. Twins: ElementwiseCpu, ActivationCpu.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class ElementwiseCuda {
    private final CudaContext cx;

    ElementwiseCuda(CudaContext cx) {
        this.cx = cx;
    }

    /** The ACT_* code of posenc.cuh: explicit numbers, so reordering the Java enum cannot shift them. */
    static int activationCode(UnaryOp op) {
        return switch (op) {
            case EXP -> 1;
            case LOG -> 2;
            case TANH -> 3;
            case SIGMOID -> 4;
            case RELU -> 5;
            case GELU_ERF -> 6;
            case GELU_TANH -> 7;
            case SIN -> 8;
            case COS -> 9;
        };
    }

    void binary(String kernel, DeviceTensor out, DeviceTensor a, DeviceTensor b) {
        cx.launch(kernel, LaunchConfig.gridStride(out.size()), out.arg(), a.arg(), b.arg(), l(out.size()));
    }

    void addRowBroadcast(DeviceTensor out, DeviceTensor a, DeviceTensor row) {
        cx.launch("ew_add_row_broadcast", LaunchConfig.gridStride(out.size()), out.arg(), a.arg(), row.arg(),
                l(out.size()), i(Math.toIntExact(row.size())));
    }

    void scale(DeviceTensor out, DeviceTensor a, float s) {
        cx.launch("ew_scale", LaunchConfig.gridStride(out.size()), out.arg(), a.arg(), f(s), l(out.size()));
    }

    void axpy(DeviceTensor y, float alpha, DeviceTensor x) {
        cx.launch("ew_axpy", LaunchConfig.gridStride(y.size()), y.arg(), f(alpha), x.arg(), l(y.size()));
    }

    void fill(DeviceTensor out, float v) {
        cx.launch("ew_fill", LaunchConfig.gridStride(out.size()), out.arg(), f(v), l(out.size()));
    }

    void unary(UnaryOp op, DeviceTensor out, DeviceTensor in) {
        cx.launch("ew_unary", LaunchConfig.gridStride(out.size()), out.arg(), in.arg(), i(activationCode(op)),
                l(out.size()));
    }

    void unaryBackward(UnaryOp op, DeviceTensor dIn, DeviceTensor dOut, DeviceTensor in, DeviceTensor out) {
        cx.launch("ew_unary_backward", LaunchConfig.gridStride(dIn.size()), dIn.arg(), dOut.arg(), in.arg(), out.arg(),
                i(activationCode(op)), l(dIn.size()));
    }
}
