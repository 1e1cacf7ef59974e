package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.models.nn.ParameterStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code none}: the coordinates themselves, γ(v) = v (Tancik's "no mapping"). D = M. */
final class Identity implements Encoding {
    private final int dims;

    Identity(EncodingParams p) { dims = Require.positive("none", "positionDims", p.positionDims()); }

    @Override public String name() { return "none"; }

    @Override public int inputDims() { return dims; }

    @Override public int outputDims() { return dims; }

    @Override public List<ParameterStore.Parameter> parameters() { return List.of(); }

    @Override public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("encoding", name());
        c.put("position_dims", Integer.toString(dims));
        return c;
    }

    @Override public Var apply(Tape tape, Var positions) {
        Require.that(positions.cols() == dims, "none", "positions", "(N, %d)".formatted(dims), positions.shape());
        return positions;
    }
}
