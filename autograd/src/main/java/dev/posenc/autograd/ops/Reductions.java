package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Sums and means: of everything (a scalar of shape ()), over the rows (one value per column) and over
 * the columns (one value per row). x is seen as (R, C), leading axes folded into R.
 * A sum's backward copies the output gradient back to every element that was summed ("broadcast").
 */
public final class Reductions {
    private Reductions() {}

    /** s = Σ x.  Backward: dx += ds (every element). */
    public static Var sum(Tape tape, Var x) { return total(tape, x, "sum", 1.0); }

    /** s = Σ x / n.  Backward: dx += ds / n. */
    public static Var mean(Tape tape, Var x) { return total(tape, x, "mean", 1.0 / x.value().size()); }

    private static Var total(Tape tape, Var x, String op, double scale) {
        Backend be = tape.backend();
        Tensor s = tape.alloc(Shape.of());
        s.set(0, (float) (scale * be.sum(x.value()))); // the backend sums in double; one rounding here
        return tape.record(op, s, List.of(x), ds -> {
            Tensor spread = tape.alloc(x.shape());
            be.fill(spread, (float) (scale * ds.get(0)));
            be.axpy(x.grad(), 1f, spread);
        });
    }

    /** out[c] = Σ_r x[r, c] (C).  Backward: dx[r, c] += dOut[c]. */
    public static Var sumRows(Tape tape, Var x) { return overRows(tape, x, "sum_rows", 1f); }

    /** out[c] = Σ_r x[r, c] / R (C).  Backward: dx[r, c] += dOut[c] / R. */
    public static Var meanRows(Tape tape, Var x) { return overRows(tape, x, "mean_rows", 1f / x.rows()); }

    private static Var overRows(Tape tape, Var x, String op, float scale) {
        Backend be = tape.backend();
        int r = x.rows(), c = x.cols();
        Tensor out = tape.alloc(c);
        be.sumRows(out, x.value().reshape(r, c), scale, false);
        return tape.record(op, out, List.of(x), dOut -> {
            Tensor scaled = tape.alloc(c);
            be.scale(scaled, dOut, scale);
            Tensor dx = x.grad().reshape(r, c);
            be.addRowBroadcast(dx, dx, scaled);   // in place: dx[r, ·] += scale·dOut
        });
    }

    /** out[r] = Σ_c x[r, c] (R).  Backward: dx[r, c] += dOut[r]. */
    public static Var sumCols(Tape tape, Var x) { return overCols(tape, x, "sum_cols", 1f); }

    /** out[r] = Σ_c x[r, c] / C (R).  Backward: dx[r, c] += dOut[r] / C. */
    public static Var meanCols(Tape tape, Var x) { return overCols(tape, x, "mean_cols", 1f / x.cols()); }

    private static Var overCols(Tape tape, Var x, String op, float scale) {
        Backend be = tape.backend();
        int r = x.rows(), c = x.cols();
        Tensor out = tape.alloc(r);
        be.sumCols(out, x.value().reshape(r, c), scale, false);
        return tape.record(op, out, List.of(x), dOut -> {
            // There is no column-broadcast kernel; dx += dOut (R, 1) · [scale … scale] (1, C) is the same
            // outer product, done by the matmul kernel with accumulation.
            Tensor row = tape.alloc(1, c);
            be.fill(row, scale);
            be.matmul(x.grad().reshape(r, c), dOut.reshape(r, 1), row, MatmulForm.NN, true);
        });
    }
}
