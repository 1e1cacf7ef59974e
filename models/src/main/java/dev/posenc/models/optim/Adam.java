package dev.posenc.models.optim;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.models.nn.ParameterStore;


/**
 * Adam (Kingma and Ba 2015; torch.optim.Adam's arithmetic) over every trainable tensor of a
 * {@link ParameterStore} at once: the store keeps its trainable values and gradients each in one contiguous
 * slab, so a step is ONE call of the backend's fused {@code adamStep} over the whole model (llm.c's single
 * optimizer loop). The moments m and v are one slab each, owned here. Fixed buffers are not touched.
 *
 * <pre>{@code
 * try (Adam adam = new Adam(model.store(), AdamConfig.adam(1e-3f))) {
 *     for (...) { model.store().zeroGrad(); ...forward, backward...; adam.step(backend); }
 * }
 * }</pre>
 */
public final class Adam implements AutoCloseable {
    private final ParameterStore store;
    private final TensorMemory.Region region;   // in the store's memory: the moments live where the weights do
    private final Tensor m, v;
    private AdamConfig config;
    private int steps;

    /**
     * Moments start at zero, as in torch. The store must be allocated, and placed ({@link ParameterStore#placeOn})
     * where it will train: the moments are allocated in the store's memory.
     */
    public Adam(ParameterStore store, AdamConfig config) {
        this.store = store;
        this.config = config;
        Tensor values = store.trainableValues();
        region = store.memory().region();
        m = region.zeros(values.shape());
        v = region.zeros(values.shape());
    }

    /**
     * Moves {@code store} into {@code memory} (a backend's: {@link ParameterStore#placeOn}) and makes its optimiser
     * there: how a trainer starts, so weights, gradients and moments all live where the kernels run.
     */
    public static Adam placed(ParameterStore store, TensorMemory memory, AdamConfig config) {
        store.placeOn(memory);
        return new Adam(store, config);
    }

    /**
     * Applies one update from the gradients now in the store (the step counter, used by the bias
     * corrections, goes up by one first). Modifies the trainable values and the moments; reads the gradients.
     */
    public void step(Backend backend) {
        if (store.trainableValues().size() == 0) {   // e.g. a model of only fixed buffers: nothing to update
            steps++;
            return;
        }
        backend.adamStep(store.trainableValues(), store.grads(), m, v, config, ++steps);
    }

    /** Updates taken so far. */
    public int steps() { return steps; }

    /** m, in the layout of {@link ParameterStore#trainableValues()}: read it, or overwrite it to restore a state. */
    public Tensor firstMoment() { return m; }

    /** v, in the same layout as {@link #firstMoment()}. */
    public Tensor secondMoment() { return v; }

    /** Sets the update counter (the bias corrections read it), when restoring a checkpoint with its moments. */
    public void restoreSteps(int steps) {
        if (steps < 0) throw new IllegalArgumentException("adam: steps: expected >= 0, got " + steps);
        this.steps = steps;
    }

    public AdamConfig config() { return config; }

    public float learningRate() { return config.lr(); }

    /** Changes the learning rate for later steps (a schedule); the moments are kept. */
    public void setLearningRate(float lr) {
        config = new AdamConfig(lr, config.beta1(), config.beta2(), config.eps(), config.weightDecay(),
                config.decoupledWeightDecay());
    }

    @Override public void close() { region.close(); }
}
