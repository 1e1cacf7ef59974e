package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;


/**
 * attention.cu: flash attention forward and backward over (BH, T, d). Twin: AttentionCpu (and AttentionReference).
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class AttentionCuda {
    private final CudaContext cx;

    AttentionCuda(CudaContext cx) {
        this.cx = cx;
    }

    /** Flash attention forward over (BH, T, D) tensors; lse (BH, T) is kept for the backward. */
    void attentionForward(DeviceTensor out, DeviceTensor lse, DeviceTensor q, DeviceTensor k, DeviceTensor v,
                          int bh, int t, int d, float scale, boolean causal) {
        cx.launch("attn_fwd_d" + d, LaunchConfig.attention(t, bh, d), out.arg(), lse.arg(), q.arg(), k.arg(), v.arg(),
                i(t), f(scale), i(causal ? 1 : 0));
    }

    /** dq, dk, dv overwritten. rowdot (BH, T) is scratch. */
    void attentionBackward(DeviceTensor dq, DeviceTensor dk, DeviceTensor dv, DeviceTensor dOut, DeviceTensor out,
                           DeviceTensor lse, DeviceTensor rowdot, DeviceTensor q, DeviceTensor k, DeviceTensor v,
                           int bh, int t, int d, float scale, boolean causal) {
        LaunchConfig c = LaunchConfig.attention(t, bh, d);
        cx.launch("attn_bwd_rowdot", LaunchConfig.warpPerRow((long) bh * t), rowdot.arg(), dOut.arg(), out.arg(),
                l((long) bh * t), i(d));
        cx.launch("attn_bwd_dkdv_d" + d, c, dk.arg(), dv.arg(), q.arg(), k.arg(), v.arg(), dOut.arg(), lse.arg(),
                rowdot.arg(), i(t), f(scale), i(causal ? 1 : 0));
        cx.launch("attn_bwd_dq_d" + d, c, dq.arg(), q.arg(), k.arg(), v.arg(), dOut.arg(), lse.arg(), rowdot.arg(),
                i(t), f(scale), i(causal ? 1 : 0));
    }
}
