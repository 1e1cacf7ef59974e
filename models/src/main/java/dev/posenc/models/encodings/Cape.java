package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.models.nn.ParameterStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cape1d} and {@code cape2d}: continuous augmented positional embeddings (Likhomanenko et al. 2021,
 * spec §4). The features are a fixed sinusoid of augmented positions, PE(x') with x' from
 * {@link CapeAugmentation}: {@code cape1d} uses {@link Sine1d} (Vaswani's sinusoid), {@code cape2d} uses
 * {@link Sine2d} (DETR's). So with augmentation off and no normalisation, cape1d is sine1d and cape2d is sine2d,
 * bit for bit (tests). The 2-D reference code instead draws its frequencies in pseudo-random directions
 * (ρ_k·(cos k, sin k), spec §4.2); here the sinusoid is the baseline's own, so that the comparison isolates what
 * CAPE adds: the augmentation.
 *
 * <p>Modes: {@link #apply} evaluates (normalisation only, deterministic); {@link #applyTraining} augments each
 * sequence of the batch with draws from the Rng passed in. Positions are constants (no gradient flows to them).
 */
final class Cape implements AugmentedEncoding {
    private final String name;
    private final Encoding sinusoid;
    private final CapeAugmentation augmentation;

    Cape(int dims, EncodingParams p, ParameterStore store) {
        name = dims == 1 ? "cape1d" : "cape2d";
        Require.that(p.positionDims() == dims, name, "positionDims", Integer.toString(dims), p.positionDims());
        augmentation = CapeAugmentation.of(name, p);
        sinusoid = dims == 1 ? new Sine1d(name, p, store) : new Sine2d(p, store);
    }

    @Override public String name() { return name; }

    @Override public int inputDims() { return sinusoid.inputDims(); }

    @Override public int outputDims() { return sinusoid.outputDims(); }

    @Override public List<ParameterStore.Parameter> parameters() { return sinusoid.parameters(); }

    public CapeAugmentation augmentation() { return augmentation; }

    @Override public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>(sinusoid.config());
        c.put("encoding", name);
        c.put("cape_global_shift", Double.toString(augmentation.globalShift()));
        c.put("cape_local_shift", Double.toString(augmentation.localShift()));
        c.put("cape_global_scaling", Double.toString(augmentation.globalScaling()));
        c.put("cape_normalize", Boolean.toString(augmentation.normalize()));
        return c;
    }

    @Override public Var apply(Tape tape, Var positions) {
        checkShape(positions);
        if (!augmentation.normalize()) return sinusoid.apply(tape, positions);
        Tensor centred = onHost(tape, positions.shape(), (in, out) -> augmentation.evaluate(in, out), positions.value());
        return sinusoid.apply(tape, tape.constant(centred));
    }

    /**
     * CAPE's centring and draws are host loops over a few hundred positions (the draws come from the host
     * {@link Rng}). On a host backend they write into step memory as before; on a device one the positions come
     * down and the result goes up: one small copy each way per call, CAPE's price for host-side randomness.
     */
    private static Tensor onHost(Tape tape, dev.posenc.core.Shape shape,
                                 java.util.function.BiConsumer<Tensor, Tensor> fill, Tensor positions) {
        if (!tape.backend().memory().device()) {
            Tensor out = tape.alloc(shape);
            fill.accept(positions, out);
            return out;
        }
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Tensor out = Tensor.zeros(arena, shape);
            fill.accept(tape.backend().memory().toHost(arena, positions), out);
            return tape.upload(out);   // a copy into step memory: outlives the arena
        }
    }

    @Override public Var applyTraining(Tape tape, Var positions, int batch, Rng rng) {
        checkShape(positions);
        Require.positive(name, "batch", batch);
        Tensor augmented = onHost(tape, dev.posenc.core.Shape.of(Math.multiplyExact(batch, positions.rows()),
                positions.cols()), (in, out) -> augmentation.augment(in, batch, rng, out), positions.value());
        return sinusoid.apply(tape, tape.constant(augmented));
    }

    private void checkShape(Var positions) {
        Require.that(positions.value().rank() == 2 && positions.cols() == inputDims(), name, "positions",
                "(N, %d)".formatted(inputDims()), positions.shape());
    }
}
