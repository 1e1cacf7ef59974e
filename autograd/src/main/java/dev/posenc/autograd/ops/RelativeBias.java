package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * The bias matrix of a learned relative positional encoding (Shaw et al. 2018; spec §5.1), for exact softmax
 * attention: T[h, i, j] = b[h, i − j + n − 1], b (H, 2n − 1) one scalar per head and relative offset i − j,
 * T (H, n, n), to be added to the scores q·kᵀ/√d before the softmax. A gather, so its backward is a scatter-add:
 * db[h, i − j + n − 1] += dT[h, i, j] (each offset collects its diagonal). Memory is n², as the exact attention's is.
 */
public final class RelativeBias {
    private RelativeBias() {}

    public static Var apply(Tape tape, Var b, int n) {
        Shapes.require(n > 0, "relative_bias", "n", "≥ 1 tokens", n);
        Shapes.require(b.value().rank() == 2 && b.cols() == 2 * n - 1, "relative_bias", "b",
                "(H, 2n − 1) with 2n − 1 = " + (2 * n - 1), b.shape());
        int heads = b.rows();
        Tensor t = tape.alloc(heads, n, n), bv = b.value();
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                long row = ((long) h * n + i) * n;
                for (int j = 0; j < n; j++) t.set(row + j, bv.get(h, i - j + n - 1));
            }
        }
        return tape.record("relative_bias", t, List.of(b), dT -> {
            Tensor db = b.grad();
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    long row = ((long) h * n + i) * n;
                    for (int j = 0; j < n; j++) db.set(h, i - j + n - 1, db.get(h, i - j + n - 1) + dT.get(row + j));
                }
            }
        });
    }
}
