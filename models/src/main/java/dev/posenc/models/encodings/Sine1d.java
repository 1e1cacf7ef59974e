package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.core.Shape;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sine1d}: the Transformer sinusoid of Vaswani et al. 2017 for 1-D positions x (token units):
 * ω_k = T^(−2k/D) radians per unit, k = 0..D/2−1, T = 10000 ({@link EncodingParams#temperature()}), and
 * Vaswani's PE(x, 2k) = sin(x·ω_k), PE(x, 2k+1) = cos(x·ω_k).
 *
 * <p>Layout: the fused op writes [cos z ‖ sin z], z_k = x·ω_k, so our channel k is Vaswani's 2k+1 and our channel
 * D/2 + k is Vaswani's 2k: the same numbers, permuted (a fixed permutation that the next linear layer absorbs).
 * The frequencies are a fixed buffer {@code encoding.w} (D/2, 1). Needs M = 1 and D even.
 */
final class Sine1d implements Encoding {
    private final ParameterStore.Parameter w;
    private final double temperature;
    private final String name;

    Sine1d(EncodingParams p, ParameterStore store) { this("sine1d", p, store); }

    /** Under another name: {@link Cape} declares its sinusoid with its own name in the messages. */
    Sine1d(String name, EncodingParams p, ParameterStore store) {
        this.name = name;
        Require.that(p.positionDims() == 1, name, "positionDims", "1", p.positionDims());
        int d = Require.positive(name, "outputDims", p.outputDims());
        Require.that(d % 2 == 0, name, "outputDims", "an even number (a sin and a cos per frequency)", d);
        temperature = Require.positive(name, "temperature", p.temperature());
        float[] freq = new float[d / 2];
        for (int k = 0; k < d / 2; k++) freq[k] = (float) Math.pow(temperature, -2.0 * k / d);
        w = store.declareBuffer("encoding.w", Shape.of(d / 2, 1), Inits.values(freq));
    }

    @Override public String name() { return name; }

    @Override public int inputDims() { return 1; }

    @Override public int outputDims() { return 2 * w.shape().dim(0); }

    @Override public List<ParameterStore.Parameter> parameters() { return List.of(w); }

    @Override public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("encoding", name);
        c.put("position_dims", "1");
        c.put("output_dims", Integer.toString(outputDims()));
        c.put("temperature", Double.toString(temperature));
        return c;
    }

    @Override public Var apply(Tape tape, Var positions) {
        Require.that(positions.value().rank() == 2 && positions.cols() == 1, name, "positions", "(N, 1)",
                positions.shape());
        return FourierFeatures.apply(tape, positions, w.var(tape), 1f);
    }
}
