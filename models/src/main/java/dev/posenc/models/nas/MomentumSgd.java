package dev.posenc.models.nas;

import dev.posenc.core.Tensor;
import dev.posenc.models.nn.ParameterStore;

/**
 * SGD with momentum and L2 weight decay, after clipping the gradient's global norm (DARTS's weight optimiser:
 * {@code torch.optim.SGD(momentum=0.9, weight_decay=3e-4)} after {@code clip_grad_norm_(5)}):
 * <pre>
 *   g ← g·min(1, clip/‖g‖);   g ← g + wd·θ;   v ← μ·v + g;   θ ← θ − lr·v
 * </pre>
 * Host loops over the store's one trainable slab: a toy supernet has ~10⁴ weights, a microsecond's work.
 */
final class MomentumSgd {
    private final ParameterStore store;
    private final float momentum, weightDecay, clip;
    private final float[] velocity;

    MomentumSgd(ParameterStore store, float momentum, float weightDecay, float clip) {
        this.store = store;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.clip = clip;
        this.velocity = new float[(int) store.trainableValues().size()];
    }

    /** DARTS's settings: μ = 0.9, wd = 3·10⁻⁴, clip 5. */
    static MomentumSgd darts(ParameterStore store) { return new MomentumSgd(store, 0.9f, 3e-4f, 5f); }

    /** One update at learning rate {@code lr} from the gradients now in the store. */
    void step(float lr) {
        Tensor theta = store.trainableValues(), grad = store.grads();
        double sq = 0;
        for (int i = 0; i < velocity.length; i++) sq += (double) grad.get(i) * grad.get(i);
        float scale = (float) Math.min(1, clip / (Math.sqrt(sq) + 1e-6));
        for (int i = 0; i < velocity.length; i++) {
            float t = theta.get(i), g = grad.get(i) * scale + weightDecay * t;
            velocity[i] = momentum * velocity[i] + g;
            theta.set(i, t - lr * velocity[i]);
        }
    }

    /** Forgets the momentum (DARTS-PT resets the weight optimiser before projecting). */
    void reset() { java.util.Arrays.fill(velocity, 0f); }
}
