package dev.posenc.models.graph;

import dev.posenc.core.Rng;
import dev.posenc.core.graph.Graph;
import dev.posenc.models.nn.ParameterStore;

import java.util.Arrays;
import java.util.List;

/**
 * The models of {@code posenc graph}, by name: plain GCN and GIN (no position), the same with anchor indication
 * (one one-hot input channel per anchor), GIR, and GCN fused with GIR.
 */
public enum GraphModel {
    GCN("gcn"), GIN("gin"), GCN_ANCHOR("gcn-anchor"), GIN_ANCHOR("gin-anchor"), GIR("gir"), GCN_GIR("gcn+gir");

    /** The default list of {@code --models}. */
    public static final List<GraphModel> DEFAULT = List.of(GCN, GIN, GCN_ANCHOR, GIN_ANCHOR, GIR, GCN_GIR);

    private final String label;

    GraphModel(String label) { this.label = label; }

    public String label() { return label; }

    public boolean usesAnchors() { return this != GCN && this != GIN; }

    /**
     * The model of this name.
     *
     * @throws IllegalArgumentException naming {@code --models} and the allowed names
     */
    public static GraphModel of(String name) {
        for (GraphModel m : values()) if (m.label.equals(name)) return m;
        throw new IllegalArgumentException("--models: expected a list of %s, got \"%s\"".formatted(
                String.join(", ", Arrays.stream(values()).map(GraphModel::label).toList()), name));
    }

    /** Widths and depth shared by every model. */
    public record Sizes(int hidden, int out, int depth, int girWidth) {}

    /**
     * A new encoder of this kind on {@code graph} (node input: the constant 1) with the given anchors, its weights
     * allocated from {@code Rng(seed)}. The caller closes the store.
     */
    public NodeEncoder build(Graph graph, int[] anchors, Sizes s, long seed) {
        ParameterStore store = new ParameterStore();
        try {
            int n = graph.nodes();
            float[] plain = Gcn.indicated(n, new int[0]), indicated = Gcn.indicated(n, anchors);
            int k = anchors.length;
            NodeEncoder e = switch (this) {
                case GCN -> new Gcn(store, "", graph, plain, 1, s.hidden(), s.out(), s.depth());
                case GIN -> new Gin(store, "", graph, plain, 1, s.hidden(), s.out(), s.depth());
                case GCN_ANCHOR -> new Gcn(store, "", graph, indicated, 1 + k, s.hidden(), s.out(), s.depth());
                case GIN_ANCHOR -> new Gin(store, "", graph, indicated, 1 + k, s.hidden(), s.out(), s.depth());
                case GIR -> new Gir(store, "", graph, plain, 1, anchors, s.girWidth(), s.depth());
                case GCN_GIR -> new GcnGir(store, new Gcn(store, "gcn.", graph, plain, 1, s.hidden(), s.out(), s.depth()),
                        s.out(), new Gir(store, "gir.", graph, plain, 1, anchors, s.girWidth(), s.depth()), k, s.out());
            };
            store.allocate(new Rng(seed));
            return e;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
