package dev.posenc.bench;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.AttentionKernels;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.RunLayout;
import dev.posenc.core.SparseKernels;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.core.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Backend} that forwards every call to another and clocks its matrix products: the nanoseconds spent in
 * {@code matmul} and {@code batchedMatmul} since the last {@link #restart()}, and the list of those calls (form,
 * shapes, accumulate) so that {@link StepBench} can replay the same products alone. Benchmarks only: the two
 * {@code System.nanoTime} calls per product cost about 50 ns against products of 0.1 to 10 ms.
 */
final class ProductTimingBackend implements Backend, AttentionKernels {
    /** One product of a step: its form, operand shapes (as dims) and whether it accumulated. */
    record Call(boolean batched, MatmulForm form, int[] out, int[] a, int[] b, boolean accumulate) {}

    private final Backend inner;
    private final List<Call> calls = new ArrayList<>();
    private long productNanos;

    ProductTimingBackend(Backend inner) { this.inner = inner; }

    /** Forgets the calls and time recorded so far (call before each step). */
    void restart() {
        calls.clear();
        productNanos = 0;
    }

    long productNanos() { return productNanos; }

    List<Call> calls() { return List.copyOf(calls); }

    @Override public void matmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        long t0 = System.nanoTime();
        inner.matmul(out, a, b, form, accumulate);
        productNanos += System.nanoTime() - t0;
        calls.add(new Call(false, form, out.shape().dims(), a.shape().dims(), b.shape().dims(), accumulate));
    }

    @Override public void batchedMatmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate) {
        long t0 = System.nanoTime();
        inner.batchedMatmul(out, a, b, form, accumulate);
        productNanos += System.nanoTime() - t0;
        calls.add(new Call(true, form, out.shape().dims(), a.shape().dims(), b.shape().dims(), accumulate));
    }

    /** A linear layer with GELU in the epilogue: clocked (GELU included) and replayed as its NT product. */
    @Override public void linearGelu(Tensor y, Tensor kept, Tensor x, Tensor w, Tensor b) {
        long t0 = System.nanoTime();
        inner.linearGelu(y, kept, x, w, b);
        productNanos += System.nanoTime() - t0;
        calls.add(new Call(false, MatmulForm.NT, y.shape().dims(), x.shape().dims(), w.shape().dims(), false));
    }

    /** A linear layer's product with its bias (and ReLU) in the epilogue: clocked and replayed as its NT product. */
    @Override public void linear(Tensor y, Tensor x, Tensor w, Tensor b, boolean relu) {
        long t0 = System.nanoTime();
        inner.linear(y, x, w, b, relu);
        productNanos += System.nanoTime() - t0;
        calls.add(new Call(false, MatmulForm.NT, y.shape().dims(), x.shape().dims(), w.shape().dims(), false));
    }

    // Everything else is forwarded unchanged.
    @Override public String name() { return inner.name(); }
    @Override public int threads() { return inner.threads(); }
    @Override public String describe() { return inner.describe(); }
    @Override public AttentionKernels attention() { return this; }
    @Override public TensorMemory memory() { return inner.memory(); }
    @Override public SparseKernels sparse() { return inner.sparse(); }
    @Override public void copyRuns(Tensor dst, Tensor src, RunLayout layout, boolean accumulate) {
        inner.copyRuns(dst, src, layout, accumulate);
    }
    @Override public void add(Tensor out, Tensor a, Tensor b) { inner.add(out, a, b); }
    @Override public void sub(Tensor out, Tensor a, Tensor b) { inner.sub(out, a, b); }
    @Override public void mul(Tensor out, Tensor a, Tensor b) { inner.mul(out, a, b); }
    @Override public void addRowBroadcast(Tensor out, Tensor a, Tensor row) { inner.addRowBroadcast(out, a, row); }
    @Override public void scale(Tensor out, Tensor a, float s) { inner.scale(out, a, s); }
    @Override public void axpy(Tensor y, float alpha, Tensor x) { inner.axpy(y, alpha, x); }
    @Override public void fill(Tensor out, float value) { inner.fill(out, value); }
    @Override public void unary(UnaryOp f, Tensor out, Tensor in) { inner.unary(f, out, in); }
    @Override public void unaryBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out) {
        inner.unaryBackward(f, dIn, dOut, in, out);
    }
    @Override public void unaryBackward(UnaryOp f, Tensor dIn, Tensor dOut, Tensor in, Tensor out, boolean accumulate) {
        inner.unaryBackward(f, dIn, dOut, in, out, accumulate);
    }
    @Override public void biasRelu(Tensor y, Tensor z, Tensor b) { inner.biasRelu(y, z, b); }
    @Override public void linearGeluBackward(Tensor dh, Tensor dy, Tensor kept, Tensor y, boolean accumulate) {
        inner.linearGeluBackward(dh, dy, kept, y, accumulate);
    }
    @Override public void biasReluBackward(Tensor dz, Tensor db, Tensor dy, Tensor y, boolean accumulate) {
        inner.biasReluBackward(dz, db, dy, y, accumulate);
    }
    @Override public void sumRows(Tensor out, Tensor in, float scale, boolean accumulate) {
        inner.sumRows(out, in, scale, accumulate);
    }
    @Override public void sumCols(Tensor out, Tensor in, float scale, boolean accumulate) {
        inner.sumCols(out, in, scale, accumulate);
    }
    @Override public double sum(Tensor in) { return inner.sum(in); }
    @Override public boolean allFinite(Tensor in) { return inner.allFinite(in); }
    @Override public void softmax(Tensor out, Tensor in) { inner.softmax(out, in); }
    @Override public void softmaxBackward(Tensor dIn, Tensor dOut, Tensor out) { inner.softmaxBackward(dIn, dOut, out); }
    @Override public void logSoftmax(Tensor out, Tensor in) { inner.logSoftmax(out, in); }
    @Override public void logSoftmaxBackward(Tensor dIn, Tensor dOut, Tensor out) {
        inner.logSoftmaxBackward(dIn, dOut, out);
    }
    @Override public void layerNorm(Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma, Tensor beta,
                                    float eps) {
        inner.layerNorm(out, mean, rstd, in, gamma, beta, eps);
    }
    @Override public void layerNormBackward(Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in,
                                            Tensor mean, Tensor rstd, Tensor gamma) {
        inner.layerNormBackward(dIn, dGamma, dBeta, dOut, in, mean, rstd, gamma);
    }
    @Override public double mse(Tensor pred, Tensor target) { return inner.mse(pred, target); }
    @Override public void mseBackward(Tensor dPred, Tensor pred, Tensor target, float dLoss) {
        inner.mseBackward(dPred, pred, target, dLoss);
    }
    @Override public double crossEntropy(Tensor logits, int[] labels) { return inner.crossEntropy(logits, labels); }
    @Override public void crossEntropyBackward(Tensor dLogits, Tensor logits, int[] labels, float dLoss) {
        inner.crossEntropyBackward(dLogits, logits, labels, dLoss);
    }
    @Override public void fourierForward(Tensor out, Tensor x, Tensor w, float scale) {
        inner.fourierForward(out, x, w, scale);
    }
    @Override public void fourierBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        inner.fourierBackward(dx, dw, dOut, x, w, scale);
    }
    @Override public void fourierBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor out,
                                          float scale) {
        inner.fourierBackward(dx, dw, dOut, x, w, out, scale);
    }
    @Override public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        inner.adamStep(param, grad, m, v, config, step);
    }
    @Override public void toeplitzMultiply(Tensor out, Tensor w, Tensor x) { inner.toeplitzMultiply(out, w, x); }
    @Override public void toeplitzWeightGradAccumulate(Tensor dw, Tensor dOut, Tensor x) {
        inner.toeplitzWeightGradAccumulate(dw, dOut, x);
    }
    @Override public void attentionForward(Tensor out, Tensor logsumexp, Tensor q, Tensor k, Tensor v, float scale) {
        inner.attention().attentionForward(out, logsumexp, q, k, v, scale);
    }
    @Override public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out,
                                            Tensor logsumexp, Tensor q, Tensor k, Tensor v, float scale) {
        inner.attention().attentionBackward(dq, dk, dv, dOut, out, logsumexp, q, k, v, scale);
    }
    @Override public void close() { inner.close(); }
}
