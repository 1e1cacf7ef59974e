package dev.posenc.kernels;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scalar losses and their gradients.
 *
 * <pre>
 *   mse = Σ (pred − target)² / n                       dPred   += dLoss · 2(pred − target) / n
 *   ce  = (1/R) Σ_r [logsumexp(x_r) − x_r[label_r]]     dLogits += dLoss · (softmax(x) − onehot(label)) / R
 * </pre>
 *
 * Cross entropy takes logits (R, C) (any rank: R rows of the last axis), as PyTorch's cross_entropy, and
 * reuses {@link SoftmaxCpu}'s max-shifted row pieces, so no exp overflows. Both losses are summed in double
 * over a fixed partition (per-row losses, or element blocks of {@link #MSE_BLOCK}) that does not depend on
 * the thread count, then added in order, so the thread count does not change the summation order. An
 * empty input gives NaN (0/0), as torch's mean of nothing. Twins: {@code mseScalar}, {@code mseBackwardScalar},
 * {@code crossEntropyScalar}, {@code crossEntropyBackwardScalar}.
 */
public final class LossCpu {
    private LossCpu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Elements per mse task; fixed, so the summation order never depends on the thread count. */
    static final long MSE_BLOCK = 1 << 15;
    /** Squares are summed in float lanes over at most this many elements, then flushed into double. */
    private static final int FLUSH = 64 * L;
    /** An element-wise task gets at least this many elements. */
    private static final long MIN_TASK_ELEMENTS = 1 << 14;

    // ---------------------------------------------------------------- mean squared error

    /** mean((pred − target)²) over every element, accumulated in double. Reads only. */
    public static double mse(Parallel p, Tensor pred, Tensor target) {
        Shapes.same("mse", "target", pred, target);
        MemorySegment a = pred.data(), b = target.data();
        long n = pred.size();
        int blocks = (int) Math.max(1, (n + MSE_BLOCK - 1) / MSE_BLOCK);
        double[] partial = new double[blocks];
        p.forEach(blocks, k -> partial[k] = squaredErrors(a, b, k * MSE_BLOCK, Math.min(n, (k + 1) * MSE_BLOCK)));
        double sum = 0;
        for (double s : partial) sum += s;
        return sum / n;
    }

    /** Scalar twin of {@link #mse}. */
    public static double mseScalar(Tensor pred, Tensor target) {
        Shapes.same("mse", "target", pred, target);
        return squaredErrorsScalar(pred.data(), target.data(), 0, pred.size(), 0) / pred.size();
    }

    /** Σ (a − b)² over elements [from, to). */
    private static double squaredErrors(MemorySegment a, MemorySegment b, long from, long to) {
        double sum = 0;
        long i = from;
        for (; i + FLUSH <= to; i += FLUSH) {
            FloatVector acc = FloatVector.zero(S);
            for (long j = i; j < i + FLUSH; j += L) {
                FloatVector d = FloatVector.fromMemorySegment(S, a, j * Float.BYTES, BO)
                        .sub(FloatVector.fromMemorySegment(S, b, j * Float.BYTES, BO));
                acc = d.fma(d, acc);
            }
            sum += Lanes.sum(acc);
        }
        return squaredErrorsScalar(a, b, i, to, sum);
    }

    private static double squaredErrorsScalar(MemorySegment a, MemorySegment b, long from, long to, double sum) {
        for (long i = from; i < to; i++) {
            float d = a.getAtIndex(F, i) - b.getAtIndex(F, i);
            sum += (double) d * d;
        }
        return sum;
    }

    /** dPred += dLoss · 2(pred − target)/n. Modifies dPred only. */
    public static void mseBackward(Parallel p, Tensor dPred, Tensor pred, Tensor target, float dLoss) {
        checkMseBackward(dPred, pred, target);
        MemorySegment d = dPred.data(), a = pred.data(), b = target.data();
        float k = (float) (2.0 * dLoss / pred.size());
        p.forRange(pred.size(), MIN_TASK_ELEMENTS, (from, to) -> scaledDifference(d, a, b, from, to, k));
    }

    /** Scalar twin of {@link #mseBackward}. */
    public static void mseBackwardScalar(Tensor dPred, Tensor pred, Tensor target, float dLoss) {
        checkMseBackward(dPred, pred, target);
        float k = (float) (2.0 * dLoss / pred.size());
        scaledDifferenceScalar(dPred.data(), pred.data(), target.data(), 0, pred.size(), k);
    }

    /** d += k·(a − b) over elements [from, to). */
    private static void scaledDifference(MemorySegment d, MemorySegment a, MemorySegment b, long from, long to,
                                         float k) {
        FloatVector vk = FloatVector.broadcast(S, k);
        long i = from;
        for (; i + L <= to; i += L) {
            long at = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, a, at, BO).sub(FloatVector.fromMemorySegment(S, b, at, BO))
                    .fma(vk, FloatVector.fromMemorySegment(S, d, at, BO)).intoMemorySegment(d, at, BO);
        }
        scaledDifferenceScalar(d, a, b, i, to, k);
    }

    private static void scaledDifferenceScalar(MemorySegment d, MemorySegment a, MemorySegment b, long from, long to,
                                               float k) {
        for (long i = from; i < to; i++) {
            d.setAtIndex(F, i, Math.fma(a.getAtIndex(F, i) - b.getAtIndex(F, i), k, d.getAtIndex(F, i)));
        }
    }

    // ---------------------------------------------------------------- cross entropy

    /** Mean over rows of −log softmax(logits[r])[labels[r]], in double. Reads only. */
    public static double crossEntropy(Parallel p, Tensor logits, int[] labels) {
        checkLabels("crossEntropy", logits, labels);
        MemorySegment x = logits.data();
        int rows = logits.rows(), c = logits.cols();
        double[] rowLoss = new double[rows];
        p.forRange(rows, SoftmaxCpu.minRows(c), (from, to) -> {
            float[] lanes = Lanes.scratch();
            for (int r = (int) from; r < to; r++) {
                long base = (long) r * c * Float.BYTES;
                float m = SoftmaxCpu.max(x, base, c);
                float atLabel = x.get(F, base + (long) labels[r] * Float.BYTES);
                rowLoss[r] = rowLoss(SoftmaxCpu.sumExp(x, base, c, m, lanes), atLabel, m);
            }
        });
        double sum = 0;
        for (double l : rowLoss) sum += l;
        return sum / rows;
    }

    /** Scalar twin of {@link #crossEntropy}. */
    public static double crossEntropyScalar(Tensor logits, int[] labels) {
        checkLabels("crossEntropy", logits, labels);
        MemorySegment x = logits.data();
        int rows = logits.rows(), c = logits.cols();
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            long base = (long) r * c * Float.BYTES;
            float m = SoftmaxCpu.maxScalar(x, base, 0, c, Float.NEGATIVE_INFINITY);
            float atLabel = x.get(F, base + (long) labels[r] * Float.BYTES);
            sum += rowLoss(SoftmaxCpu.sumExpScalar(x, base, 0, c, m, 0), atLabel, m);
        }
        return sum / rows;
    }

    /**
     * logsumexp(x) − x[label] = log Σ exp(x − m) − (x[label] − m): both terms shifted by the row max m, so a
     * confident row (x[label] = m) gives log(sum) ≥ 0 without cancelling two large numbers.
     */
    private static double rowLoss(double sumExp, float atLabel, float m) {
        return Math.log(sumExp) - (atLabel - m);
    }

    /** dLogits += dLoss · (softmax(logits) − onehot(labels)) / R. Modifies dLogits only. */
    public static void crossEntropyBackward(Parallel p, Tensor dLogits, Tensor logits, int[] labels, float dLoss) {
        checkLabels("crossEntropyBackward", logits, labels);
        Shapes.same("crossEntropyBackward", "dLogits", logits, dLogits);
        MemorySegment dx = dLogits.data(), x = logits.data();
        int rows = logits.rows(), c = logits.cols();
        float k = (float) ((double) dLoss / rows);
        p.forRange(rows, SoftmaxCpu.minRows(c), (from, to) -> {
            float[] lanes = Lanes.scratch();
            for (int r = (int) from; r < to; r++) {
                long base = (long) r * c * Float.BYTES;
                float m = SoftmaxCpu.max(x, base, c);
                addScaledSoftmax(dx, x, base, c, m, (float) (k / SoftmaxCpu.sumExp(x, base, c, m, lanes)));
                subtractAtLabel(dx, base, labels[r], k);
            }
        });
    }

    /** Scalar twin of {@link #crossEntropyBackward}. */
    public static void crossEntropyBackwardScalar(Tensor dLogits, Tensor logits, int[] labels, float dLoss) {
        checkLabels("crossEntropyBackward", logits, labels);
        Shapes.same("crossEntropyBackward", "dLogits", logits, dLogits);
        MemorySegment dx = dLogits.data(), x = logits.data();
        int rows = logits.rows(), c = logits.cols();
        float k = (float) ((double) dLoss / rows);
        for (int r = 0; r < rows; r++) {
            long base = (long) r * c * Float.BYTES;
            float m = SoftmaxCpu.maxScalar(x, base, 0, c, Float.NEGATIVE_INFINITY);
            float s = (float) (k / SoftmaxCpu.sumExpScalar(x, base, 0, c, m, 0));
            addScaledSoftmaxScalar(dx, x, base, 0, c, m, s);
            subtractAtLabel(dx, base, labels[r], k);
        }
    }

    /** dx += exp(x − m)·s over the row: s = k / Σ exp(x − m) makes it k·softmax(x). */
    private static void addScaledSoftmax(MemorySegment dx, MemorySegment x, long base, int c, float m, float s) {
        int bound = S.loopBound(c);
        FloatVector vm = FloatVector.broadcast(S, m), vs = FloatVector.broadcast(S, s);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector e = Exp.exp(FloatVector.fromMemorySegment(S, x, at, BO).sub(vm));
            e.fma(vs, FloatVector.fromMemorySegment(S, dx, at, BO)).intoMemorySegment(dx, at, BO);
        }
        addScaledSoftmaxScalar(dx, x, base, bound, c, m, s);
    }

    private static void addScaledSoftmaxScalar(MemorySegment dx, MemorySegment x, long base, int from, int to,
                                               float m, float s) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            float e = Exp.expScalar(x.get(F, at) - m);
            dx.set(F, at, Math.fma(e, s, dx.get(F, at)));
        }
    }

    private static void subtractAtLabel(MemorySegment dx, long base, int label, float k) {
        long at = base + (long) label * Float.BYTES;
        dx.set(F, at, dx.get(F, at) - k);
    }

    // ---------------------------------------------------------------- argument checks

    private static void checkMseBackward(Tensor dPred, Tensor pred, Tensor target) {
        Shapes.same("mseBackward", "target", pred, target);
        Shapes.same("mseBackward", "dPred", pred, dPred);
    }

    private static void checkLabels(String op, Tensor logits, int[] labels) {
        int rows = logits.rows(), c = logits.cols();
        // messages formatted on failure only: this runs on every training step
        if (labels == null) Shapes.require(false, op, "labels", "an int[%d]".formatted(rows), "null");
        if (labels.length != rows) {
            Shapes.require(false, op, "labels", "%d entries (one per row of logits %s)".formatted(rows, logits.shape()),
                    labels.length + " entries");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= c) Shapes.require(false, op, "labels[" + i + "]", "a class in [0, %d)".formatted(c),
                    label);
        }
    }
}
