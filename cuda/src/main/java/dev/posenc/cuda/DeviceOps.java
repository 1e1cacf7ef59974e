package dev.posenc.cuda;

import static dev.posenc.cuda.DeviceTensor.argOrNull;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.UnaryOp;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Every kernel on device-resident tensors: argument order outputs, inputs, sizes, as in the .cu files and the
 * CPU twins. Shapes are checked by {@link CudaBackend} (with the CPU backend's messages) before anything is
 * uploaded; this class trusts them. Launches are asynchronous on the context's stream; results that come back
 * to the host as Java values (sums, losses, flags) synchronize.
 */
final class DeviceOps {
    private final CudaContext cx;
    /** Matmuls on TF32 tensor cores (~1e-3 relative error) instead of the fp32 SIMT kernel. */
    final boolean tf32;

    DeviceOps(CudaContext cx, boolean tf32) {
        this.cx = cx;
        this.tf32 = tf32;
    }

    DeviceTensor allocate(Shape shape) { return new DeviceTensor(shape, cx.pool.acquire(Math.max(4, shape.size() * 4))); }

    void release(DeviceTensor t) { if (t != null) cx.pool.release(t.block()); }

    /** A new device tensor holding {@code values} (tests and benchmarks). */
    DeviceTensor upload(Shape shape, float[] values) {
        if (values.length != shape.size()) throw new IllegalArgumentException(
                "values: expected %d for %s, got %d".formatted(shape.size(), shape, values.length));
        DeviceTensor t = allocate(shape);
        Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyHtoD(t.ptr(), Pointer.to(values), 4L * values.length),
                "cuMemcpyHtoD", "upload " + shape);
        return t;
    }

    /** The tensor's values, after the stream's work. */
    float[] download(DeviceTensor t) {
        float[] values = new float[Math.toIntExact(t.size())];
        cx.synchronize("download " + t.shape());
        Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyDtoH(Pointer.to(values), t.ptr(), 4L * values.length),
                "cuMemcpyDtoH", "download " + t.shape());
        return values;
    }

    /** Device-to-device copy of {@code bytes} (the bandwidth yardstick of the benchmarks). */
    void copy(DeviceTensor dst, DeviceTensor src, long bytes) {
        Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync(dst.ptr(), src.ptr(), bytes, cx.stream),
                "cuMemcpyDtoDAsync", bytes + " bytes");
    }

    private static Pointer i(int v) { return Pointer.to(new int[] {v}); }

    private static Pointer l(long v) { return Pointer.to(new long[] {v}); }

    private static Pointer f(float v) { return Pointer.to(new float[] {v}); }

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

    // ---- element-wise (elementwise.cu)

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

    // ---- reductions (reduce.cu)

    void sumRows(DeviceTensor out, DeviceTensor in, float scale, boolean accumulate) {
        int r = in.rows(), c = in.cols();
        DeviceTensor scratch = allocate(Shape.of(c));
        cx.zero(scratch.ptr(), (long) c * 4, "sum_rows scratch");
        cx.launch("reduce_sum_rows_partial", LaunchConfig.columnChunks(r, c), scratch.arg(), in.arg(), i(r), i(c),
                i(LaunchConfig.rowsPerChunk(r)));
        cx.launch("reduce_finish", LaunchConfig.perElement(c), out.arg(), scratch.arg(), f(scale), i(accumulate ? 1 : 0),
                i(c));
        release(scratch);   // safe: the pool hands it out again only to later work on the same stream
    }

    void sumCols(DeviceTensor out, DeviceTensor in, float scale, boolean accumulate) {
        cx.launch("reduce_sum_cols", LaunchConfig.warpPerRow(in.rows()), out.arg(), in.arg(), i(in.rows()),
                i(in.cols()), f(scale), i(accumulate ? 1 : 0));
    }

    /** Runs a kernel whose first argument is a zeroed double accumulator, and returns it. */
    private double doubleResult(String kernel, LaunchConfig c, Pointer... rest) {
        var acc = cx.pool.acquire(8);
        try {
            cx.zero(acc.handle(), 8, kernel);
            Pointer[] args = new Pointer[rest.length + 1];
            args[0] = Pointer.to(acc.handle());
            System.arraycopy(rest, 0, args, 1, rest.length);
            cx.launch(kernel, c, args);
            double[] result = {0};
            cx.synchronize(kernel);
            Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyDtoH(Pointer.to(result), acc.handle(), 8), "cuMemcpyDtoH", kernel);
            return result[0];
        } finally {
            cx.pool.release(acc);
        }
    }

    double sum(DeviceTensor in) {
        return doubleResult("reduce_sum_all", LaunchConfig.gridStride(in.size()), in.arg(), l(in.size()));
    }

    boolean allFinite(DeviceTensor in) {
        var flag = cx.pool.acquire(4);
        try {
            Cuda.check(jcuda.driver.JCudaDriver.cuMemsetD32Async(flag.handle(), 1, 1, cx.stream), "cuMemsetD32Async",
                    "all_finite flag");
            cx.launch("reduce_all_finite", LaunchConfig.gridStride(in.size()), Pointer.to(flag.handle()), in.arg(),
                    l(in.size()));
            int[] result = {0};
            cx.synchronize("reduce_all_finite");
            Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyDtoH(Pointer.to(result), flag.handle(), 4), "cuMemcpyDtoH",
                    "all_finite flag");
            return result[0] == 1;
        } finally {
            cx.pool.release(flag);
        }
    }

    // ---- softmax (softmax.cu), layer norm (layernorm.cu)

    void rowKernel(String kernel, DeviceTensor a, DeviceTensor b, DeviceTensor c3) {
        int rows = a.rows(), cols = a.cols();
        if (rows == 0) return;   // perRow(0) would still launch one block over an empty tensor
        if (c3 == null) cx.launch(kernel, LaunchConfig.perRow(rows), a.arg(), b.arg(), i(cols));
        else cx.launch(kernel, LaunchConfig.perRow(rows), a.arg(), b.arg(), c3.arg(), i(cols));
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
        if (dGamma != null || dBeta != null) cx.launch("layernorm_backward_params", LaunchConfig.columnChunks(r, c),
                argOrNull(dGamma), argOrNull(dBeta), dOut.arg(), in.arg(), mean.arg(), rstd.arg(), i(r), i(c),
                i(LaunchConfig.rowsPerChunk(r)));
    }

    // ---- losses (loss.cu)

    double mse(DeviceTensor pred, DeviceTensor target) {
        return doubleResult("mse_sum", LaunchConfig.gridStride(pred.size()), pred.arg(), target.arg(), l(pred.size()))
                / pred.size();
    }

    void mseBackward(DeviceTensor dPred, DeviceTensor pred, DeviceTensor target, float dLoss) {
        float coef = (float) (2.0 * dLoss / pred.size());
        cx.launch("mse_backward", LaunchConfig.gridStride(pred.size()), dPred.arg(), pred.arg(), target.arg(), f(coef),
                l(pred.size()));
    }

    double crossEntropy(DeviceTensor logits, CUdeviceptr labels) {
        if (logits.rows() == 0) return Double.NaN;   // torch: the mean of nothing
        return doubleResult("cross_entropy_rows", LaunchConfig.perRow(logits.rows()), logits.arg(), Pointer.to(labels),
                i(logits.cols())) / logits.rows();
    }

    void crossEntropyBackward(DeviceTensor dLogits, DeviceTensor logits, CUdeviceptr labels, float dLoss) {
        if (logits.rows() == 0) return;
        cx.launch("cross_entropy_backward", LaunchConfig.perRow(logits.rows()), dLogits.arg(), logits.arg(),
                Pointer.to(labels), i(logits.cols()), f(dLoss / logits.rows()));
    }

    // ---- Fourier features (fourier.cu), Adam (adam.cu)

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
        cx.launch("fourier_backward_dw", LaunchConfig.fourierDw(n, k), dw.arg(), dOut.arg(), x.arg(), w.arg(), i(n),
                i(m), i(k), f(scale), i(LaunchConfig.rowsPerChunk(n)));
    }

    void adamStep(DeviceTensor param, DeviceTensor grad, DeviceTensor m, DeviceTensor v, AdamConfig c, int step) {
        float bc1 = (float) (1 - Math.pow(c.beta1(), step)), bc2 = (float) (1 - Math.pow(c.beta2(), step));
        cx.launch("adam_step", LaunchConfig.gridStride(param.size()), param.arg(), grad.arg(), m.arg(), v.arg(),
                f(c.lr()), f(c.beta1()), f(c.beta2()), f(c.eps()), f(c.weightDecay()),
                i(c.decoupledWeightDecay() ? 1 : 0), f(bc1), f(bc2), l(param.size()));
    }

    // ---- matmul (matmul.cu), LFF encoder (lff.cu), attention (attention.cu)

    /**
     * out = act(form(a, b) (+ out) (+ bias)) over {@code batch} entries with element strides; act is null for
     * none. Sizes (m, n, k) as {@link dev.posenc.core.Shapes#matmul} returns them.
     */
    void matmul(DeviceTensor out, DeviceTensor a, DeviceTensor b, DeviceTensor bias, MatmulForm form, int m, int n,
                int k, int batch, boolean accumulate, UnaryOp act) {
        String kernel = (tf32 ? "sgemm_tf32_" : "sgemm_") + form.name().toLowerCase(java.util.Locale.ROOT);
        long so = (long) m * n, sa = (long) m * k, sb = (long) k * n;
        cx.launch(kernel, LaunchConfig.matmul(m, n, batch, tf32), out.arg(), a.arg(), b.arg(), argOrNull(bias), i(m),
                i(n), i(k), l(batch > 1 ? so : 0), l(batch > 1 ? sa : 0), l(batch > 1 ? sb : 0), i(accumulate ? 1 : 0),
                i(act == null ? 0 : activationCode(act)));
    }

    /** out (N, D) = LFF encoder of x (N, M); weights as lff.cu's header. */
    void lffEncode(DeviceTensor out, DeviceTensor x, DeviceTensor wr, DeviceTensor w1, DeviceTensor b1,
                   DeviceTensor w2, DeviceTensor b2) {
        int n = x.rows(), m = x.cols(), f2 = wr.rows(), h = w1.rows(), d = w2.rows();
        LaunchConfig c = LaunchConfig.lff(n, m, 2 * f2, h, d);
        cx.launch("lff_encode_h" + h, c, out.arg(), x.arg(), wr.arg(), w1.arg(), b1.arg(), w2.arg(), b2.arg(), i(n),
                i(m), i(f2), i(d), f((float) (1 / Math.sqrt(2.0 * f2))));
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
