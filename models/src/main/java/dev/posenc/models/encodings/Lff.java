package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.LinearGelu;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.core.Shape;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learnable Fourier features, Li et al. 2021, Algorithm 1 (spec §1.1), and the two ablations of the paper:
 * <pre>
 *   positions (N, G·M) → reshape (N·G, M)                              G groups of M coordinates
 *   r = [cos(x W_rᵀ) ‖ sin(x W_rᵀ)] · s            (N·G, F)             W_r (F/2, M) trainable, N(0, std²)
 *   y = Linear(H, D/G)(GELU(Linear(F, H)(r)))     (N·G, D/G)           the "MLP φ" (exact GELU)
 *   → reshape (N, D)                                                    the G group outputs concatenated
 * </pre>
 * W_r and the MLP are shared by the groups (their shapes have no G). No 2π: W_r is in radians per unit.
 * The amplitude s is the paper's 1/√F or Tancik's 1 ({@link LffAmplitude}: why the image task needs 1).
 * <ul>
 *   <li>{@code lff}: the full method above;</li>
 *   <li>{@code lff-only}: r alone, no MLP (D = G·F);</li>
 *   <li>{@code mlp}: the same MLP on the raw coordinates, no Fourier features (Linear(M, H) first).</li>
 * </ul>
 * W_r's std is {@link LffInit#std}(γ): 1/γ as the paper says, or the public codes' readings. The MLP
 * starts as torch.nn.Linear does (the public implementations are PyTorch; the paper does not say).
 * Tensors: {@code encoding.wr}, {@code encoding.mlp.0.weight/bias} and {@code encoding.mlp.2.weight/bias}
 * (the indices of PyTorch's {@code Sequential(Linear, GELU, Linear)}).
 */
final class Lff implements Encoding {
    enum Variant { LFF, LFF_ONLY, MLP }

    private final Variant variant;
    private final String name;
    private final int groups, groupDims, outputDims;
    private final float amplitude;               // s; unused by mlp
    private final ParameterStore.Parameter wr;   // null for mlp
    private final Dense first, second;           // null for lff-only
    private final Map<String, String> config = new LinkedHashMap<>();

    Lff(Variant variant, EncodingParams p, ParameterStore store) {
        this.variant = variant;
        name = switch (variant) { case LFF -> "lff"; case LFF_ONLY -> "lff-only"; case MLP -> "mlp"; };
        int m = Require.positive(name, "positionDims", p.positionDims());
        groups = Require.positive(name, "groups", p.groups());
        Require.divides(name, "groups", groups, "positionDims", m);
        groupDims = m / groups;
        config.put("encoding", name);
        config.put("position_dims", Integer.toString(m));
        config.put("groups", Integer.toString(groups));
        int features = groupDims;
        if (variant != Variant.MLP) {
            int f = Require.positive(name, "fourierDims", p.fourierDims());
            Require.that(f % 2 == 0, name, "fourierDims", "an even number (cos and sin halves)", f);
            double gamma = Require.positive(name, "gamma", p.gamma());
            wr = store.declare("encoding.wr", Shape.of(f / 2, groupDims), Inits.normal(p.lffInit().std(gamma)));
            features = f;
            amplitude = p.lffAmplitude().scale(f);
            config.put("fourier_dims", Integer.toString(f));
            config.put("gamma", Double.toString(gamma));
            config.put("init", p.lffInit().name());
            // written only when not the paper's: files saved before the option (and the fixtures) stay consistent
            if (p.lffAmplitude() != LffAmplitude.PAPER) config.put("amplitude", p.lffAmplitude().name());
        } else {
            wr = null;
            amplitude = 0;
        }
        if (variant != Variant.LFF_ONLY) {
            int h = Require.positive(name, "hidden", p.hidden());
            int d = Require.positive(name, "outputDims", p.outputDims());
            Require.divides(name, "groups", groups, "outputDims", d);
            first = new Dense(store, "encoding.mlp.0", features, h, Dense.InitScheme.TORCH);
            second = new Dense(store, "encoding.mlp.2", h, d / groups, Dense.InitScheme.TORCH);
            outputDims = d;
            config.put("hidden", Integer.toString(h));
            config.put("output_dims", Integer.toString(d));
        } else {
            first = second = null;
            outputDims = groups * features;
        }
    }

    /**
     * The encoding as a pure function of its tensors, for gradient checks: {@code wr} null skips the Fourier
     * features (the mlp variant), {@code w1} null skips the MLP (lff-only). x (N, G·M); returns (N, G·out).
     * The features have the paper's amplitude 1/√F.
     */
    static Var forward(Tape tape, Var x, int groups, Var wr, Var w1, Var b1, Var w2, Var b2) {
        float s = wr == null ? 0 : LffAmplitude.PAPER.scale(2 * wr.rows());
        return forward(tape, x, groups, s, wr, w1, b1, w2, b2);
    }

    /** {@link #forward(Tape, Var, int, Var, Var, Var, Var, Var)} with the features' amplitude s. */
    static Var forward(Tape tape, Var x, int groups, float s, Var wr, Var w1, Var b1, Var w2, Var b2) {
        int n = x.rows(), m = x.cols() / groups;
        Var h = beforeTail(tape, Reshape.apply(tape, x, Shape.of(n * groups, m)), s, wr, w1, b1);
        if (w1 != null) h = Linear.apply(tape, h, w2, b2);
        return Reshape.apply(tape, h, Shape.of(n, groups * h.cols()));
    }

    /**
     * The Fourier features of h (unless wr is null), then GELU(Linear) (unless w1 is null) as one op ({@link LinearGelu}:
     * the numbers of Linear then GELU): all but the last layer.
     */
    private static Var beforeTail(Tape tape, Var h, float s, Var wr, Var w1, Var b1) {
        if (wr != null) h = FourierFeatures.apply(tape, h, wr, s);
        if (w1 == null) return h;
        return b1 == null ? Activations.gelu(tape, Linear.apply(tape, h, w1, null)) : LinearGelu.apply(tape, h, w1, b1);
    }

    @Override public Var apply(Tape tape, Var positions) {
        Require.that(positions.cols() == groups * groupDims, name, "positions",
                "(N, %d)".formatted(groups * groupDims), positions.shape());
        return forward(tape, positions, groups, amplitude, wr == null ? null : wr.var(tape),
                first == null ? null : first.weight().var(tape), first == null ? null : first.bias().var(tape),
                second == null ? null : second.weight().var(tape), second == null ? null : second.bias().var(tape));
    }

    /** With one group and an MLP, the encoding ends in the MLP's second Linear layer, no activation after it. */
    @Override public Dense linearTail() { return groups == 1 && second != null ? second : null; }

    /** GELU(Linear(F, H)(r)) (N, H), or GELU(Linear(M, H)(x)) for mlp: the encoding before {@link #linearTail()}. */
    @Override public Var applyBeforeTail(Tape tape, Var positions) {
        if (linearTail() == null) return Encoding.super.applyBeforeTail(tape, positions);
        Require.that(positions.cols() == groupDims, name, "positions", "(N, %d)".formatted(groupDims), positions.shape());
        return beforeTail(tape, positions, amplitude, wr == null ? null : wr.var(tape), first.weight().var(tape),
                first.bias().var(tape));
    }

    @Override public String name() { return name; }

    @Override public int inputDims() { return groups * groupDims; }

    @Override public int outputDims() { return outputDims; }

    @Override public List<ParameterStore.Parameter> parameters() {
        List<ParameterStore.Parameter> ps = new ArrayList<>();
        if (wr != null) ps.add(wr);
        if (first != null) ps.addAll(List.of(first.weight(), first.bias(), second.weight(), second.bias()));
        return ps;
    }

    @Override public Map<String, String> config() { return new LinkedHashMap<>(config); }

    Variant variant() { return variant; }
}
