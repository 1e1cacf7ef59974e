package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.autograd.ops.Matmul;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The learned baselines of Li et al. (spec §1.3): a trained vector per grid position, looked up by index.
 * Positions are integer grid cells (row, col), 0 ≤ row &lt; R, 0 ≤ col &lt; C (for the ViT: patch units).
 * <ul>
 *   <li>{@code embed1d}: one table E (R·C, D); position (r, c) gets E[r·C + c] (ViT/BERT's flattened index).</li>
 *   <li>{@code embed2d}: a row table E_r (R, D) and a column table E_c (C, D); position (r, c) gets
 *       E_r[r] + E_c[c]. Summed, not concatenated (the paper allows either): every channel then sees both
 *       axes, and D need not be even.</li>
 * </ul>
 * Tables start at N(0, s²), s = {@link EncodingParams#tableStd()}: 0.02 by default, as ViT's {@code pos_embed}. Backward is {@link Embedding}'s scatter-add.
 * Positions between cells (another resolution's patch centres, see the ViT) are interpolated bilinearly from
 * the four (embed1d) or two-per-axis (embed2d) nearest cells, clamped to the edge cells: timm's
 * {@code resample_abs_pos_embed} with {@code align_corners=False}, the usual ViT trick. The interpolation is a
 * product with a constant weight matrix, so gradients reach the cells. A position outside [−½, size − ½] on an
 * axis, beyond every cell's extent, throws {@link ExtrapolationException}. Tensors: {@code encoding.table}, or
 * {@code encoding.rows} and {@code encoding.cols}.
 */
final class LearnedTable implements Encoding {
    enum Kind { EMBED_1D, EMBED_2D }

    private final Kind kind;
    private final String name;
    private final int rows, cols, dims;
    private final double initStd;
    private final ParameterStore.Parameter table, rowTable, colTable;   // table for 1-D; row/col tables for 2-D

    LearnedTable(Kind kind, EncodingParams p, ParameterStore store) {
        this.kind = kind;
        name = kind == Kind.EMBED_1D ? "embed1d" : "embed2d";
        Require.that(p.positionDims() == 2, name, "positionDims", "2 (row, col)", p.positionDims());
        rows = Require.positive(name, "gridRows", p.gridRows());
        cols = Require.positive(name, "gridCols", p.gridCols());
        dims = Require.positive(name, "outputDims", p.outputDims());
        initStd = Require.positive(name, "tableStd", p.tableStd());
        Require.that((long) rows * cols < (1 << 24), name, "grid", "fewer than 2^24 cells (indices are floats)",
                rows + " × " + cols);
        if (kind == Kind.EMBED_1D) {
            table = store.declare("encoding.table", Shape.of(Math.multiplyExact(rows, cols), dims),
                    Inits.normal(initStd));
            rowTable = colTable = null;
        } else {
            table = null;
            rowTable = store.declare("encoding.rows", Shape.of(rows, dims), Inits.normal(initStd));
            colTable = store.declare("encoding.cols", Shape.of(cols, dims), Inits.normal(initStd));
        }
    }

    @Override public String name() { return name; }

    @Override public int inputDims() { return 2; }

    @Override public int outputDims() { return dims; }

    @Override public List<ParameterStore.Parameter> parameters() {
        return kind == Kind.EMBED_1D ? List.of(table) : List.of(rowTable, colTable);
    }

    @Override public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("encoding", name);
        c.put("position_dims", "2");
        c.put("output_dims", Integer.toString(dims));
        c.put("grid_rows", Integer.toString(rows));
        c.put("grid_cols", Integer.toString(cols));
        if (initStd != EncodingParams.defaults(2).tableStd()) c.put("table_std", Double.toString(initStd));
        return c;
    }

    @Override public Var apply(Tape tape, Var positions) {
        Require.that(positions.value().rank() == 2 && positions.cols() == 2, name, "positions", "(N, 2)",
                positions.shape());
        TensorMemory memory = tape.backend().memory();
        if (!memory.device()) return apply(tape, lookup(positions.value(), tape::alloc));
        return apply(tape, resident(memory, positions.value()));
    }

    /**
     * What a set of positions needs from the tables: the cells' row numbers (every position on a whole cell:
     * gathers) or the bilinear weights (else: products). {@code second} is the column table's, null for embed1d.
     */
    private record Lookup(boolean whole, Tensor first, Tensor second) {}

    private Var apply(Tape tape, Lookup l) {
        if (l.whole()) {
            if (kind == Kind.EMBED_1D) return Embedding.gather(tape, table.var(tape), l.first());
            return Elementwise.add(tape, Embedding.gather(tape, rowTable.var(tape), l.first()),
                    Embedding.gather(tape, colTable.var(tape), l.second()));
        }
        if (kind == Kind.EMBED_1D) return Matmul.apply(tape, tape.constant(l.first()), table.var(tape), MatmulForm.NN);
        return Elementwise.add(tape, Matmul.apply(tape, tape.constant(l.first()), rowTable.var(tape), MatmulForm.NN),
                Matmul.apply(tape, tape.constant(l.second()), colTable.var(tape), MatmulForm.NN));
    }

    /** The lookup of host positions (N, 2), in zeroed host tensors from {@code alloc}. */
    private Lookup lookup(Tensor positions, Function<Shape, Tensor> alloc) {
        int n = positions.rows();
        float[] r = new float[n], c = new float[n];
        boolean whole = true;
        for (int i = 0; i < n; i++) {
            r[i] = inExtent(positions.get(i, 0), rows, "row", i);
            c[i] = inExtent(positions.get(i, 1), cols, "col", i);
            whole &= r[i] == Math.rint(r[i]) && c[i] == Math.rint(c[i]) && r[i] >= 0 && r[i] < rows && c[i] >= 0
                    && c[i] < cols;
        }
        if (whole && kind == Kind.EMBED_2D) {
            Tensor ri = alloc.apply(Shape.of(n)), ci = alloc.apply(Shape.of(n));
            for (int i = 0; i < n; i++) {
                ri.set(i, r[i]);
                ci.set(i, c[i]);
            }
            return new Lookup(true, ri, ci);
        }
        if (whole) {
            Tensor flat = alloc.apply(Shape.of(n));
            for (int i = 0; i < n; i++) flat.set(i, r[i] * cols + c[i]);   // exact: rows·cols < 2²⁴ (constructor)
            return new Lookup(true, flat, null);
        }
        return interpolationWeights(r, c, alloc);
    }

    /** Bilinear: embed2d = W_r·E_r + W_c·E_c, embed1d = W·E; a row of W holds two (or four) cells' weights. */
    private Lookup interpolationWeights(float[] r, float[] c, Function<Shape, Tensor> alloc) {
        int n = r.length;
        if (kind == Kind.EMBED_2D) {
            Tensor wr = alloc.apply(Shape.of(n, rows)), wc = alloc.apply(Shape.of(n, cols));
            for (int i = 0; i < n; i++) {
                int row = i;
                spread(r[i], rows, (cell, weight) -> wr.set(row, cell, wr.get(row, cell) + (float) weight));
                spread(c[i], cols, (cell, weight) -> wc.set(row, cell, wc.get(row, cell) + (float) weight));
            }
            return new Lookup(false, wr, wc);
        }
        Tensor w = alloc.apply(Shape.of(n, rows * cols));
        for (int i = 0; i < n; i++) {
            int row = i;
            spread(r[row], rows, (ri, wi) -> spread(c[row], cols, (ci, wj) -> {
                int k = ri * cols + ci;
                w.set(row, k, w.get(row, k) + (float) (wi * wj));
            }));
        }
        return new Lookup(false, w, null);
    }

    // On a device the positions cannot be read per step without a copy. A model's positions are fixed tensors (the
    // ViT keeps one per grid size in backend memory), so their lookup is made once, from one download, and kept in
    // the device's memory beside them, keyed by the positions tensor itself (identity: a new tensor at a reused
    // address is a new key). Positions must not change in place once looked up. At most LOOKUPS are kept; the
    // oldest is freed first (a step uses one or two, so none in use is freed); the rest go with the backend's memory
    // (an encoding has no close: a few hundred bytes per grid size).
    private static final int LOOKUPS = 8;
    private final Map<Object, Resident> lookups = new LinkedHashMap<>();
    private TensorMemory lookupMemory;

    private record Resident(Lookup lookup, TensorMemory.Region region) {}

    private record Identity(Tensor t) {
        @Override public boolean equals(Object o) { return o instanceof Identity i && i.t == t; }

        @Override public int hashCode() { return System.identityHashCode(t); }
    }

    private Lookup resident(TensorMemory memory, Tensor positions) {
        if (memory != lookupMemory) {
            for (Resident r : lookups.values()) r.region().close();
            lookups.clear();
            lookupMemory = memory;
        }
        Resident kept = lookups.get(new Identity(positions));
        if (kept != null) return kept.lookup();
        TensorMemory.Region region = memory.region();
        Lookup made;
        try (Arena arena = Arena.ofConfined()) {
            Lookup host = lookup(memory.toHost(arena, positions), shape -> Tensor.zeros(arena, shape));
            made = new Lookup(host.whole(), memory.resident(region, host.first()),
                    host.second() == null ? null : memory.resident(region, host.second()));
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
        if (lookups.size() == LOOKUPS) {
            var eldest = lookups.entrySet().iterator().next();
            eldest.getValue().region().close();
            lookups.remove(eldest.getKey());
        }
        lookups.put(new Identity(positions), new Resident(made, region));
        return made;
    }

    private interface CellWeight { void add(int cell, double weight); }

    /** The linear-interpolation weights of coordinate v over cells 0..size−1, v clamped to [0, size − 1]. */
    private static void spread(float v, int size, CellWeight out) {
        double x = Math.clamp(v, 0, size - 1);
        int lo = (int) Math.floor(x), hi = Math.min(lo + 1, size - 1);
        double f = x - lo;
        out.add(lo, 1 - f);
        if (hi != lo) out.add(hi, f);
    }

    /** Coordinate v of an axis of {@code size} cells, which must lie within the cells' extent [−½, size − ½]. */
    private float inExtent(float v, int size, String axis, int i) {
        if (!(v >= -0.5f && v <= size - 0.5f)) throw new ExtrapolationException(("%s: positions[%d]: expected a %s "
                + "in [-0.5, %s] (the learned %d × %d grid's extent), got %s: a learned table cannot extrapolate")
                .formatted(name, i, axis, size - 0.5, rows, cols, v));
        return v;
    }
}
