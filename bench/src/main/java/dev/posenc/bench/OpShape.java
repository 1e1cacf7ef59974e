package dev.posenc.bench;

/**
 * The shapes the op-family benches (LayerNormBench, SoftmaxBench, AttentionBench, GeluBench, AdamBench,
 * CrossEntropyBench) time, by the name their {@code shape} parameter takes; bench/pytorch/op_families.py holds
 * the same table, so posenc and PyTorch time the same problem.
 * <ul>
 *   <li>{@code vit}: one training step of {@code ./posenc train-vit} with its defaults (batch 128, 50 tokens,
 *       D 64, 4 heads of 16, MLP 128, 10 classes; its Adam updates the model's 140,074 parameters).</li>
 *   <li>{@code large}: a ViT-S/16 step at 224² on batch 32 (197 tokens, D 384, 6 heads of 64, MLP 1536,
 *       1000 classes; Adam over 2²² parameters), where each op leaves the caches and threads have work.</li>
 * </ul>
 */
record OpShape(int batch, int tokens, int dim, int heads, int mlp, int classes, int parameters) {
    static final OpShape VIT = new OpShape(128, 50, 64, 4, 128, 10, 140_074);
    static final OpShape LARGE = new OpShape(32, 197, 384, 6, 1536, 1000, 1 << 22);

    static OpShape of(String name) {
        return switch (name) {
            case "vit" -> VIT;
            case "large" -> LARGE;
            default -> throw new IllegalArgumentException("shape: expected vit or large, got " + name);
        };
    }

    /** Token rows of the activations: batch·tokens. */
    int rows() { return batch * tokens; }

    /** Attention entries: batch·heads. */
    int entries() { return batch * heads; }

    int headDim() { return dim / heads; }
}
