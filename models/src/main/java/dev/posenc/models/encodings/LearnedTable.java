package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.autograd.ops.Matmul;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Tensor;
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
        float[] r = new float[n], c = new float[n];
        boolean whole = true;
        for (int i = 0; i < n; i++) {
            r[i] = inExtent(positions.value().get(i, 0), rows, "row", i);
            c[i] = inExtent(positions.value().get(i, 1), cols, "col", i);
            whole &= r[i] == Math.rint(r[i]) && c[i] == Math.rint(c[i]) && r[i] >= 0 && r[i] < rows && c[i] >= 0
                    && c[i] < cols;
        }
        if (!whole) return interpolated(tape, r, c);
        if (kind == Kind.EMBED_2D) {
            return Elementwise.add(tape, Embedding.gather(tape, rowTable.var(tape), toInt(r)),
                    Embedding.gather(tape, colTable.var(tape), toInt(c)));
        }
        int[] flat = new int[n];
        for (int i = 0; i < n; i++) flat[i] = (int) r[i] * cols + (int) c[i];
        return Embedding.gather(tape, table.var(tape), flat);
    }

    /** Bilinear: embed2d = W_r·E_r + W_c·E_c, embed1d = W·E; a row of W holds two (or four) cells' weights. */
    private Var interpolated(Tape tape, float[] r, float[] c) {
        int n = r.length;
        if (kind == Kind.EMBED_2D) {
            Tensor wr = tape.alloc(n, rows), wc = tape.alloc(n, cols);
            for (int i = 0; i < n; i++) {
                int row = i;
                spread(r[i], rows, (cell, weight) -> wr.set(row, cell, wr.get(row, cell) + (float) weight));
                spread(c[i], cols, (cell, weight) -> wc.set(row, cell, wc.get(row, cell) + (float) weight));
            }
            return Elementwise.add(tape, Matmul.apply(tape, tape.constant(wr), rowTable.var(tape), MatmulForm.NN),
                    Matmul.apply(tape, tape.constant(wc), colTable.var(tape), MatmulForm.NN));
        }
        Tensor w = tape.alloc(n, rows * cols);
        for (int i = 0; i < n; i++) {
            int row = i;
            spread(r[row], rows, (ri, wi) -> spread(c[row], cols, (ci, wj) -> {
                int k = ri * cols + ci;
                w.set(row, k, w.get(row, k) + (float) (wi * wj));
            }));
        }
        return Matmul.apply(tape, tape.constant(w), table.var(tape), MatmulForm.NN);
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

    private static int[] toInt(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
        return out;
    }

    /** Coordinate v of an axis of {@code size} cells, which must lie within the cells' extent [−½, size − ½]. */
    private float inExtent(float v, int size, String axis, int i) {
        if (!(v >= -0.5f && v <= size - 0.5f)) throw new ExtrapolationException(("%s: positions[%d]: expected a %s "
                + "in [-0.5, %s] (the learned %d × %d grid's extent), got %s: a learned table cannot extrapolate")
                .formatted(name, i, axis, size - 0.5, rows, cols, v));
        return v;
    }
}
