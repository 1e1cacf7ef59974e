package dev.posenc.models.vit;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Attention;
import dev.posenc.autograd.ops.Concat;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Heads;
import dev.posenc.autograd.ops.LayerNorm;
import dev.posenc.autograd.ops.Patchify;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.autograd.ops.Slice;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.models.encodings.AugmentedEncoding;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small vision transformer (Dosovitskiy et al. 2021) with a pluggable positional encoding, the ViT study of
 * Li et al. 2021 (spec §1.3, §1.4 item 3). Pre-norm blocks, no dropout:
 * <pre>
 *   images (B, S, S) → Patchify p → (B, T, p²), T = (S/p)²           patches row-major over the grid
 *   x = Linear(p², D)(patches) + PE(positions)          (B, T, D)     PE (T, D), the same for every image
 *   x = [cls ‖ x]                                       (B, T+1, D)   cls: a learned (1, D) vector, no PE
 *   L × { x += Proj(Attn(Q, K, V)(LN1(x)));  x += Linear(H, D)(GELU(Linear(D, H)(LN2(x)))) }
 *   logits = Head(LN(x)[:, 0])                          (B, 10)
 * </pre>
 * Positions: patch (gy, gx) of the grid is at (row, col) = (gy, gx) in patch units (integers 0 .. S/p − 1),
 * the same numbers for every encoding; LFF's γ is therefore in patches. The class token has no position: it is
 * concatenated after the encoding is added (its learned vector is its own "position"). In these units sine2d's
 * first frequency pair (2π per unit, DETR's normalised scale) is constant at whole positions; its other
 * D − 4 channels vary (a small cost of one shared unit, kept so that every encoding sees the same numbers).
 * embed2d sums a row and a column vector (see the encodings' {@code LearnedTable}). {@code none} adds
 * nothing. At another resolution (the test images resized, e.g. 28 → 56, a 14 × 14 grid) patch g' of G' sits where
 * its centre falls on the training grid of G: g = (g' + ½)·G/G' − ½ (torch's {@code align_corners=False}), so the
 * positions cover the same extent, more densely: the learned tables interpolate bilinearly (the usual ViT trick),
 * the others evaluate between the training positions. {@code cape2d} augments its positions in training
 * ({@link #forward(Tape, Var, Rng)} with an Rng), one draw per image, and not in evaluation.
 *
 * <p>Weights (torch.nn names, so the PyTorch twin maps one to one): {@code patch}, {@code cls},
 * {@code blocks.i.norm1/q/k/v/proj/norm2/fc1/fc2}, {@code norm}, {@code head}, then {@code encoding.*}. The
 * body is declared before the encoding, so one seed gives every encoding the same body weights. Linear layers
 * start as torch.nn.Linear, LayerNorms at (1, 0), cls at N(0, 0.02²). Owns its {@link ParameterStore}.
 */
public final class Vit implements AutoCloseable {
    private record Block(Norm norm1, Dense q, Dense k, Dense v, Dense proj, Norm norm2, Dense fc1, Dense fc2) {}

    /** A LayerNorm's γ (weight) and β (bias). */
    private record Norm(ParameterStore.Parameter weight, ParameterStore.Parameter bias) {
        static Norm declare(ParameterStore store, String name, int d) {
            return new Norm(store.declare(name + ".weight", Shape.of(d), ones()), store.declare(name + ".bias",
                    Shape.of(d), Inits.zeros()));
        }

        Var apply(Tape tape, Var x) { return LayerNorm.apply(tape, x, weight.var(tape), bias.var(tape)); }
    }

    /**
     * From this many tokens on, attention runs the fused kernels (memory ∝ T); below, the materialised route
     * (P kept, B·H·T² floats: 5 MB per block at B 128, T 50), which was 2.0–2.4× faster per training step at
     * T = 50, d = 16 on 2 cores (SpeedProbe, 2026-11-30). Both compute the same function (a test checks).
     */
    static final int FUSED_ATTENTION_MIN_TOKENS = 256;
    private final VitConfig config;
    private final ParameterStore store;
    private final Dense patch, head;
    private final ParameterStore.Parameter cls;
    private final List<Block> blocks = new ArrayList<>();
    private final Norm norm;
    private final Encoding encoding;

    /** A new model for {@code config}, its weights drawn from {@code Rng(config.seed())}. */
    public Vit(VitConfig config) {
        this.config = config;
        store = new ParameterStore();
        try {
            int d = config.dim();
            patch = new Dense(store, "patch", config.patch() * config.patch(), d, Dense.InitScheme.TORCH);
            cls = store.declare("cls", Shape.of(1, d), Inits.normal(0.02));
            for (int i = 0; i < config.depth(); i++) {
                String b = "blocks." + i + ".";
                blocks.add(new Block(Norm.declare(store, b + "norm1", d), dense(b + "q", d, d), dense(b + "k", d, d),
                        dense(b + "v", d, d), dense(b + "proj", d, d), Norm.declare(store, b + "norm2", d),
                        dense(b + "fc1", d, config.mlpHidden()), dense(b + "fc2", config.mlpHidden(), d)));
            }
            norm = Norm.declare(store, "norm", d);
            head = dense("head", d, VitConfig.CLASSES);
            encoding = Encodings.create(config.encoding(), config.encodingParams(), store);
            if (!config.encoding().equals("none") && encoding.outputDims() != d) throw new IllegalArgumentException(
                    "vit: %s: expected %d output features (D), got %d%s".formatted(config.encoding(), d,
                            encoding.outputDims(), config.encoding().equals("lff-only") ? " (lff-only: D = |F|)" : ""));
            store.allocate(new Rng(config.seed()));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private Dense dense(String name, int in, int out) {
        return new Dense(store, name, in, out, Dense.InitScheme.TORCH);
    }

    private static ParameterStore.Init ones() {
        return (t, rng) -> {
            for (long i = 0; i < t.size(); i++) t.set(i, 1f);
        };
    }

    /**
     * logits (B, 10) from images (B, S, S), S any multiple of the patch size (the training size, or another for
     * the unseen-resolution test). Records on {@code tape}; reads the weights.
     *
     * @throws IllegalArgumentException if the images are not (B, S, S) with S a multiple of the patch size
     * @throws dev.posenc.models.encodings.ExtrapolationException if a learned table meets a grid larger than its own
     */
    public Var forward(Tape tape, Var images) { return forward(tape, images, null); }

    /**
     * As {@link #forward(Tape, Var)}; in training mode ({@code augment} not null) an {@link AugmentedEncoding}
     * (cape2d) draws one augmentation of the positions per image from {@code augment}. Null: evaluation mode.
     */
    public Var forward(Tape tape, Var images, Rng augment) {
        Shape s = images.shape();
        int p = config.patch(), d = config.dim();
        if (s.rank() != 3 || s.dim(1) % p != 0 || s.dim(2) % p != 0 || s.dim(1) == 0 || s.dim(2) == 0) {
            throw new IllegalArgumentException("vit: images: expected (B, H, W) with H and W positive multiples of the "
                    + "patch size %d, got %s".formatted(p, s));
        }
        int b = s.dim(0), gh = s.dim(1) / p, gw = s.dim(2) / p;
        Var x = patch.apply(tape, Patchify.apply(tape, images, p));                       // (B, T, D)
        if (augment != null && encoding instanceof AugmentedEncoding a) {
            Var pe = a.applyTraining(tape, tape.constant(cachedPositions(tape, gh, gw)), b, augment);
            x = Elementwise.add(tape, x, Reshape.apply(tape, pe, x.shape()));            // (B·T, D) as (B, T, D)
        } else if (!config.encoding().equals("none")) {
            Var pe = encoding.apply(tape, tape.constant(cachedPositions(tape, gh, gw)));   // (T, D)
            x = Elementwise.addBatchBroadcast(tape, x, pe);
        }
        // cls broadcast over the batch as 0 + cls (backward: the batch sum into cls), all in backend kernels
        Var c = Elementwise.addBatchBroadcast(tape, tape.constant(tape.alloc(b, 1, d)), cls.var(tape));
        x = Concat.tokens(tape, c, x);                                                     // (B, T+1, D)
        for (Block blk : blocks) {
            Var h = blk.norm1.apply(tape, x);
            Var q = Heads.split(tape, blk.q.apply(tape, h), config.heads());
            Var k = Heads.split(tape, blk.k.apply(tape, h), config.heads());
            Var v = Heads.split(tape, blk.v.apply(tape, h), config.heads());
            Var a = x.shape().dim(1) < FUSED_ATTENTION_MIN_TOKENS ? Attention.materialized(tape, q, k, v)
                    : Attention.apply(tape, q, k, v);
            x = Elementwise.add(tape, x, blk.proj.apply(tape, Heads.merge(tape, a)));
            Var m = Activations.gelu(tape, blk.fc1.apply(tape, blk.norm2.apply(tape, x)));
            x = Elementwise.add(tape, x, blk.fc2.apply(tape, m));
        }
        return head.apply(tape, Slice.token(tape, norm.apply(tape, x), 0));
    }

    /**
     * How loud the positional signal is beside the content, at the training grid: the rms of the patch tokens
     * Linear(patches) over {@code images}, and the rms of PE(t) − mean_t PE(t) over the grid (the part that varies
     * with position; a constant offset carries no position). Zero for {@code none}. A diagnostic for the study of
     * how the encodings' scales at initialisation shape the first epochs (bench/RESULTS.md, issue 5).
     * Resets {@code tape} (as {@link VitTrainer#accuracy} does) and records nothing on it.
     */
    public Scales scales(Tape tape, Tensor images) {
        try (var _ = tape.noGrad(); var _ = store.placedOn(tape.backend().memory())) {
            tape.reset();
            TensorMemory memory = tape.backend().memory();   // a diagnostic: explicit copies to the host are fine
            double patchRms = rms(memory.toArray(patch.apply(tape, Patchify.apply(tape,
                    tape.constant(tape.upload(images)), config.patch())).value()), null);
            if (config.encoding().equals("none")) return new Scales(patchRms, 0);
            Tensor pe = encoding.apply(tape, tape.constant(cachedPositions(tape, config.grid(), config.grid()))).value();
            float[] v = memory.toArray(pe);
            double[] mean = new double[pe.cols()];
            for (int t = 0; t < pe.rows(); t++) for (int c = 0; c < pe.cols(); c++) mean[c] += v[t * pe.cols() + c] / pe.rows();
            return new Scales(patchRms, rms(v, mean));
        }
    }

    /** See {@link #scales}. */
    public record Scales(double patchTokensRms, double positionalRms) {}

    private static double rms(float[] values, double[] columnMeans) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i] - (columnMeans == null ? 0 : columnMeans[i % columnMeans.length]);
            sum += v * v;
        }
        return Math.sqrt(sum / values.length);
    }

    /**
     * {@link #positions(Tape, int, int, int)} for a gh × gw grid (mapped onto the training grid), made once per
     * grid size in the tape backend's memory and kept: a training step uploads no positions. The cache
     * follows the memory: a model moved to another backend makes them again there.
     */
    private Tensor cachedPositions(Tape tape, int gh, int gw) {
        TensorMemory memory = tape.backend().memory();
        if (memory != positionsMemory) {
            if (positionsRegion != null) positionsRegion.close();
            positionsRegion = memory.region();
            positionsMemory = memory;
            positionCache.clear();
        }
        return positionCache.computeIfAbsent(List.of(gh, gw), k -> {
            try (Arena arena = Arena.ofConfined()) {
                Tensor host = Tensor.zeros(arena, Shape.of(gh * gw, 2));
                fillPositions(host, gh, gw, config.grid());
                Tensor t = positionsRegion.zeros(host.shape());
                memory.copy(t, host);
                return t;
            }
        });
    }

    private TensorMemory positionsMemory;
    private TensorMemory.Region positionsRegion;
    private final Map<List<Integer>, Tensor> positionCache = new HashMap<>();

    /** (gh·gw, 2): row t = gy·gw + gx (Patchify's order) holds (gy, gx), in patch units. */
    static Tensor positions(Tape tape, int gh, int gw) { return positions(tape, gh, gw, -1); }

    /**
     * As {@link #positions(Tape, int, int)} for a gh × gw grid seen by a model trained on {@code trained} ×
     * {@code trained}: each axis of another size G' maps g' to (g' + ½)·G/G' − ½; trained ≤ 0 or equal: no mapping.
     */
    static Tensor positions(Tape tape, int gh, int gw, int trained) {
        Tensor t = Tensor.zeros(tape.arena(), Shape.of(gh * gw, 2));   // on the host: tests read it
        fillPositions(t, gh, gw, trained);
        return t;
    }

    private static void fillPositions(Tensor t, int gh, int gw, int trained) {
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                t.set(gy * gw + gx, 0, (float) onTrainingGrid(gy, gh, trained));
                t.set(gy * gw + gx, 1, (float) onTrainingGrid(gx, gw, trained));
            }
        }
    }

    /** Where the centre of patch g of a size-wide grid falls on the training grid, in its patch units. */
    static double onTrainingGrid(int g, int size, int trained) {
        return trained <= 0 || size == trained ? g : (g + 0.5) * trained / size - 0.5;
    }

    public VitConfig config() { return config; }

    public ParameterStore store() { return store; }

    public Encoding encoding() { return encoding; }

    @Override public void close() {
        if (positionsRegion != null) positionsRegion.close();
        store.close();
    }
}
