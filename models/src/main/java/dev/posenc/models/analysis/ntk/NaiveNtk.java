package dev.posenc.models.analysis.ntk;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.nn.ParameterStore;

import java.lang.foreign.Arena;

/**
 * The empirical NTK the slow, obvious way, as the reference for {@link StructuredNtk}: one backward pass through
 * the autograd tape per point gives row i of the Jacobian J (N, P), J_i = ∂f(x_i)/∂θ over every trainable
 * parameter (the store's flat gradient slab, alignment padding included: it is zero and adds nothing), then
 * K = J·Jᵀ in the engine's matmul. N²·P multiply-adds and N·P floats of memory (1.1 GB for N = 1024 and the
 * Gaussian model): for tests and the benchmark's comparison, not for the CLI.
 */
public final class NaiveNtk {
    private NaiveNtk() {}

    /**
     * out (N, N) = J·Jᵀ of {@code net} at positions (N, M). Overwrites the model's gradients (they end as
     * ∂f(x_{N−1})/∂θ); modifies out.
     */
    public static void compute(Backend be, NtkNetwork net, Tensor positions, Tensor out) {
        int n = positions.rows();
        ParameterStore store = net.store();
        Tensor grads = store.grads();
        int p = Math.toIntExact(grads.size());
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(be)) {
            Tensor jacobian = Tensor.zeros(arena, Shape.of(n, p));
            jacobian(be, net, tape, positions, jacobian);
            be.matmul(out, jacobian, jacobian, MatmulForm.NT, false);
        }
    }

    /** J (N, P): row i = ∂f(x_i)/∂θ, from one tape backward per point. Modifies jacobian and the model's gradients. */
    static void jacobian(Backend be, NtkNetwork net, Tape tape, Tensor positions, Tensor jacobian) {
        ParameterStore store = net.store();
        Tensor grads = store.grads();
        for (int i = 0; i < positions.rows(); i++) {
            tape.reset();
            store.zeroGrad();
            Var out = net.forward(tape, tape.constant(positions.rowRange(i, i + 1)));
            Tensor seed = tape.alloc(out.shape());
            seed.set(0, NtkNetwork.CHANNEL, 1f);                 // ∂f/∂out: f is channel CHANNEL
            tape.backward(out, seed);
            jacobian.rowRange(i, i + 1).copyFrom(grads.reshape(1, Math.toIntExact(grads.size())));
        }
    }
}
