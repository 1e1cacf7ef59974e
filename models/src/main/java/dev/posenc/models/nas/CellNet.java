package dev.posenc.models.nas;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.BatchNorm2d;
import dev.posenc.autograd.ops.Conv2d;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.Mixture;
import dev.posenc.autograd.ops.Pool2d;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The toy search network of spec §7.3, DARTS's structure at CPU scale, for 1 × S × S images:
 * <pre>
 *   stem:    conv 3×3 (1 → C) → BN                                      S × S
 *   cell 0:  n1 = e0(s);  n2 = e1(s) + e2(n1);  out = n1 + n2            S × S, C channels
 *   reduce:  ReLU → conv 3×3 stride 2 (C → 2C) → BN (fixed, not searched)  S/2 × S/2
 *   cell 1:  the same three edges on 2C channels
 *   head:    global average pool → linear (2C → 10)
 * </pre>
 * Each edge e is a choice among candidate {@link NasOp}s: in the supernet every candidate, mixed by the edge's
 * weights ({@link Mixture}); in a discrete network one. Cells sum their nodes instead of DARTS's concatenation, so
 * the channel count stays C; no node has more than two inputs, so DARTS-PT's topology projection has nothing to
 * prune here and only operations are selected. Each cell has its own α (like DARTS's normal and reduce cells).
 */
final class CellNet implements AutoCloseable {
    static final int CELLS = 2, EDGES_PER_CELL = 3, EDGES = CELLS * EDGES_PER_CELL, CLASSES = 10;
    private static final ConvGeometry K3 = ConvGeometry.of(3, 1, 1), DOWN = ConvGeometry.of(3, 2, 1);

    private final ParameterStore store = new ParameterStore();
    private final List<NasOp> candidates;
    private final NasOp[] fixed;              // per edge in a discrete network; null in the supernet
    private final List<List<NasOp.EdgeOp>> edgeOps = new ArrayList<>();
    private final ParameterStore.Parameter stem, reduce, headW, headB;

    /**
     * A supernet over {@code candidates} (when {@code fixed} is null) or the discrete network with op
     * {@code fixed[e]} on edge e; {@code channels} = C. Weights are drawn from {@code seed}.
     */
    CellNet(List<NasOp> candidates, NasOp[] fixed, int channels, long seed) {
        this.candidates = List.copyOf(candidates);
        this.fixed = fixed == null ? null : fixed.clone();
        stem = NasOp.conv(store, "stem.w", channels, 1, 3);
        reduce = NasOp.conv(store, "reduce.w", 2 * channels, channels, 3);
        for (int e = 0; e < EDGES; e++) {
            int c = e < EDGES_PER_CELL ? channels : 2 * channels;
            List<NasOp.EdgeOp> ops = new ArrayList<>();
            for (NasOp op : fixed == null ? this.candidates : List.of(fixed[e])) ops.add(op.declare(store, "e" + e, c));
            edgeOps.add(ops);
        }
        headW = store.declare("head.w", Shape.of(CLASSES, 2 * channels), Inits.torchLinear(2 * channels));
        headB = store.declare("head.b", Shape.of(CLASSES), Inits.torchLinear(2 * channels));
        store.allocate(new Rng(seed));
    }

    ParameterStore store() { return store; }

    List<NasOp> candidates() { return candidates; }

    /**
     * Logits (B, 10) of images (B, 1, S, S). {@code edgeWeights[e]} mixes the supernet's edge e (ignored by a
     * discrete network, which may pass null).
     */
    Var forward(Tape tape, Var images, Var[] edgeWeights) {
        Var s = BatchNorm2d.apply(tape, Conv2d.apply(tape, images, stem.var(tape), K3));
        s = cell(tape, s, 0, edgeWeights);
        s = BatchNorm2d.apply(tape, Conv2d.apply(tape, Activations.relu(tape, s), reduce.var(tape), DOWN));
        s = cell(tape, s, 1, edgeWeights);
        return Linear.apply(tape, Pool2d.globalAvg(tape, s), headW.var(tape), headB.var(tape));
    }

    private Var cell(Tape tape, Var s, int cell, Var[] w) {
        int e0 = cell * EDGES_PER_CELL;
        Var n1 = edge(tape, s, e0, w);
        Var a = edge(tape, s, e0 + 1, w), b = edge(tape, n1, e0 + 2, w);
        Var n2 = sum(tape, a, b);
        Var out = sum(tape, n1, n2);
        return out != null ? out : s;   // every edge none: the cell passes its input on (never selected in practice)
    }

    /** Edge e applied to x; null when its only op is none (a zero tensor that is not materialised). */
    private Var edge(Tape tape, Var x, int e, Var[] w) {
        List<NasOp.EdgeOp> ops = edgeOps.get(e);
        if (fixed != null) return ops.getFirst() == null || x == null ? null : ops.getFirst().apply(tape, x);
        if (x == null) return null;
        List<Var> outs = new ArrayList<>();
        float[] weights = w[e].value().toArray();
        for (int i = 0; i < ops.size(); i++) {
            // a candidate with weight exactly 0 (masked or projected away) costs nothing and adds nothing
            outs.add(ops.get(i) == null || weights[i] == 0f ? null : ops.get(i).apply(tape, x));
        }
        return outs.stream().allMatch(o -> o == null) ? null : Mixture.apply(tape, outs, w[e]);
    }

    private static Var sum(Tape tape, Var a, Var b) {
        if (a == null) return b;
        if (b == null) return a;
        return Elementwise.add(tape, a, b);
    }

    @Override public void close() { store.close(); }
}
