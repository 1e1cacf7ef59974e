package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Element-wise arithmetic on same-shape tensors, and a row broadcast (a bias added to every row).
 * Each backward is one line of calculus: ∂(a+b)/∂a = 1, ∂(a−b)/∂b = −1, ∂(a⊙b)/∂a = b, ∂(s·a)/∂a = s.
 */
public final class Elementwise {
    private Elementwise() {}

    /** out = a + b.  Backward: da += dOut; db += dOut. */
    public static Var add(Tape tape, Var a, Var b) {
        Backend be = tape.backend();
        Shapes.same("add", "b", a.value(), b.value());
        Tensor out = tape.allocUninitialized(a.shape());
        be.add(out, a.value(), b.value());
        return tape.record("add", out, List.of(a, b), dOut -> {
            if (a.requiresGrad()) Grads.addScaled(be, a, 1f, dOut);
            if (b.requiresGrad()) Grads.addScaled(be, b, 1f, dOut);
        });
    }

    /** out = a − b.  Backward: da += dOut; db −= dOut. */
    public static Var sub(Tape tape, Var a, Var b) {
        Backend be = tape.backend();
        Shapes.same("sub", "b", a.value(), b.value());
        Tensor out = tape.allocUninitialized(a.shape());
        be.sub(out, a.value(), b.value());
        return tape.record("sub", out, List.of(a, b), dOut -> {
            if (a.requiresGrad()) Grads.addScaled(be, a, 1f, dOut);
            if (b.requiresGrad()) Grads.addScaled(be, b, -1f, dOut);
        });
    }

    /** out = a ⊙ b.  Backward: da += dOut ⊙ b; db += dOut ⊙ a (a and b are kept: the rule needs them). */
    public static Var mul(Tape tape, Var a, Var b) {
        Backend be = tape.backend();
        Shapes.same("mul", "b", a.value(), b.value());
        Tensor out = tape.allocUninitialized(a.shape());
        be.mul(out, a.value(), b.value());
        return tape.record("mul", out, List.of(a, b), dOut -> {
            if (a.requiresGrad()) Grads.addProduct(tape, be, a, dOut, b.value());
            if (b.requiresGrad()) Grads.addProduct(tape, be, b, dOut, a.value());
        });
    }

    /** out = s·a.  Backward: da += s·dOut. */
    public static Var scale(Tape tape, Var a, float s) {
        Backend be = tape.backend();
        Tensor out = tape.allocUninitialized(a.shape());
        be.scale(out, a.value(), s);
        return tape.record("scale", out, List.of(a), dOut -> Grads.addScaled(be, a, s, dOut));
    }

    /**
     * out[r, c] = a[r, c] + row[c]; a (R, C), row (C).
     * Backward: da += dOut; drow[c] += Σ_r dOut[r, c] (the row was used by every r).
     */
    public static Var addRowBroadcast(Tape tape, Var a, Var row) {
        Backend be = tape.backend();
        Shapes.require(row.value().size() == a.cols(), "add_row_broadcast", "row", a.cols() + " elements", row.shape());
        Tensor out = tape.allocUninitialized(a.shape());
        be.addRowBroadcast(out, a.value(), row.value());
        return tape.record("add_row_broadcast", out, List.of(a, row), dOut -> {
            if (a.requiresGrad()) Grads.addScaled(be, a, 1f, dOut);
            if (row.requiresGrad()) Grads.addRowSums(be, row, dOut, a.rows());
        });
    }

    /**
     * out[b, ...] = x[b, ...] + table[...]: one table added to every batch entry, e.g. a (T, D) position table to
     * (B, T, D) tokens; table's shape is x's without the first axis. x is seen as (B, T·D) rows and the table as
     * one row, so this is {@link #addRowBroadcast} under other names.
     * Backward: dx += dOut; dtable += Σ_b dOut[b] (the table was used by every entry).
     */
    public static Var addBatchBroadcast(Tape tape, Var x, Var table) {
        Backend be = tape.backend();
        int[] rest = x.shape().dims();
        Shapes.require(rest.length >= 2, "add_batch_broadcast", "x", "a tensor (B, ...) of rank >= 2", x.shape());
        Shapes.require(table.shape().equals(Shape.of(java.util.Arrays.copyOfRange(rest, 1, rest.length))),
                "add_batch_broadcast", "table", "x's shape without its batch axis", table.shape());
        int b = rest[0], row = Math.toIntExact(table.value().size());
        Tensor out = tape.allocUninitialized(x.shape());
        be.addRowBroadcast(out.reshape(b, row), x.value().reshape(b, row), table.value().reshape(row));
        return tape.record("add_batch_broadcast", out, List.of(x, table), dOut -> {
            if (x.requiresGrad()) Grads.addScaled(be, x, 1f, dOut);
            if (table.requiresGrad()) Grads.addRowSums(be, table, dOut, b);
        });
    }
}
