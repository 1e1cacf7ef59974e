package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;

import dev.posenc.core.AdamConfig;

/**
 * adam.cu: the fused Adam update over one flat slab. Twin: AdamCpu.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class AdamCuda {
    private final CudaContext cx;

    AdamCuda(CudaContext cx) {
        this.cx = cx;
    }

    void adamStep(DeviceTensor param, DeviceTensor grad, DeviceTensor m, DeviceTensor v, AdamConfig c, int step) {
        float bc1 = (float) (1 - Math.pow(c.beta1(), step)), bc2 = (float) (1 - Math.pow(c.beta2(), step));
        cx.launch("adam_step", LaunchConfig.gridStride(param.size()), param.arg(), grad.arg(), m.arg(), v.arg(),
                f(c.lr()), f(c.beta1()), f(c.beta2()), f(c.eps()), f(c.weightDecay()),
                i(c.decoupledWeightDecay() ? 1 : 0), f(bc1), f(bc2), l(param.size()));
    }
}
