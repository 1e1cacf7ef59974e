package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.SparseKernels;
import dev.posenc.core.Tensor;
import dev.posenc.core.graph.Csr;

import java.util.List;

/**
 * Message passing as sparse products (Gilmer et al. 2017's MPNN, Kipf &amp; Welling 2017's GCN). Every op here is
 * out = A·x for a fixed sparse A (R × C) and a dense x (C, D), computed by the backend's {@link SparseKernels}:
 * <pre>
 *   forward:   out[r, :] = Σ_{k ∈ row r} A_k · x[col_k, :]                       out (R, D)
 *   backward:  dx += Aᵀ · dOut                                                    (the transpose, row-parallel too)
 * </pre>
 * The named cases:
 * <ul>
 *   <li>{@link #gather}: out[e] = x[index[e]] (messages read from edge sources); backward: a segment sum of dOut
 *       over the edges that read each node;</li>
 *   <li>{@link #segmentSum}: out[v] = Σ_{e: segment[e] = v} m[e] (messages summed at their destinations, a
 *       scatter-add); backward: a gather, dm[e] += dOut[segment[e]];</li>
 *   <li>{@link #apply} with {@code Graph#gcnNormalized}: out = D^-½(A+I)D^-½ · x, GCN's propagation.</li>
 * </ul>
 * Aᵀ is built once with A ({@link Operator#of}), not per step, and both products write each row from one thread
 * in a fixed order, so forward and backward are equal bit for bit at any thread count (no atomic scatter).
 */
public final class Sparse {
    private Sparse() {}

    /** A sparse matrix with its transpose, for the backward. Build once per graph and reuse across steps. */
    public record Operator(Csr a, Csr transpose) {
        public Operator {
            if (a.rows() != transpose.cols() || a.cols() != transpose.rows() || a.nnz() != transpose.nnz())
                throw new IllegalArgumentException("operator: transpose: expected %d × %d with nnz %d, got %s"
                        .formatted(a.cols(), a.rows(), a.nnz(), transpose));
        }

        public static Operator of(Csr a) { return new Operator(a, a.transpose()); }
    }

    /** out = A·x with A (R × C), x (C, D), out (R, D).  Backward: dx += Aᵀ·dOut. */
    public static Var apply(Tape tape, Operator op, Var x) { return product(tape, "spmm", op, x); }

    /** out[e, :] = x[index[e], :], out (E, D).  Backward: dx[v] += Σ_{e: index[e] = v} dOut[e]. */
    public static Var gather(Tape tape, Var x, int[] index) {
        return product(tape, "sparse_gather", Operator.of(Csr.gather(index, x.rows())), x);
    }

    /** out[v, :] = Σ_{e: segment[e] = v} m[e, :], out (n, D).  Backward: dm[e] += dOut[segment[e]]. */
    public static Var segmentSum(Tape tape, Var m, int[] segment, int n) {
        if (segment.length != m.rows()) throw new IllegalArgumentException(
                "segment_sum: segment: expected %d entries (one per row of m), got %d".formatted(m.rows(), segment.length));
        return product(tape, "segment_sum", Operator.of(Csr.segments(segment, n)), m);
    }

    private static Var product(Tape tape, String name, Operator op, Var x) {
        SparseKernels sk = tape.backend().sparse();
        Tensor out = tape.alloc(op.a().rows(), x.cols());
        sk.spmm(out, op.a(), x.value());
        return tape.record(name, out, List.of(x), dOut -> sk.spmmAccumulate(x.grad(), op.transpose(), dOut));
    }
}
