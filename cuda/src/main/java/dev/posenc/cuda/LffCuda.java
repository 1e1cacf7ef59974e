package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;


/**
 * lff.cu: the fused LFF encoder (Fourier features, Linear, GELU, Linear) in one kernel. Twin: the unfused chain.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class LffCuda {
    private final CudaContext cx;

    LffCuda(CudaContext cx) {
        this.cx = cx;
    }

    /** out (N, D) = LFF encoder of x (N, M); weights as lff.cu's header. */
    void lffEncode(DeviceTensor out, DeviceTensor x, DeviceTensor wr, DeviceTensor w1, DeviceTensor b1,
                   DeviceTensor w2, DeviceTensor b2) {
        int n = x.rows(), m = x.cols(), f2 = wr.rows(), h = w1.rows(), d = w2.rows();
        LaunchConfig c = LaunchConfig.lff(n, m, 2 * f2, h, d);
        cx.launch("lff_encode_h" + h, c, out.arg(), x.arg(), wr.arg(), w1.arg(), b1.arg(), w2.arg(), b2.arg(), i(n),
                i(m), i(f2), i(d), f((float) (1 / Math.sqrt(2.0 * f2))));
    }
}
