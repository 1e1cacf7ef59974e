package dev.posenc.kernels;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.AttentionKernels;
import dev.posenc.core.Backend;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.RunLayout;
import dev.posenc.core.SparseKernels;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.core.graph.Csr;
import jdk.incubator.vector.FloatVector;

/**
 * The CPU backend: Vector API kernels over all the threads it is given. Each method delegates to its
 * family's class ({@link MatmulCpu}, {@link FourierCpu}, ...), where the vector kernel and its scalar twin
 * sit side by side.
 */
public final class CpuBackend implements Backend, AttentionKernels {
    private final Parallel parallel;
    private final CpuConvKernels conv;
    private final SparseKernels sparse = new SparseKernels() {
        @Override public void spmm(Tensor out, Csr a, Tensor x) { SparseCpu.spmm(parallel, out, a, x, false); }

        @Override public void spmmAccumulate(Tensor out, Csr a, Tensor x) { SparseCpu.spmm(parallel, out, a, x, true); }
    };

    /** A backend computing on {@code threads} threads (the caller's included). */
    public CpuBackend(int threads) {
        this.parallel = new Parallel(threads);
        this.conv = new CpuConvKernels(parallel);
    }

    /** A backend on every available core. */
    public CpuBackend() { this(Runtime.getRuntime().availableProcessors()); }

    @Override public String name() { return "cpu"; }

    @Override public int threads() { return parallel.threads(); }

    @Override public String describe() {
        return "cpu: %d thread(s), SIMD %s (%d float lanes, %d bits)".formatted(threads(),
                FloatVector.SPECIES_PREFERRED, FloatVector.SPECIES_PREFERRED.length(),
                FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }

    /** The worker threads, for benchmarks that call a family's kernels directly. */
    public Parallel parallel() { return parallel; }

    @Override public void matmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        MatmulCpu.matmul(parallel, out, a, b, form, accumulate);
    }

    @Override public void linear(Tensor y, Tensor x, Tensor w, Tensor b, boolean relu) {
        MatmulCpu.linear(parallel, y, x, w, b, relu);
    }

    @Override public void batchedMatmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        MatmulCpu.batchedMatmul(parallel, out, a, b, form, accumulate);
    }

    @Override public void copyRuns(Tensor dst, Tensor src, RunLayout layout, boolean accumulate) {
        LayoutCpu.copyRuns(parallel, dst, src, layout, accumulate);
    }

    @Override public void add(Tensor out, Tensor a, Tensor b) { ElementwiseCpu.add(parallel, out, a, b); }

    @Override public void sub(Tensor out, Tensor a, Tensor b) { ElementwiseCpu.sub(parallel, out, a, b); }

    @Override public void mul(Tensor out, Tensor a, Tensor b) { ElementwiseCpu.mul(parallel, out, a, b); }

    @Override public void addRowBroadcast(Tensor out, Tensor a, Tensor row) {
        ElementwiseCpu.addRowBroadcast(parallel, out, a, row);
    }

    @Override public void scale(Tensor out, Tensor a, float s) { ElementwiseCpu.scale(parallel, out, a, s); }

    @Override public void axpy(Tensor y, float alpha, Tensor x) { ElementwiseCpu.axpy(parallel, y, alpha, x); }

    @Override public void fill(Tensor out, float value) { ElementwiseCpu.fill(parallel, out, value); }

    @Override public void unary(UnaryOp f, Tensor out, Tensor in) { ActivationCpu.unary(parallel, f, out, in); }

    @Override public void unaryBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out) {
        ActivationCpu.unaryBackward(parallel, f, dIn, dOut, in, out);
    }

    @Override public void unaryBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out, boolean accumulate) {
        ActivationCpu.unaryBackward(parallel, f, dIn, dOut, in, out, accumulate);
    }

    @Override public void biasRelu(Tensor y, Tensor z, Tensor b) { BiasReluCpu.forward(parallel, y, z, b); }

    @Override public void biasReluBackward(Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        BiasReluCpu.backward(parallel, dz, db, dy, y, accumulate);
    }

    /** Keeps GELU′(h), not h: the backward is one multiply (LinearGeluCpu). */
    @Override public void linearGelu(Tensor y, Tensor kept, Tensor x, Tensor w, Tensor b) {
        LinearGeluCpu.forward(parallel, y, kept, x, w, b);
    }

    @Override public void linearGeluBackward(Tensor dh, Tensor dy, Tensor kept, Tensor y, boolean accumulate) {
        LinearGeluCpu.backward(parallel, dh, dy, kept, accumulate);
    }

    @Override public void sumRows(Tensor out, Tensor in, float scale, boolean accumulate) {
        ReduceCpu.sumRows(parallel, out, in, scale, accumulate);
    }

    @Override public void sumCols(Tensor out, Tensor in, float scale, boolean accumulate) {
        ReduceCpu.sumCols(parallel, out, in, scale, accumulate);
    }

    @Override public double sum(Tensor in) { return ReduceCpu.sum(parallel, in); }

    @Override public boolean allFinite(Tensor in) { return ReduceCpu.allFinite(parallel, in); }

    @Override public void softmax(Tensor out, Tensor in) { SoftmaxCpu.softmax(parallel, out, in); }

    @Override public void softmaxBackward(Tensor dIn, Tensor dOut, Tensor out) {
        SoftmaxCpu.softmaxBackward(parallel, dIn, dOut, out);
    }

    @Override public void logSoftmax(Tensor out, Tensor in) { SoftmaxCpu.logSoftmax(parallel, out, in); }

    @Override public void logSoftmaxBackward(Tensor dIn, Tensor dOut, Tensor out) {
        SoftmaxCpu.logSoftmaxBackward(parallel, dIn, dOut, out);
    }

    @Override public void layerNorm(Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma, Tensor beta,
                                    float eps) {
        LayerNormCpu.forward(parallel, out, mean, rstd, in, gamma, beta, eps);
    }

    @Override public void layerNormBackward(Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in,
                                            Tensor mean, Tensor rstd, Tensor gamma) {
        LayerNormCpu.backward(parallel, dIn, dGamma, dBeta, dOut, in, mean, rstd, gamma);
    }

    @Override public double mse(Tensor pred, Tensor target) { return LossCpu.mse(parallel, pred, target); }

    @Override public void mseBackward(Tensor dPred, Tensor pred, Tensor target, float dLoss) {
        LossCpu.mseBackward(parallel, dPred, pred, target, dLoss);
    }

    @Override public double crossEntropy(Tensor logits, int[] labels) {
        return LossCpu.crossEntropy(parallel, logits, labels);
    }

    @Override public void crossEntropyBackward(Tensor dLogits, Tensor logits, int[] labels, float dLoss) {
        LossCpu.crossEntropyBackward(parallel, dLogits, logits, labels, dLoss);
    }

    @Override public void fourierForward(Tensor out, Tensor x, Tensor w, float scale) {
        FourierCpu.forward(parallel, out, x, w, scale);
    }

    @Override public void fourierBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        FourierCpu.backward(parallel, dx, dw, dOut, x, w, scale);
    }

    @Override public void fourierBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor out,
                                          float scale) {
        FourierCpu.backward(parallel, dx, dw, dOut, x, w, out, scale);
    }

    @Override public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        AdamCpu.step(parallel, param, grad, m, v, config, step);
    }

    @Override public void toeplitzMultiply(Tensor out, Tensor w, Tensor x) { ToeplitzCpu.multiply(parallel, out, w, x); }

    @Override public void toeplitzWeightGradAccumulate(Tensor dw, Tensor dOut, Tensor x) {
        ToeplitzCpu.weightGradAccumulate(parallel, dw, dOut, x);
    }

    @Override public void toeplitzBackward(Tensor y, Tensor dx, Tensor dw, Tensor w, Tensor wRev, Tensor x, Tensor dOut) {
        ToeplitzCpu.backward(parallel, y, dx, dw, w, wRev, x, dOut);
    }

    /** This backend is its own attention family: {@link AttentionCpu}. */
    @Override public AttentionKernels attention() { return this; }

    @Override public void attentionForward(Tensor out, Tensor logsumexp, Tensor q, Tensor k, Tensor v, float scale) {
        AttentionCpu.forward(parallel, out, logsumexp, q, k, v, scale);
    }

    @Override public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor logsumexp,
                                            Tensor q, Tensor k, Tensor v, float scale) {
        AttentionCpu.backward(parallel, dq, dk, dv, dOut, out, logsumexp, q, k, v, scale);
    }

    /** Convolution, pooling and batch norm: {@link ConvCpu}, {@link DepthwiseCpu}, {@link PoolCpu}, {@link BatchNormCpu}. */
    @Override public ConvKernels conv() { return conv; }

    /** The sparse family: {@link SparseCpu}, row-parallel over the CSR. */
    @Override public SparseKernels sparse() { return sparse; }

    @Override public void close() {
        parallel.close();
        conv.close();
    }
}
