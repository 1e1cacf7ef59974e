package dev.posenc.cuda;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.AttentionKernels;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.core.UnaryOp;
import java.util.List;

/**
 * The GPU backend through JCuda's driver API (needs only libcuda.so.1; no cuBLAS, no runtime API).
 *
 * <p><b>Tensors live on the device.</b> {@link #memory()} is device memory ({@link CudaMemory}): the tape's step
 * slab, the parameter store, Adam's moments and uploaded data sets come from it, so a kernel call passes
 * device addresses and moves nothing (issue 14; before it, every call staged its operands over PCIe, about
 * 3 GB per LFF step at N = 2¹⁸). A host tensor handed to a kernel is staged, as every call was before (the
 * correctness route of commands not yet moved to backend memory), and its copies are counted. What else crosses: the
 * labels of the losses when given as an int[] (a label tensor stays on the device) and scalar results (sum, allFinite, mse, crossEntropy); the loss of mseTo /
 * crossEntropyTo and its backward's dLoss stay on the device. All crossings are counted in {@code memory().copies()}.
 * None of this has run on a GPU yet.
 *
 * <p>Over 400 lines because it implements the whole {@link Backend} (about 50 methods), each checking shapes
 * with the CPU backend's messages and handing device views to its family's launch class ({@code FourierCuda},
 * {@code MatmulCuda}, ...), where the launch maths live; nothing else is here.
 *
 * <p>Not thread-safe; use it from the thread that opened it. Close it to free the pool and the context.
 */
public final class CudaBackend implements Backend {
    /** The result of {@link #open}: a backend, or the reason there is none. Never a silent CPU fallback. */
    public sealed interface Opening permits Opened, Unavailable {}

    public record Opened(CudaBackend backend) implements Opening {}

    public record Unavailable(String reason) implements Opening {}

    private final CudaContext cx;
    private final CudaMemory memory;
    // one launch class per op family, as the CPU side has one kernel class per family (the one-name-stem rule)
    final DeviceBuffers buffers;
    final ElementwiseCuda elementwise;
    final ReduceCuda reduce;
    final SoftmaxCuda softmax;
    final LayerNormCuda layerNorm;
    final LossCuda loss;
    final FourierCuda fourier;
    final AdamCuda adam;
    final MatmulCuda matmul;
    final LffCuda lff;
    final AttentionCuda attention;
    final LayoutCuda layout;
    final EmbeddingCuda embedding;
    private final ToeplitzCuda toeplitz;

    private CudaBackend(CudaContext cx, boolean tf32) {
        this.cx = cx;
        this.memory = new CudaMemory(cx);
        this.buffers = new DeviceBuffers(cx);
        this.elementwise = new ElementwiseCuda(cx);
        this.reduce = new ReduceCuda(cx, buffers);
        this.softmax = new SoftmaxCuda(cx);
        this.layerNorm = new LayerNormCuda(cx, buffers);
        this.loss = new LossCuda(cx, buffers);
        this.fourier = new FourierCuda(cx, buffers);
        this.adam = new AdamCuda(cx);
        this.matmul = new MatmulCuda(cx, buffers, tf32);
        this.lff = new LffCuda(cx);
        this.attention = new AttentionCuda(cx);
        this.layout = new LayoutCuda(cx);
        this.embedding = new EmbeddingCuda(cx);
        this.toeplitz = new ToeplitzCuda(cx, buffers);
    }

    /** Device memory: the tape's step slab, the parameter store and Adam's state live here. */
    @Override public TensorMemory memory() { return memory; }

    /**
     * Opens device 0 and loads every kernel. {@code tf32} runs matmuls on TF32 tensor cores (about 1e-3
     * relative error, as PyTorch's allow_tf32) instead of exact-fp32 SIMT FMAs.
     */
    public static Opening open(boolean tf32) { return open(tf32, false); }

    /**
     * {@link #open(boolean)}; with {@code syncEveryLaunch} every kernel launch is followed by a stream
     * synchronisation, so an asynchronous fault (an illegal address) is reported by the launch of the kernel that
     * made it, by name, rather than by some later call. Slow: for debugging and the device round's
     * {@code POSENC_SYNC=1} ({@code -Dposenc.cuda.sync=true}, read by the mains and the CLI only).
     */
    public static Opening open(boolean tf32, boolean syncEveryLaunch) {
        CudaProbe probe = CudaProbe.run();
        if (!probe.available()) return new Unavailable(probe.reason());
        List<String> missing = KernelCatalog.missing();
        if (!missing.isEmpty()) return new Unavailable("GPU found (" + probe.devices().getFirst().describe()
                + ") but this build has no kernels: nvcc was absent when the jar was built");
        CudaContext cx = null;
        try {
            cx = new CudaContext(probe.devices().getFirst(), syncEveryLaunch);
            cx.loadKernels();
            return new Opened(new CudaBackend(cx, tf32));
        } catch (CudaError | IllegalStateException e) {
            if (cx != null) cx.close();
            return new Unavailable(e.getMessage());
        }
    }

    /** For {@code ./posenc info}: the GPU, its memory and the kernels loaded, or why there is none. */
    public static String info() {
        return switch (open(false)) {
            case Unavailable u -> "cuda: not available: " + u.reason();
            case Opened o -> {
                try (CudaBackend b = o.backend()) { yield b.describe(); }
            }
        };
    }

    @Override public String name() { return "cuda"; }

    @Override public int threads() { return 1; }

    @Override public String describe() {
        long[] mem = cx.memInfo();
        long kernels = KernelCatalog.KERNELS.values().stream().mapToLong(List::size).sum();
        return "cuda: %s; %.1f of %.1f GiB free; %d kernels from %s; matmul %s; pool %d block(s), %.1f MiB".formatted(
                cx.info.describe(), mem[0] / 1073741824.0, mem[1] / 1073741824.0, kernels, cx.loaded,
                matmul.tf32 ? "TF32 tensor cores" : "fp32 SIMT", cx.pool.driverAllocations(),
                cx.pool.bytesReserved() / 1048576.0);
    }

    /** Device memory requests that reached the driver so far (flat after warm-up). */
    public long driverAllocations() { return cx.pool.driverAllocations(); }

    CudaContext context() { return cx; }

    @Override public void close() { cx.close(); }

    /** The operands of one call (see {@link Staging}). */
    private Staging stage(String op) { return new Staging(cx, buffers, memory, op); }

    // ---- matmul

    @Override public void matmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        int[] mnk = Shapes.matmul("matmul", out, a, b, form);
        try (var s = stage("matmul")) {
            matmul.matmul(accumulate ? s.inOut(out) : s.out(out), s.in(a), s.in(b), null, form, mnk[0], mnk[1], mnk[2], 1,
                    accumulate, null);
        }
    }

    @Override public void batchedMatmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        String op = "batchedMatmul";
        for (var e : List.of(java.util.Map.entry("out", out), java.util.Map.entry("a", a), java.util.Map.entry("b", b)))
            Shapes.require(e.getValue().rank() == 3, op, e.getKey(), "a 3-D tensor (B, ., .)", e.getValue().shape());
        int batch = a.shape().dim(0);
        Shapes.require(b.shape().dim(0) == batch && out.shape().dim(0) == batch, op, "b, out", "batch " + batch,
                b.shape() + ", " + out.shape());
        if (batch == 0) return;
        int[] mnk = Shapes.matmul(op, last2(out), last2(a), last2(b), form);
        try (var s = stage(op)) {
            matmul.matmul(accumulate ? s.inOut(out) : s.out(out), s.in(a), s.in(b), null, form, mnk[0], mnk[1], mnk[2],
                    batch, accumulate, null);
        }
    }

    /** One batch entry's (r, c) matrix, as a view for the shape check (batch > 0, so the bytes exist). */
    private static Tensor last2(Tensor t) {
        int r = t.shape().dim(1), c = t.shape().dim(2);
        return t.view(0, Shape.of(r, c));   // host or device: a view, nothing read
    }

    // ---- element-wise

    private void binary(String op, String kernel, Tensor out, Tensor a, Tensor b) {
        Shapes.same(op, "b", a, b);
        Shapes.same(op, "out", a, out);
        try (var s = stage(op)) { elementwise.binary(kernel, s.out(out), s.in(a), s.in(b)); }
    }

    @Override public void add(Tensor out, Tensor a, Tensor b) { binary("add", "ew_add", out, a, b); }

    @Override public void sub(Tensor out, Tensor a, Tensor b) { binary("sub", "ew_sub", out, a, b); }

    @Override public void mul(Tensor out, Tensor a, Tensor b) { binary("mul", "ew_mul", out, a, b); }

    @Override public void addRowBroadcast(Tensor out, Tensor a, Tensor row) {
        Shapes.same("addRowBroadcast", "out", a, out);
        Shapes.require(row.size() == a.cols(), "addRowBroadcast", "row", a.cols() + " elements", row.shape());
        try (var s = stage("addRowBroadcast")) { elementwise.addRowBroadcast(s.out(out), s.in(a), s.in(row)); }
    }

    @Override public void scale(Tensor out, Tensor a, float k) {
        Shapes.same("scale", "out", a, out);
        try (var s = stage("scale")) { elementwise.scale(s.out(out), s.in(a), k); }
    }

    @Override public void axpy(Tensor y, float alpha, Tensor x) {
        Shapes.require(x.size() == y.size(), "axpy", "x", y.size() + " elements", x.shape());
        try (var s = stage("axpy")) { elementwise.axpy(s.inOut(y), alpha, s.in(x)); }
    }

    @Override public void fill(Tensor out, float value) {
        try (var s = stage("fill")) { elementwise.fill(s.out(out), value); }
    }

    @Override public void unary(UnaryOp f, Tensor out, Tensor in) {
        Shapes.same("unary " + f, "out", in, out);
        try (var s = stage("unary " + f)) { elementwise.unary(f, s.out(out), s.in(in)); }
    }

    @Override public void unaryBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out) {
        String op = "unaryBackward " + f;
        Shapes.same(op, "dIn", in, dIn);
        Shapes.same(op, "dOut", in, dOut);
        Shapes.same(op, "out", in, out);
        try (var s = stage(op)) { elementwise.unaryBackward(f, s.inOut(dIn), s.in(dOut), s.in(in), s.in(out)); }
    }

    // ---- reductions and softmax

    @Override public void sumRows(Tensor out, Tensor in, float scale, boolean accumulate) {
        Shapes.require(out.size() == in.cols(), "sumRows", "out", in.cols() + " elements", out.shape());
        try (var s = stage("sumRows")) {
            reduce.sumRows(accumulate ? s.inOut(out) : s.out(out), s.in(in), scale, accumulate);
        }
    }

    @Override public void sumCols(Tensor out, Tensor in, float scale, boolean accumulate) {
        Shapes.require(out.size() == in.rows(), "sumCols", "out", in.rows() + " elements", out.shape());
        try (var s = stage("sumCols")) {
            reduce.sumCols(accumulate ? s.inOut(out) : s.out(out), s.in(in), scale, accumulate);
        }
    }

    @Override public double sum(Tensor in) {
        try (var s = stage("sum")) { return s.scalar(reduce.sum(s.in(in)), Double.BYTES); }
    }

    @Override public boolean allFinite(Tensor in) {
        try (var s = stage("allFinite")) { return s.scalar(reduce.allFinite(s.in(in)), Integer.BYTES); }
    }

    @Override public void softmax(Tensor out, Tensor in) {
        Shapes.same("softmax", "out", in, out);
        try (var s = stage("softmax")) { softmax.rowKernel("softmax_forward", s.out(out), s.in(in), null); }
    }

    @Override public void softmaxBackward(Tensor dIn, Tensor dOut, Tensor out) {
        Shapes.same("softmaxBackward", "dOut", out, dOut);
        Shapes.same("softmaxBackward", "dIn", out, dIn);
        try (var s = stage("softmaxBackward")) {
            softmax.rowKernel("softmax_backward", s.inOut(dIn), s.in(dOut), s.in(out));
        }
    }

    @Override public void logSoftmax(Tensor out, Tensor in) {
        Shapes.same("logSoftmax", "out", in, out);
        try (var s = stage("logSoftmax")) { softmax.rowKernel("log_softmax_forward", s.out(out), s.in(in), null); }
    }

    @Override public void logSoftmaxBackward(Tensor dIn, Tensor dOut, Tensor out) {
        Shapes.same("logSoftmaxBackward", "dOut", out, dOut);
        Shapes.same("logSoftmaxBackward", "dIn", out, dIn);
        try (var s = stage("logSoftmaxBackward")) {
            softmax.rowKernel("log_softmax_backward", s.inOut(dIn), s.in(dOut), s.in(out));
        }
    }

    // ---- layer norm, losses, Fourier features, Adam

    @Override public void layerNorm(Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma, Tensor beta,
                                    float eps) {
        String op = "layerNorm";
        Shapes.same(op, "out", in, out);
        Shapes.require(mean.size() == in.rows() && rstd.size() == in.rows(), op, "mean, rstd", in.rows() + " elements",
                mean.shape() + ", " + rstd.shape());
        Shapes.require(gamma.size() == in.cols() && beta.size() == in.cols(), op, "gamma, beta",
                in.cols() + " elements", gamma.shape() + ", " + beta.shape());
        try (var s = stage(op)) {
            layerNorm.layerNorm(s.out(out), s.out(mean), s.out(rstd), s.in(in), s.in(gamma), s.in(beta), eps);
        }
    }

    @Override public void layerNormBackward(Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in,
                                            Tensor mean, Tensor rstd, Tensor gamma) {
        String op = "layerNormBackward";
        Shapes.same(op, "dOut", in, dOut);
        if (dIn != null) Shapes.same(op, "dIn", in, dIn);
        try (var s = stage(op)) {
            layerNorm.layerNormBackward(s.inOut(dIn), s.inOut(dGamma), s.inOut(dBeta), s.in(dOut), s.in(in), s.in(mean),
                    s.in(rstd), s.in(gamma));
        }
    }

    @Override public double mse(Tensor pred, Tensor target) {
        Shapes.same("mse", "target", pred, target);
        try (var s = stage("mse")) { return s.scalar(loss.mse(s.in(pred), s.in(target)), Double.BYTES); }
    }

    @Override public void mseBackward(Tensor dPred, Tensor pred, Tensor target, float dLoss) {
        Shapes.same("mseBackward", "target", pred, target);
        Shapes.same("mseBackward", "dPred", pred, dPred);
        try (var s = stage("mseBackward")) { loss.mseBackward(s.inOut(dPred), s.in(pred), s.in(target), dLoss); }
    }

    private static void checkLabels(String op, Tensor logits, int[] labels) {
        Shapes.require(labels != null && labels.length == logits.rows(), op, "labels",
                logits.rows() + " entries", labels == null ? "null" : labels.length + " entries");
        for (int i = 0; i < labels.length; i++) Shapes.require(labels[i] >= 0 && labels[i] < logits.cols(), op,
                "labels[" + i + "]", "a class in [0, %d)".formatted(logits.cols()), labels[i]);
    }

    @Override public double crossEntropy(Tensor logits, int[] labels) {
        checkLabels("crossEntropy", logits, labels);
        try (var s = stage("crossEntropy")) {
            return s.scalar(loss.crossEntropy(s.in(logits), s.labels(labels)), Double.BYTES);
        }
    }

    @Override public void crossEntropyBackward(Tensor dLogits, Tensor logits, int[] labels, float dLoss) {
        checkLabels("crossEntropyBackward", logits, labels);
        Shapes.same("crossEntropyBackward", "dLogits", logits, dLogits);
        try (var s = stage("crossEntropyBackward")) {
            loss.crossEntropyBackward(s.inOut(dLogits), s.in(logits), s.labels(labels), dLoss);
        }
    }

    private static void checkFourier(String op, Tensor x, Tensor w) {
        Shapes.rank2(op, "x", x);
        Shapes.require(x.cols() >= 1 && x.cols() <= LaunchConfig.MAX_M, op, "x", "(N, M) with M <= 8 on the GPU",
                x.shape());
        Shapes.require(w.rank() == 2 && w.cols() == x.cols(), op, "w", "(K, %d)".formatted(x.cols()), w.shape());
    }

    @Override public void fourierForward(Tensor out, Tensor x, Tensor w, float scale) {
        checkFourier("fourierForward", x, w);
        Shapes.shape("fourierForward", "out", out, x.rows(), 2 * w.rows());
        try (var s = stage("fourierForward")) { fourier.fourierForward(s.out(out), s.in(x), s.in(w), scale); }
    }

    @Override public void fourierBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        String op = "fourierBackward";
        checkFourier(op, x, w);
        Shapes.shape(op, "dOut", dOut, x.rows(), 2 * w.rows());
        Shapes.shape(op, "dw", dw, w.rows(), w.cols());
        if (dx != null) Shapes.shape(op, "dx", dx, x.rows(), x.cols());
        try (var s = stage(op)) {
            fourier.fourierBackward(s.inOut(dx), s.inOut(dw), s.in(dOut), s.in(x), s.in(w), scale);
        }
    }

    @Override public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        String op = "adamStep";
        Shapes.same(op, "grad", param, grad);
        Shapes.same(op, "m", param, m);
        Shapes.same(op, "v", param, v);
        Shapes.require(step >= 1, op, "step", ">= 1 (steps count from 1)", step);
        try (var s = stage(op)) { adam.adamStep(s.inOut(param), s.in(grad), s.inOut(m), s.inOut(v), config, step); }
    }

    // ---- Toeplitz products (toeplitz.cu, via ToeplitzCuda)

    @Override public void toeplitzMultiply(Tensor out, Tensor w, Tensor x) {
        int[] s = dev.posenc.core.ToeplitzKernels.checkShapes("toeplitzMultiply", "w", w, "x", x, "out", out);
        if ((long) s[0] * s[2] == 0) return;
        try (var st = stage("toeplitzMultiply")) {
            toeplitz.multiply(st.out(out), st.in(w), st.in(x), s[0], s[1], s[2]);
        }
    }

    @Override public void toeplitzWeightGradAccumulate(Tensor dw, Tensor dOut, Tensor x) {
        int[] s = dev.posenc.core.ToeplitzKernels.checkShapes("toeplitzWeightGradAccumulate", "dw", dw, "x", x, "dOut",
                dOut);
        if ((long) s[0] * s[2] == 0) return;
        try (var st = stage("toeplitzWeightGradAccumulate")) {
            toeplitz.weightGradAccumulate(st.inOut(dw), st.in(dOut), st.in(x), s[0], s[1], s[2]);
        }
    }

    // ---- losses kept in device memory: the loss, and its backward's dLoss, never leave the device

    @Override public void mseTo(Tensor loss, Tensor pred, Tensor target) {
        Shapes.same("mse", "target", pred, target);
        Shapes.require(loss.size() == 1, "mseTo", "loss", "one element", loss.shape());
        try (var s = stage("mseTo")) { this.loss.mseTo(s.out(loss), s.in(pred), s.in(target)); }
    }

    @Override public void mseBackward(Tensor dPred, Tensor pred, Tensor target, Tensor dLoss) {
        Shapes.same("mseBackward", "target", pred, target);
        Shapes.same("mseBackward", "dPred", pred, dPred);
        try (var s = stage("mseBackward")) {
            loss.mseBackward(s.inOut(dPred), s.in(pred), s.in(target), s.in(dLoss));
        }
    }

    @Override public void crossEntropyTo(Tensor loss, Tensor logits, int[] labels) {
        checkLabels("crossEntropyTo", logits, labels);
        Shapes.require(loss.size() == 1, "crossEntropyTo", "loss", "one element", loss.shape());
        try (var s = stage("crossEntropyTo")) { this.loss.crossEntropyTo(s.out(loss), s.in(logits), s.labels(labels)); }
    }

    @Override public void crossEntropyBackward(Tensor dLogits, Tensor logits, int[] labels, Tensor dLoss) {
        checkLabels("crossEntropyBackward", logits, labels);
        Shapes.same("crossEntropyBackward", "dLogits", logits, dLogits);
        try (var s = stage("crossEntropyBackward")) {
            loss.crossEntropyBackward(s.inOut(dLogits), s.in(logits), s.labels(labels), s.in(dLoss));
        }
    }

    // ---- data movement (layout.cu)

    @Override public void copyRuns(Tensor dst, Tensor src, RunLayout l, boolean accumulate) {
        dev.posenc.core.LayoutKernels.checkRuns(dst, src, l);
        try (var s = stage("copyRuns")) { layout.copyRuns(s.inOut(dst), s.in(src), l, accumulate); }
    }

    // ---- labels in device memory (float class indices, checked where they were made): nothing crosses per call

    private static void checkLabelTensor(String op, Tensor logits, Tensor labels) {
        Shapes.require(labels.rank() == 1 && labels.size() == logits.rows(), op, "labels",
                "(%d) float class indices".formatted(logits.rows()), labels.shape());
    }

    @Override public void crossEntropyTo(Tensor loss, Tensor logits, Tensor labels) {
        checkLabelTensor("crossEntropyTo", logits, labels);
        Shapes.require(loss.size() == 1, "crossEntropyTo", "loss", "one element", loss.shape());
        try (var s = stage("crossEntropyTo")) {
            this.loss.crossEntropyTo(s.out(loss), s.in(logits), s.in(labels).ptr());
        }
    }

    @Override public void crossEntropyBackward(Tensor dLogits, Tensor logits, Tensor labels, Tensor dLoss) {
        checkLabelTensor("crossEntropyBackward", logits, labels);
        Shapes.same("crossEntropyBackward", "dLogits", logits, dLogits);
        try (var s = stage("crossEntropyBackward")) {
            loss.crossEntropyBackward(s.inOut(dLogits), s.in(logits), s.in(labels).ptr(), s.in(dLoss));
        }
    }

    // ---- row gathers by a float index (embedding.cu)

    @Override public void gatherRows(Tensor out, Tensor table, Tensor index) {
        int n = dev.posenc.core.EmbeddingKernels.checkShapes("gatherRows", out, table, index);
        if ((long) n * table.cols() == 0) return;
        try (var s = stage("gatherRows")) {
            embedding.gatherRows(s.out(out), s.in(table), s.in(index), n, table.cols(), table.rows());
        }
    }

    @Override public void scatterAddRows(Tensor dTable, Tensor dOut, Tensor index) {
        int n = dev.posenc.core.EmbeddingKernels.checkShapes("scatterAddRows", dOut, dTable, index);
        if (dTable.size() == 0 || n == 0) return;
        try (var s = stage("scatterAddRows")) {
            embedding.scatterAddRows(s.inOut(dTable), s.in(dOut), s.in(index), n, dTable.cols(), dTable.rows());
        }
    }

    // ---- attention (attention.cu): the flash kernels, for self-attention (Tq = Tk) with d in {32, 64, 128}

    @Override public AttentionKernels attention() { return attention.kernels(this::stage, memory, this); }
}
