package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.core.Shape;
import dev.posenc.models.nn.ParameterStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sine2d}: DETR's fixed 2-D sinusoids ({@code PositionEmbeddingSine(normalize=True)}), the Sine-2D
 * baseline of Li et al.: D/2 channels for y and D/2 for x. Per axis, with P = D/2 and k = 0..P/2−1, the
 * frequency is f_k = 2π / T^(2k/P) radians per unit, and each f_k gives a sin and a cos channel.
 * Positions are (x, y) in [0, 1); DETR normalises its pixel index to (0, 2π], which is our 2π·coordinate.
 *
 * <p>Layout: the fused op writes [cos z ‖ sin z] with z = [y·f_0 .. y·f_{P/2−1}, x·f_0 .. x·f_{P/2−1}], so
 * the channels are DETR's, permuted (DETR interleaves sin/cos and puts all of y before x). The frequencies
 * are a fixed buffer {@code encoding.w} (D/2, 2) in radians per unit. Needs M = 2 and D divisible by 4.
 */
final class Sine2d implements Encoding {
    private final ParameterStore.Parameter w;
    private final double temperature;

    Sine2d(EncodingParams p, ParameterStore store) {
        Require.that(p.positionDims() == 2, "sine2d", "positionDims", "2", p.positionDims());
        int d = Require.positive("sine2d", "outputDims", p.outputDims());
        Require.that(d % 4 == 0, "sine2d", "outputDims", "a multiple of 4 (sin and cos for y and x)", d);
        temperature = Require.positive("sine2d", "temperature", p.temperature());
        int perAxis = d / 4, pairs = d / 2;
        ParameterStore.Init freq = (t, rng) -> {   // in place at allocation: d may come from an untrusted file
            for (int k = 0; k < perAxis; k++) {
                float f = (float) (2 * Math.PI / Math.pow(temperature, 2.0 * k / pairs));
                t.set(k * 2L + 1, f);                   // y rows: [0, f]
                t.set((perAxis + (long) k) * 2, f);     // x rows: [f, 0]
            }
        };
        w = store.declareBuffer("encoding.w", Shape.of(2 * perAxis, 2), freq);
    }

    @Override public String name() { return "sine2d"; }

    @Override public int inputDims() { return 2; }

    @Override public int outputDims() { return 2 * w.shape().dim(0); }

    @Override public List<ParameterStore.Parameter> parameters() { return List.of(w); }

    @Override public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("encoding", name());
        c.put("position_dims", "2");
        c.put("output_dims", Integer.toString(outputDims()));
        c.put("temperature", Double.toString(temperature));
        return c;
    }

    @Override public Var apply(Tape tape, Var positions) {
        Require.that(positions.cols() == 2, "sine2d", "positions", "(N, 2)", positions.shape());
        return FourierFeatures.apply(tape, positions, w.var(tape), 1f);
    }
}
