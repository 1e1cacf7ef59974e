package dev.posenc.models.boxes;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Attention;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.autograd.ops.Heads;
import dev.posenc.autograd.ops.LayerNorm;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * A small Transformer encoder over widget tokens, one class per widget ({@link Screens}):
 * <pre>
 *   x = TypeTable[type] + PE(box)              (B·n, D)    box = (x1, y1, x2, y2) in [0, 1]
 *   L × { x += Proj(Attn(LN1(x)));  x += Linear(H, D)(GELU(Linear(D, H)(LN2(x)))) }   over (B, n, D), pre-norm
 *   logits = Head(LN(x))                       (B·n, 3)
 * </pre>
 * PE, by {@link BoxVariant}: {@code lff} with G = 1 (the box as one 4-D position, M = 4) or G = 2 (two 2-D corners,
 * M = 2, weights shared: the LFF paper's grouping; each corner gives D/2 channels); {@code sine}: fixed sinusoids of
 * each coordinate, D/4 channels per coordinate at the octaves ω_k = 2π·2^k, k = 0 .. D/8 − 1 (Transformer-style
 * sin/cos pairs; wavelengths 1, ½, ¼, ⅛ of the screen at D = 32); {@code mlp}: Linear(4, H)·GELU·Linear(H, D) on
 * the raw box; {@code none}: no position (the tokens know only their type).
 *
 * <p>A batch holds screens of one widget count n (the trainer buckets them), so no padding mask is needed. The
 * blocks are those of the ViT ({@code vit.Vit}), rebuilt here because its block type is private to it and this
 * model has no class token. Body weights are declared before the encoding, so one seed gives every variant the
 * same body.
 */
public final class BoxModel implements AutoCloseable {
    private record Norm(ParameterStore.Parameter weight, ParameterStore.Parameter bias) {
        static Norm declare(ParameterStore store, String name, int d) {
            return new Norm(store.declare(name + ".weight", Shape.of(d), (t, rng) -> {
                for (long i = 0; i < t.size(); i++) t.set(i, 1f);
            }), store.declare(name + ".bias", Shape.of(d), Inits.zeros()));
        }

        Var apply(Tape tape, Var x) { return LayerNorm.apply(tape, x, weight.var(tape), bias.var(tape)); }
    }

    private record Block(Norm norm1, Dense q, Dense k, Dense v, Dense proj, Norm norm2, Dense fc1, Dense fc2) {}

    public static final int COORDS = 4;
    private final BoxVariant variant;
    private final int dim, heads;
    private final ParameterStore store = new ParameterStore();
    private final ParameterStore.Parameter types;
    private final List<Block> blocks = new ArrayList<>();
    private final Norm norm;
    private final Dense head;
    private final Encoding encoding;   // null for sine and none

    /** A new model, its weights from {@code Rng(seed)}; D {@code dim}, {@code depth} blocks, {@code heads} heads. */
    public BoxModel(BoxVariant variant, int dim, int depth, int heads, double gamma, long seed) {
        this.variant = variant;
        this.dim = dim;
        this.heads = heads;
        try {
            types = store.declare("types", Shape.of(Screens.TYPES, dim), Inits.normal(0.02));
            for (int i = 0; i < depth; i++) {
                String b = "blocks." + i + ".";
                blocks.add(new Block(Norm.declare(store, b + "norm1", dim), dense(b + "q", dim, dim),
                        dense(b + "k", dim, dim), dense(b + "v", dim, dim), dense(b + "proj", dim, dim),
                        Norm.declare(store, b + "norm2", dim), dense(b + "fc1", dim, 2 * dim),
                        dense(b + "fc2", 2 * dim, dim)));
            }
            norm = Norm.declare(store, "norm", dim);
            head = dense("head", dim, Screens.CLASSES);
            EncodingParams p = EncodingParams.defaults(COORDS).toBuilder().groups(variant.groups()).fourierDims(dim)
                    .hidden(dim).outputDims(dim).gamma(gamma).build();
            encoding = switch (variant.pe()) {
                case "lff", "mlp" -> Encodings.create(variant.pe(), p, store);
                default -> null;
            };
            store.allocate(new Rng(seed));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private Dense dense(String name, int in, int out) {
        return new Dense(store, name, in, out, Dense.InitScheme.TORCH);
    }

    /** logits (B·n, 3) for boxes (B·n, 4) and types (B·n), B screens of n widgets each, row-major by screen. */
    public Var forward(Tape tape, Tensor boxes, int[] typeIds, int n) {
        int rows = boxes.rows(), b = rows / n;
        Var x = Embedding.gather(tape, types.var(tape), typeIds);                              // (B·n, D)
        switch (variant.pe()) {
            case "lff", "mlp" -> x = Elementwise.add(tape, x, encoding.apply(tape, tape.constant(boxes)));
            case "sine" -> x = Elementwise.add(tape, x, tape.constant(sine(tape, boxes, dim)));
            default -> { }
        }
        x = Reshape.apply(tape, x, Shape.of(b, n, dim));
        for (Block blk : blocks) {
            Var h = blk.norm1.apply(tape, x);
            Var q = Heads.split(tape, blk.q.apply(tape, h), heads);
            Var k = Heads.split(tape, blk.k.apply(tape, h), heads);
            Var v = Heads.split(tape, blk.v.apply(tape, h), heads);
            Var a = Attention.materialized(tape, q, k, v);   // n ≤ 16 tokens: the materialised route (see Vit)
            x = Elementwise.add(tape, x, blk.proj.apply(tape, Heads.merge(tape, a)));
            Var m = Activations.gelu(tape, blk.fc1.apply(tape, blk.norm2.apply(tape, x)));
            x = Elementwise.add(tape, x, blk.fc2.apply(tape, m));
        }
        return Reshape.apply(tape, head.apply(tape, norm.apply(tape, x)), Shape.of(rows, Screens.CLASSES));
    }

    /** The fixed sinusoids of the class Javadoc: (N, D) from boxes (N, 4);
     *  channel c·D/4 + 2k + {0, 1} = sin, cos(ω_k x_c). */
    static Tensor sine(Tape tape, Tensor boxes, int dim) {
        int perCoord = dim / COORDS;
        Tensor out = tape.alloc(boxes.rows(), dim);
        for (int r = 0; r < boxes.rows(); r++) {
            for (int c = 0; c < COORDS; c++) {
                for (int k = 0; k < perCoord / 2; k++) {
                    double a = 2 * Math.PI * Math.pow(2, k) * boxes.get(r, c);
                    out.set(r, c * perCoord + 2 * k, (float) Math.sin(a));
                    out.set(r, c * perCoord + 2 * k + 1, (float) Math.cos(a));
                }
            }
        }
        return out;
    }

    public ParameterStore store() { return store; }

    public BoxVariant variant() { return variant; }

    @Override public void close() { store.close(); }
}
