package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.optim.Adam;

/**
 * The training loops of the DARTS toy on one reused {@link Tape}: first-order bi-level search (Liu et al. 2019,
 * Alg. 1 with ξ = 0), plain training of a discrete network, and accuracy with batch statistics.
 * <pre>
 *   search step:  α ← Adam(∇_α L_val(w, α))  on a validation batch;   then  w ← SGD(∇_w L_train(w, α))  on a training batch
 * </pre>
 * Learning rates follow a cosine from lr to lrMin over the whole run, step by step.
 */
final class NasTrainer implements AutoCloseable {
    /** DARTS's architecture optimiser: Adam with β = (0.5, 0.999) and weight decay 10⁻³ (L2, inside the moments). */
    static AdamConfig archConfig(float lr) { return new AdamConfig(lr, 0.5f, 0.999f, 1e-8f, 1e-3f, false); }

    /** Called after each step: steps done in this phase and the training loss. */
    @FunctionalInterface
    interface StepListener {
        void step(int done, double loss);
    }

    /** The weight learning rate at step t of T: lrMin + (lr − lrMin)·(1 + cos(πt/T))/2. */
    record Cosine(float lr, float lrMin, int total) {
        float at(int t) { return (float) (lrMin + (lr - lrMin) * (1 + Math.cos(Math.PI * Math.min(t, total) / total)) / 2); }
    }

    private final Backend backend;
    private final Tape tape;
    private final int batch;

    NasTrainer(Backend backend, int batch, boolean checkFinite) {
        this.backend = backend;
        this.tape = new Tape(backend, checkFinite);
        this.batch = batch;
    }

    /**
     * One pass over {@code train}: each step a weight update and, when {@code arch} and {@code archAdam} are given
     * (search), first an α update on the next validation batch. Steps number from {@code stepOffset} for the
     * learning rate. Returns the mean training loss.
     */
    double epoch(CellNet net, MomentumSgd sgd, Cosine lr, int stepOffset, Batches train, ArchWeights arch, Adam archAdam,
                 Batches val, Rng rng, StepListener listener) {
        train.shuffle(rng);
        if (val != null) val.shuffle(rng);
        int steps = train.batchesPerPass(batch);
        double lossSum = 0;
        int[] labels = new int[batch];
        for (int s = 0; s < steps; s++) {
            if (archAdam != null) {
                tape.reset();
                Tensor images = tape.alloc(Shape.of(batch, 1, val.side(), val.side()));
                val.fill(s % val.batchesPerPass(batch), batch, images, labels);
                arch.store().zeroGrad();
                Var loss = Losses.crossEntropy(tape, net.forward(tape, tape.constant(images), arch.weights(tape)), labels);
                tape.backward(loss);
                archAdam.step(backend);
            }
            tape.reset();
            Tensor images = tape.alloc(Shape.of(batch, 1, train.side(), train.side()));
            train.fill(s, batch, images, labels);
            net.store().zeroGrad();
            Var[] w = arch == null ? null : arch.weights(tape);
            Var loss = Losses.crossEntropy(tape, net.forward(tape, tape.constant(images), w), labels);
            tape.backward(loss);
            sgd.step(lr.at(stepOffset + s));
            double l = loss.value().get(0);
            if (!Double.isFinite(l)) throw new ArithmeticException("nas: the training loss diverged (%s) at step %d".formatted(l, stepOffset + s));
            lossSum += l;
            if (listener != null) listener.step(s + 1, l);
        }
        return lossSum / steps;
    }

    /** Accuracy on {@code data} with batch statistics, candidate {@code maskOp} of edge {@code maskEdge} removed (−1: none). */
    double accuracy(CellNet net, ArchWeights arch, Batches data, int maskEdge, int maskOp) {
        int correct = 0;
        try (var _ = tape.noGrad()) {
            for (int b = 0; b < data.evalBatches(batch); b++) {
                tape.reset();
                int n = data.evalBatchSize(b, batch);
                Tensor images = tape.alloc(Shape.of(n, 1, data.side(), data.side()));
                int[] labels = new int[n];
                data.fill(b, batch, images, labels);
                Var[] w = arch == null ? null : arch.weights(tape, maskEdge, maskOp);
                Tensor logits = net.forward(tape, tape.constant(images), w).value();
                for (int i = 0; i < n; i++) if (argmax(logits, i) == labels[i]) correct++;
            }
        }
        return (double) correct / data.size();
    }

    private static int argmax(Tensor logits, int row) {
        int best = 0;
        for (int c = 1; c < logits.cols(); c++) if (logits.get(row, c) > logits.get(row, best)) best = c;
        return best;
    }

    @Override public void close() { tape.close(); }
}
