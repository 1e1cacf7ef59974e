package dev.posenc.models.seq;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Concat;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.autograd.ops.Heads;
import dev.posenc.autograd.ops.KernelFeatures;
import dev.posenc.autograd.ops.LayerNorm;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.autograd.ops.Slice;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * A small pre-norm Transformer encoder over a {@link SeqTask}'s sequences, with one {@link AttentionKind} in every block
 * (the ViT's block, {@code models.vit.Vit}, with the attention made pluggable):
 * <pre>
 *   tokens (B, T, f) → Linear(f, D), or ids (B, T) → Embedding(V, D)          (B, T, D)
 *   [cls ‖ x] when the task reads a class token                               (B, T', D)
 *   x += positions (T', D) ({@link SeqPositions}; none adds nothing; cape1d draws one per sequence in training)
 *   L × { x += Proj(Attn_kind(Q, K, V)(LN1(x)));  x += Linear(GELU(Linear(LN2(x)))) }     MLP hidden 2D
 *   logits = Head(LN(x)[:, 0]) (B, C), or Head(LN(x)[:, k:]) per token ((B·(T − k)), C)
 * </pre>
 * The rpe kinds give each block its own b (H, 2T' − 1), starting at 0 (uniform weights over offsets) and read as
 * {@value #RPE_GAIN}·β: Adam moves every weight by about lr per step, and b must travel O(log T) to single out one offset,
 * so its steps are made {@value #RPE_GAIN}× larger. The PRF projections (m, dh), one per block, are fixed buffers drawn
 * orthogonal from the seed; {@link #redrawProjections} draws new ones (Performer's redraw).
 */
public final class SeqModel implements AutoCloseable {
    static final float RPE_GAIN = 10f;

    private record Block(Norm norm1, Dense q, Dense k, Dense v, Dense proj, Norm norm2, Dense fc1, Dense fc2,
                         ParameterStore.Parameter rpe, ParameterStore.Parameter projection) {}

    private record Norm(ParameterStore.Parameter weight, ParameterStore.Parameter bias) {
        static Norm declare(ParameterStore store, String name, int d) {
            return new Norm(store.declare(name + ".weight", Shape.of(d), (t, rng) -> {
                for (long i = 0; i < t.size(); i++) t.set(i, 1f);
            }), store.declare(name + ".bias", Shape.of(d), Inits.zeros()));
        }

        Var apply(Tape tape, Var x) { return LayerNorm.apply(tape, x, weight.var(tape), bias.var(tape)); }
    }

    private final SeqConfig config;
    private final SeqTask task;
    private final SeqPositions positions;
    private final ParameterStore store = new ParameterStore();
    private final Dense embed, head;
    private final ParameterStore.Parameter table, cls;
    private final List<Block> blocks = new ArrayList<>();
    private final Norm norm;

    public SeqModel(SeqConfig config, SeqTask task) {
        this.config = config;
        this.task = task;
        try {
            int d = config.dim(), t = length(), dh = config.headDim();
            positions = SeqPositions.create(config.positions(), d, length(), store);
            embed = task.inputFeatures() > 0 ? new Dense(store, "embed", task.inputFeatures(), d, Dense.InitScheme.TORCH) : null;
            table = task.inputFeatures() > 0 ? null : store.declare("embed.table", Shape.of(task.vocabulary(), d), Inits.normal(1));
            cls = task.classToken() ? store.declare("cls", Shape.of(1, d), Inits.normal(0.02)) : null;
            boolean prf = config.attention().kernelized() && config.featureMap() == FeatureMap.PRF;
            for (int i = 0; i < config.layers(); i++) {
                String b = "blocks." + i + ".";
                blocks.add(new Block(Norm.declare(store, b + "norm1", d), dense(b + "q", d, d), dense(b + "k", d, d),
                        dense(b + "v", d, d), dense(b + "proj", d, d), Norm.declare(store, b + "norm2", d),
                        dense(b + "fc1", d, 2 * d), dense(b + "fc2", 2 * d, d),
                        config.attention().rpe() ? store.declare(b + "rpe", Shape.of(config.heads(), 2 * t - 1), Inits.zeros()) : null,
                        prf ? store.declareBuffer(b + "prf", Shape.of(config.features(), dh),
                                (w, rng) -> drawInto(w, rng)) : null));
            }
            norm = Norm.declare(store, "norm", d);
            head = dense("head", d, task.classes());
            store.allocate(new Rng(config.seed()));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private Dense dense(String name, int in, int out) { return new Dense(store, name, in, out, Dense.InitScheme.TORCH); }

    /** Tokens the encoder sees: the task's, plus the class token. */
    public int length() { return task.tokens() + (task.classToken() ? 1 : 0); }

    /** Evaluation-mode {@link #forward(Tape, Tensor, Rng)}. */
    public Var forward(Tape tape, Tensor inputs) { return forward(tape, inputs, null); }

    /**
     * Logits (B, C) or (B·(T − k), C) for a batch of the task's inputs, T read from {@code inputs} (at most
     * {@link #length()} with rpe attention, whose offset table has that size). {@code augment} non-null: training mode
     * for the positions (cape1d draws from it). Records on {@code tape}.
     */
    public Var forward(Tape tape, Tensor inputs, Rng augment) {
        int b = inputs.shape().dim(0), t = inputs.shape().dim(1), d = config.dim(), n = t + (cls == null ? 0 : 1);
        Var x;
        if (embed != null) {
            x = embed.apply(tape, tape.constant(inputs));                                      // (B, T, D)
        } else {
            int[] ids = new int[b * t];
            for (int i = 0; i < ids.length; i++) ids[i] = (int) inputs.get(i);
            x = Reshape.apply(tape, Embedding.gather(tape, table.var(tape), ids), Shape.of(b, t, d));
        }
        if (cls != null) {
            x = Concat.tokens(tape, Reshape.apply(tape, Embedding.gather(tape, cls.var(tape), new int[b]), Shape.of(b, 1, d)), x);
        }
        x = positions.add(tape, x, augment);
        for (Block blk : blocks) {
            Var h = blk.norm1.apply(tape, x);
            Var q = Heads.split(tape, blk.q.apply(tape, h), config.heads());
            Var k = Heads.split(tape, blk.k.apply(tape, h), config.heads());
            Var v = Heads.split(tape, blk.v.apply(tape, h), config.heads());
            Var rpe = blk.rpe == null ? null : Elementwise.scale(tape, blk.rpe.var(tape), RPE_GAIN);
            var features = new SeqAttention.Features(config.featureMap(), blk.projection == null ? null : blk.projection.var(tape),
                    config.normalizeQk());
            Var a = SeqAttention.apply(tape, config.attention(), q, k, v, rpe, features);
            x = Elementwise.add(tape, x, blk.proj.apply(tape, Heads.merge(tape, a)));
            x = Elementwise.add(tape, x, blk.fc2.apply(tape, Activations.gelu(tape, blk.fc1.apply(tape, blk.norm2.apply(tape, x)))));
        }
        x = norm.apply(tape, x);
        if (task.classToken()) return head.apply(tape, Slice.token(tape, x, 0));
        int from = task.labelFrom();
        Var tail = Slice.tokens(tape, x, from, n);
        return head.apply(tape, Reshape.apply(tape, tail, Shape.of(b * (n - from), d)));
    }

    /** New PRF projections from {@code rng} (no-op without PRF). */
    public void redrawProjections(Rng rng) {
        for (Block blk : blocks) if (blk.projection != null) drawInto(blk.projection.value(), rng);
    }

    private void drawInto(Tensor w, Rng rng) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            w.copyFrom(KernelFeatures.orthogonalProjection(arena, rng, config.features(), config.headDim()));
        }
    }

    public ParameterStore store() { return store; }

    public SeqConfig config() { return config; }

    @Override public void close() { store.close(); }
}
