package dev.posenc.models.nn;

import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;

/**
 * Weight initialisers, each as its reference framework defines it, so that a seeded model starts from the
 * same distribution as the code it reproduces (the numbers differ: the RNGs differ).
 */
public final class Inits {
    private Inits() {}

    public static ParameterStore.Init zeros() { return (t, rng) -> {}; } // the slab is zero-filled

    /** N(0, std²). */
    public static ParameterStore.Init normal(double std) {
        return (t, rng) -> rng.fillNormal(t, 0f, (float) std);
    }

    /** U[−bound, bound). */
    public static ParameterStore.Init uniform(double bound) {
        return (t, rng) -> rng.fillUniform(t, (float) -bound, (float) bound);
    }

    /**
     * torch.nn.Linear's default for both weight and bias: kaiming_uniform(a=√5) gives U(±1/√fanIn) for the
     * weight, and the bias uses the same bound.
     */
    public static ParameterStore.Init torchLinear(int fanIn) { return uniform(1 / Math.sqrt(fanIn)); }

    /**
     * jax stax.Dense's default weight (used by Tancik's notebook): glorot_normal = variance_scaling(1,
     * "fan_avg", "truncated_normal"): a normal truncated to ±2 standard deviations, with std
     * √(2/(fanIn+fanOut)) / 0.87962566103423978 so that the truncated distribution has the Glorot variance.
     * Truncation redraws: element i takes the first of the draws (i, i+n, i+2n, ...) inside ±2, so the
     * values are still a pure function of (seed, draw, i).
     */
    public static ParameterStore.Init glorotTruncatedNormal(int fanIn, int fanOut) {
        double std = Math.sqrt(2.0 / (fanIn + fanOut)) / 0.87962566103423978;
        return (t, rng) -> {
            long stream = rng.nextStream(), n = t.size();
            for (long i = 0; i < n; i++) {
                double z = Rng.standardNormal(stream, i);
                for (long k = 1; Math.abs(z) > 2; k++) z = Rng.standardNormal(stream, i + k * n);
                t.set(i, (float) (std * z));
            }
        };
    }

    /** stax.Dense's default bias: N(0, 0.01²). */
    public static ParameterStore.Init staxBias() { return normal(1e-2); }

    /** Copies fixed values (row-major) into the tensor: for deterministic buffers. */
    public static ParameterStore.Init values(float[] values) {
        float[] kept = values.clone();
        return (t, rng) -> {
            if (kept.length != t.size()) throw new IllegalArgumentException(
                    "values: expected %d for %s, got %d".formatted(t.size(), t.shape(), kept.length));
            for (int i = 0; i < kept.length; i++) t.set(i, kept[i]);
        };
    }
}
