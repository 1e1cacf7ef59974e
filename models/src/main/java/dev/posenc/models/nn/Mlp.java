package dev.posenc.models.nn;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.LinearPairRelu;
import dev.posenc.core.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multilayer perceptron: Dense → act → ... → Dense → (output activation). Layers are named
 * {@code <prefix>.0}, {@code <prefix>.1}, ... in the store.
 *
 * <p>{@link #tancik}: the coordinate network of Tancik et al.'s image regression ({@code make_network(4, 256)}):
 * 3 × [Dense(256) + ReLU] + Dense(3) + sigmoid, stax default initialisation.
 */
public final class Mlp {
    /** Tancik's width and depth: 3 hidden layers of 256. */
    public static final int[] TANCIK_HIDDEN = {256, 256, 256};

    private final List<Dense> layers = new ArrayList<>();
    private final int[] hidden;
    private final UnaryOp activation, output;

    /**
     * @param hidden     widths of the hidden layers (may be empty: one Dense layer)
     * @param activation after every hidden layer
     * @param output     after the last layer, or null for a linear output
     */
    public Mlp(ParameterStore store, String prefix, int in, int[] hidden, int out, UnaryOp activation, UnaryOp output,
               Dense.InitScheme init) {
        for (int w : hidden) {
            if (w <= 0) throw new IllegalArgumentException(
                    "mlp: hidden: expected widths > 0, got " + Arrays.toString(hidden));
        }
        this.hidden = hidden.clone();
        this.activation = activation;
        this.output = output;
        int width = in;
        for (int i = 0; i <= hidden.length; i++) {
            int next = i < hidden.length ? hidden[i] : out;
            layers.add(new Dense(store, prefix + "." + i, width, next, init));
            width = next;
        }
    }

    /** Tancik's network on {@code in} features, with hidden widths {@code hidden} (Tancik: {@link #TANCIK_HIDDEN}). */
    public static Mlp tancik(ParameterStore store, String prefix, int in, int[] hidden) {
        return new Mlp(store, prefix, in, hidden, 3, UnaryOp.RELU, UnaryOp.SIGMOID, Dense.InitScheme.STAX);
    }

    /** (N, out) from x (N, in). */
    public Var apply(Tape tape, Var x) {
        return applyFrom(tape, x, 0);
    }

    /**
     * True when {@link #applyAfter} applies: the first layer is a hidden ReLU layer (one hidden width at least).
     */
    public boolean fusesAfter() {
        return hidden.length > 0 && activation == UnaryOp.RELU;
    }

    /**
     * (N, out) = this MLP applied to before(x), with x (N, before.in): the Linear layer {@code before} and the first
     * layer multiplied together ({@link LinearPairRelu}: three products over the N rows instead of six). The numbers
     * of {@code apply(before.apply(x))} up to float rounding. Only where {@link #fusesAfter()}.
     */
    public Var applyAfter(Tape tape, Var x, Dense before) {
        if (!fusesAfter()) throw new IllegalStateException("mlp: applyAfter: expected a first hidden ReLU layer");
        Dense first = layers.getFirst();
        Var h = LinearPairRelu.apply(tape, x, before.weight().var(tape), before.bias().var(tape),
                first.weight().var(tape), first.bias().var(tape));
        return applyFrom(tape, h, 1);
    }

    /** The layers from index {@code from} on, applied to h. */
    private Var applyFrom(Tape tape, Var x, int from) {
        Var h = x;
        for (int i = from; i < layers.size(); i++) {
            boolean last = i == layers.size() - 1;
            if (!last && activation == UnaryOp.RELU) {       // fused: one pass over h each way, same numbers
                h = layers.get(i).applyRelu(tape, h);
                continue;
            }
            h = layers.get(i).apply(tape, h);
            if (!last) h = Activations.apply(tape, activation, h);
            else if (output != null) h = Activations.apply(tape, output, h);
        }
        return h;
    }

    public int in() { return layers.getFirst().in(); }

    public int out() { return layers.getLast().out(); }

    public int[] hidden() { return hidden.clone(); }

    public UnaryOp activation() { return activation; }

    /** The output activation, or null. */
    public UnaryOp output() { return output; }

    public List<Dense> layers() { return List.copyOf(layers); }
}
