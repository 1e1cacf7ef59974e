package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;

import dev.posenc.core.AttentionKernels;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;


/**
 * attention.cu: flash attention forward and backward over (BH, T, d). Twin: AttentionCpu (and core.Reference64.attention).
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

    /**
     * The {@link AttentionKernels} of {@link CudaBackend}: shapes checked, operands staged by {@code stage}, the
     * kernels' overwritten gradients added into the interface's accumulating ones (through scratch).
     */
    AttentionKernels kernels(java.util.function.Function<String, Staging> stage, CudaMemory memory,
                             dev.posenc.core.ElementwiseKernels ew) {
        return new AttentionKernels() {
            @Override public void attentionForward(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, float scale) {
                int[] s = attentionShape(q, k);
                try (var st = stage.apply("attentionForward")) {
                    AttentionCuda.this.attentionForward(st.out(out), st.out(lse), st.in(q), st.in(k), st.in(v), s[0], s[1],
                            s[2], scale, false);
                }
            }

            @Override public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor lse,
                                                    Tensor q, Tensor k, Tensor v, float scale) {
                int[] s = attentionShape(q, k);
                try (var st = stage.apply("attentionBackward"); TensorMemory.Region scratch = memory.region()) {
                    Tensor sq = scratch.zeros(q.shape()), sk = scratch.zeros(k.shape()), sv = scratch.zeros(v.shape());
                    Tensor rowdot = scratch.zeros(lse.shape());
                    AttentionCuda.this.attentionBackward(st.out(sq), st.out(sk), st.out(sv), st.in(dOut), st.in(out),
                            st.in(lse), st.out(rowdot), st.in(q), st.in(k), st.in(v), s[0], s[1], s[2], scale, false);
                    if (dq != null) ew.axpy(dq, 1f, sq);
                    if (dk != null) ew.axpy(dk, 1f, sk);
                    if (dv != null) ew.axpy(dv, 1f, sv);
                }
            }
        };
    }

    /** (N, T, d) with Tq = Tk and a compiled head dim; anything else is refused by name, never run wrongly. */
    private static int[] attentionShape(Tensor q, Tensor k) {
        Shapes.require(q.rank() == 3 && k.rank() == 3 && q.shape().equals(k.shape()), "attention", "q, k",
                "equal (N, T, d) shapes (the CUDA kernels are self-attention)", q.shape() + ", " + k.shape());
        int d = q.shape().dim(2);
        Shapes.require(d == 32 || d == 64 || d == 128, "attention", "q", "head dim 32, 64 or 128 on the GPU", q.shape());
        return new int[] {q.shape().dim(0), q.shape().dim(1), d};
    }
}
