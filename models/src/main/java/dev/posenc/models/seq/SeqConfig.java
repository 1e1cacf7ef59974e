package dev.posenc.models.seq;

/**
 * A sequence encoder's shape and training budget for {@code train-seq}.
 *
 * @param features   m, the PRF features per head (relu and elu use m = dh)
 * @param normalizeQk normalise q and k per token before φ (the paper's choice for kernel-rpe)
 */
public record SeqConfig(AttentionKind attention, String positions, int dim, int heads, int layers, int features,
                        FeatureMap featureMap, boolean normalizeQk, int steps, int batch, double lr, int evalEvery,
                        long seed) {
    public SeqConfig {
        require(dim > 0 && heads > 0 && dim % heads == 0, "--dim", "a positive multiple of --heads " + heads, dim);
        require(layers > 0, "--layers", "≥ 1", layers);
        require(features > 0, "--features", "a feature count > 0", features);
        require(steps > 0, "--steps", "≥ 1", steps);
        require(batch > 0, "--batch", "≥ 1", batch);
        require(lr > 0 && Double.isFinite(lr), "--lr", "a finite number > 0", lr);
        require(evalEvery > 0, "--eval-every", "≥ 1", evalEvery);
        SeqPositions.check(positions);
    }

    private static void require(boolean ok, String option, String expected, Object got) {
        if (!ok) throw new IllegalArgumentException("%s: expected %s, got %s".formatted(option, expected, got));
    }

    public int headDim() { return dim / heads; }

    public SeqConfig withAttention(AttentionKind a, boolean normalize, long s) {
        return new SeqConfig(a, positions, dim, heads, layers, features, featureMap, normalize, steps, batch, lr, evalEvery, s);
    }
}
