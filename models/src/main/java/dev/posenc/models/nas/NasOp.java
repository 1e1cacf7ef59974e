package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.BatchNorm2d;
import dev.posenc.autograd.ops.Conv2d;
import dev.posenc.autograd.ops.Pool2d;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.Shape;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.Arrays;
import java.util.List;

/**
 * The candidate operations of a DARTS edge (Liu et al. 2019, {@code operations.py}; channels and resolution kept):
 * <ul>
 *   <li>{@code none}: zero (contributes nothing);  {@code skip_connect}: identity;</li>
 *   <li>{@code conv_3x3}: ReLU → conv 3×3 → BN (NAS-Bench-201's nor_conv_3x3);</li>
 *   <li>{@code sep_conv_3x3}: [ReLU → depthwise 3×3 → pointwise 1×1 → BN] twice;</li>
 *   <li>{@code dil_conv_3x3}: ReLU → depthwise 3×3 dilation 2 → pointwise 1×1 → BN (5×5 receptive field);</li>
 *   <li>{@code avg_pool_3x3}, {@code max_pool_3x3}: stride 1, padding 1, then BN, as DARTS's MixedOp adds to pools.</li>
 * </ul>
 * Every BN is affine-free (DARTS's search). Convolution weights start U(±1/√fan_in), PyTorch's default.
 */
public enum NasOp {
    NONE("none"), SKIP("skip_connect"), CONV("conv_3x3"), SEP_CONV("sep_conv_3x3"), DIL_CONV("dil_conv_3x3"),
    AVG_POOL("avg_pool_3x3"), MAX_POOL("max_pool_3x3");

    private static final ConvGeometry K3 = ConvGeometry.of(3, 1, 1), DIL = new ConvGeometry(3, 1, 2, 2), K1 = ConvGeometry.of(1, 1, 0);

    public final String label;

    NasOp(String label) { this.label = label; }

    /** The operation named {@code name}, or an error for {@code option} that lists the valid names. */
    public static NasOp parse(String option, String name) {
        for (NasOp op : values()) if (op.label.equals(name)) return op;
        throw new IllegalArgumentException("%s: expected one of %s, got '%s'".formatted(option, names(), name));
    }

    /** Every label, comma-separated. */
    public static String names() { return String.join(",", Arrays.stream(values()).map(o -> o.label).toList()); }

    /** True for the operations without weights (DARTS's parameter-free ones). */
    public boolean parameterFree() { return this == NONE || this == SKIP || this == AVG_POOL || this == MAX_POOL; }

    /**
     * Declares this op's weights for an edge of {@code c} channels under {@code prefix} and returns its forward
     * (null for none). The returned function reads the parameters when it runs.
     */
    EdgeOp declare(ParameterStore store, String prefix, int c) {
        String p = prefix + "." + label;
        return switch (this) {
            case NONE -> null;
            case SKIP -> (tape, x) -> x;
            case CONV -> {
                ParameterStore.Parameter w = conv(store, p + ".w", c, c, 3);
                yield (tape, x) -> BatchNorm2d.apply(tape, Conv2d.apply(tape, Activations.relu(tape, x), w.var(tape), K3));
            }
            case SEP_CONV -> {
                List<ParameterStore.Parameter> ws = List.of(depthwise(store, p + ".dw1", c), conv(store, p + ".pw1", c, c, 1),
                        depthwise(store, p + ".dw2", c), conv(store, p + ".pw2", c, c, 1));
                yield (tape, x) -> {
                    Var y = x;
                    for (int half = 0; half < 2; half++) {
                        y = Conv2d.depthwise(tape, Activations.relu(tape, y), ws.get(2 * half).var(tape), K3);
                        y = BatchNorm2d.apply(tape, Conv2d.apply(tape, y, ws.get(2 * half + 1).var(tape), K1));
                    }
                    return y;
                };
            }
            case DIL_CONV -> {
                ParameterStore.Parameter dw = depthwise(store, p + ".dw", c), pw = conv(store, p + ".pw", c, c, 1);
                yield (tape, x) -> BatchNorm2d.apply(tape,
                        Conv2d.apply(tape, Conv2d.depthwise(tape, Activations.relu(tape, x), dw.var(tape), DIL), pw.var(tape), K1));
            }
            case AVG_POOL -> (tape, x) -> BatchNorm2d.apply(tape, Pool2d.avg(tape, x, K3));
            case MAX_POOL -> (tape, x) -> BatchNorm2d.apply(tape, Pool2d.max(tape, x, K3));
        };
    }

    /** One operation's forward on an edge; it reads its parameters when it runs. */
    @FunctionalInterface
    interface EdgeOp {
        Var apply(Tape tape, Var x);
    }

    /** A conv weight (out, in, k, k), U(±1/√(in·k²)). */
    static ParameterStore.Parameter conv(ParameterStore store, String name, int out, int in, int k) {
        return store.declare(name, Shape.of(out, in, k, k), Inits.uniform(1 / Math.sqrt(in * k * k)));
    }

    private static ParameterStore.Parameter depthwise(ParameterStore store, String name, int c) {
        return store.declare(name, Shape.of(c, 3, 3), Inits.uniform(1 / 3.0));
    }
}
