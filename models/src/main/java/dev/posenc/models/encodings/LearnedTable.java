package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.core.Shape;
import dev.posenc.models.nn.Inits;
import dev.posenc.models.nn.ParameterStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * A position outside the grid throws {@link ExtrapolationException} (a table has no row for it); a
 * non-integer position is an IllegalArgumentException. Tensors: {@code encoding.table}, or
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
        int n = positions.rows();
        int[] r = new int[n], c = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = cell(positions.value().get(i, 0), rows, "row", i);
            c[i] = cell(positions.value().get(i, 1), cols, "col", i);
        }
        if (kind == Kind.EMBED_2D) {
            return Elementwise.add(tape, Embedding.gather(tape, rowTable.var(tape), r),
                    Embedding.gather(tape, colTable.var(tape), c));
        }
        int[] flat = new int[n];
        for (int i = 0; i < n; i++) flat[i] = r[i] * cols + c[i];
        return Embedding.gather(tape, table.var(tape), flat);
    }

    /** The integer cell of coordinate v, which must be a whole number in [0, size). */
    private int cell(float v, int size, String axis, int i) {
        if (v != Math.rint(v)) throw new IllegalArgumentException(
                "%s: positions[%d]: expected a whole-number %s, got %s".formatted(name, i, axis, v));
        if (v < 0 || v >= size) throw new ExtrapolationException(("%s: positions[%d]: expected a %s in [0, %d) (the "
                + "learned %d × %d grid), got %s: a learned table cannot extrapolate").formatted(name, i, axis, size,
                rows, cols, (int) v));
        return (int) v;
    }
}
