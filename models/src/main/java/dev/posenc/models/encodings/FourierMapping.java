package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tancik et al.'s fixed Fourier feature mappings, γ(v) = [cos(2π Bv) ‖ sin(2π Bv)] with a_j = 1 and no 1/√F:
 * v (N, M), B (K, M) in cycles per unit, γ(v) (N, 2K). B is a fixed buffer {@code encoding.b}, saved with the
 * model. Each step computes W = 2π·B (K×M floats, negligible) and runs the fused {@link FourierFeatures} op
 * with amplitude 1 in place of its default 1/√(2K). The notebook puts sin first; the order of features does
 * not matter to the MLP that follows.
 * <ul>
 *   <li>{@code basic}: B = I, so [cos 2πv, sin 2πv] (K = M).</li>
 *   <li>{@code positional}: per axis, b_j = 2^(scale·j/(m−1)) − 1 for j = 0..m−1, i.e. the notebook's
 *       {@code 2**linspace(0, scale, m) − 1}, first along axis 0 for all j, then axis 1, ... (K = M·m).
 *       The paper writes b_j = σ^(j/m): a geometric ladder from 1 to σ. The code's ladder is the same
 *       geometric one with σ = 2^scale, shifted down by 1 so that it starts at frequency 0 (a constant
 *       feature) and ends at 2^scale − 1 (63 cycles for scale 6).</li>
 *   <li>{@code gaussian}: B ~ N(0, σ²), m × M, drawn once from the store's Rng (Tancik: m = 256, σ = 10).</li>
 * </ul>
 */
final class FourierMapping implements Encoding {
    private final String name;
    private final int m;
    private final ParameterStore.Parameter b;
    private final Map<String, String> config = new LinkedHashMap<>();

    private FourierMapping(String name, int m, ParameterStore.Parameter b) {
        this.name = name;
        this.m = m;
        this.b = b;
        config.put("encoding", name);
        config.put("position_dims", Integer.toString(m));
    }

    static FourierMapping basic(EncodingParams p, ParameterStore store) {
        int m = Require.positive("basic", "positionDims", p.positionDims());
        // filled in place at allocation, not from an m² array now: a loaded file's m is untrusted until its
        // tensors are compared with the declared shapes (ModelFile)
        ParameterStore.Init eye = (t, rng) -> { for (long i = 0; i < m; i++) t.set(i * m + i, 1); };
        return new FourierMapping("basic", m, store.declareBuffer("encoding.b", Shape.of(m, m), eye));
    }

    static FourierMapping positional(EncodingParams p, ParameterStore store) {
        int m = Require.positive("positional", "positionDims", p.positionDims());
        int perAxis = Require.positive("positional", "perAxis", p.perAxis());
        double scale = Require.nonNegative("positional", "scale", p.scale());
        Require.that((long) m * perAxis <= Integer.MAX_VALUE, "positional", "perAxis",
                "at most %d for %d position dims".formatted(Integer.MAX_VALUE / m, m), perAxis);
        ParameterStore.Init b = (tensor, rng) -> {                        // in place at allocation, as basic's
            for (int axis = 0; axis < m; axis++) {
                for (int j = 0; j < perAxis; j++) {
                    double t = perAxis == 1 ? 0 : scale * j / (perAxis - 1);    // linspace(0, scale, perAxis)
                    tensor.set(((long) axis * perAxis + j) * m + axis, (float) (Math.pow(2, t) - 1));
                }
            }
        };
        var mapping = new FourierMapping("positional", m,
                store.declareBuffer("encoding.b", Shape.of(m * perAxis, m), b));
        mapping.config.put("scale", Double.toString(scale));
        mapping.config.put("per_axis", Integer.toString(perAxis));
        return mapping;
    }

    static FourierMapping gaussian(EncodingParams p, ParameterStore store) {
        int m = Require.positive("gaussian", "positionDims", p.positionDims());
        int features = Require.positive("gaussian", "gaussianFeatures", p.gaussianFeatures());
        double sigma = Require.nonNegative("gaussian", "sigma", p.sigma());
        var mapping = new FourierMapping("gaussian", m,
                store.declareBuffer("encoding.b", Shape.of(features, m), Inits.normal(sigma)));
        mapping.config.put("sigma", Double.toString(sigma));
        mapping.config.put("features", Integer.toString(features));
        return mapping;
    }

    @Override public String name() { return name; }

    @Override public int inputDims() { return m; }

    @Override public int outputDims() { return 2 * b.shape().dim(0); }

    @Override public List<ParameterStore.Parameter> parameters() { return List.of(b); }

    @Override public Map<String, String> config() { return new LinkedHashMap<>(config); }

    /** B itself (K, M), cycles per unit. */
    ParameterStore.Parameter frequencies() { return b; }

    @Override public Var apply(Tape tape, Var positions) {
        Require.that(positions.cols() == m, name, "positions", "(N, %d)".formatted(m), positions.shape());
        Tensor w = tape.alloc(b.shape());
        tape.backend().scale(w, b.value(), (float) (2 * Math.PI));
        return FourierFeatures.apply(tape, positions, tape.constant(w), 1f);
    }
}
