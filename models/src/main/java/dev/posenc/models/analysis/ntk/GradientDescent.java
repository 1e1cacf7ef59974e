package dev.posenc.models.analysis.ntk;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Tensor;
import dev.posenc.models.nn.ParameterStore;

/**
 * Plain full-batch gradient descent on f of an {@link NtkNetwork}, the optimiser under which the NTK's linear
 * prediction is exact for a model linear in its parameters:
 * <pre>
 *   L(θ) = (1/2N) Σ_i (f(x_i) − y_i)²,    θ ← θ − η ∇L = θ − (η/N) Jᵀ r,    r = f − y
 *   so, linearised, r ← r − (η/N) J Jᵀ r = (I − (η/N) K) r
 * </pre>
 * One step is one forward and one backward on a reused tape, seeded with ∂L/∂out = r/N in column
 * {@link NtkNetwork#CHANNEL} (the other channels get no gradient and never move).
 */
public final class GradientDescent implements AutoCloseable {
    private final Backend backend;
    private final NtkNetwork net;
    private final Tensor positions;
    private final float[] target;
    private final Tape tape;

    /** Trains {@code net} on (positions (N, M), target (N)); keeps references to both. */
    public GradientDescent(Backend backend, NtkNetwork net, Tensor positions, float[] target) {
        if (target.length != positions.rows()) throw new IllegalArgumentException(
                "gd: target: expected %d values, got %d".formatted(positions.rows(), target.length));
        this.backend = backend;
        this.net = net;
        this.positions = positions;
        this.target = target.clone();
        this.tape = new Tape(backend);
    }

    /**
     * One step with rate η; residual (N) receives r = f − y before the step. Returns L before the step.
     * Modifies the model's parameters and gradients, and residual.
     */
    public double step(float eta, double[] residual) {
        int n = target.length;
        tape.reset();
        net.store().zeroGrad();
        Var out = net.forward(tape, tape.constant(positions));
        Tensor seed = tape.alloc(out.shape());
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double r = out.value().get(i, NtkNetwork.CHANNEL) - target[i];
            residual[i] = r;
            loss += r * r;
            seed.set(i, NtkNetwork.CHANNEL, (float) (r / n));     // ∂L/∂f_i
        }
        tape.backward(out, seed);
        ParameterStore store = net.store();
        backend.axpy(store.trainableValues(), -eta, store.grads());
        return loss / (2 * n);
    }

    /** r = f − y at the current parameters, without a step. Modifies residual only. */
    public void residual(double[] residual) {
        tape.reset();
        try (var _ = tape.noGrad()) {
            Tensor f = net.forward(tape, tape.constant(positions)).value();
            for (int i = 0; i < target.length; i++) residual[i] = f.get(i, NtkNetwork.CHANNEL) - target[i];
        }
    }

    @Override public void close() { tape.close(); }
}
