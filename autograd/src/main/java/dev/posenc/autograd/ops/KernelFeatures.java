package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * Feature maps φ of kernelized attention, φ(q)ᵀφ(k) ≈ (or in place of) exp(q·k) (Luo et al. 2021 §5.1; spec §5.1, §5.4).
 * Each acts row by row on x (..., d); leading axes are folded into rows.
 * <pre>
 *   PRF (Choromanski et al. 2021):  φ(x) = exp(W·x − ‖x‖²/2)/√m,  W (m, d)       E[φ(x)ᵀφ(y)] = exp(xᵀy) for w_r ~ N(0, I)
 *       backward, with z = W·x and dz = dφ ⊙ φ:  dx += dz·W − (Σ_r dz_r)·x;  dW += dzᵀ·x
 *   ELU+1 (Katharopoulos et al. 2020):  φ(x) = elu(x) + 1 = x + 1 (x > 0), exp(x) (x ≤ 0);  dx += dφ ⊙ (1 or φ)
 *   ReLU:  {@link Activations#relu}
 *   normalize:  y = s·x/r,  r = √(‖x‖² + ε)   (the paper's q, k normalisation, per token; spec §5.1)
 *       backward:  dx += (s/r)·(dy − x·(x·dy)/r²)
 * </pre>
 * PRF's projection W is drawn by {@link #gaussianProjection} or {@link #orthogonalProjection} from an Rng the caller
 * passes in, so a model redraws it whenever it likes (Performer redraws every so many steps). No stabilising shift
 * is subtracted inside the exponent: on normalised inputs (‖x‖ ≤ s) the exponent is bounded by s·max‖w_r‖; on raw
 * inputs it is not, which is the instability the paper measures.
 */
public final class KernelFeatures {
    private KernelFeatures() {}

    /** ε in the normaliser's √(‖x‖² + ε): keeps a zero row finite (its gradient is then s/√ε·dy, large but finite). */
    public static final float NORMALIZE_EPS = 1e-12f;

    /** Positive random features φ(x) = exp(W·x − ‖x‖²/2)/√m: x (..., d), w (m, d), φ (..., m); all φ > 0. */
    public static Var prf(Tape tape, Var x, Var w) {
        Backend be = tape.backend();
        int d = x.cols(), rows = x.rows();
        Shapes.require(w.value().rank() == 2 && w.cols() == d && w.rows() > 0, "prf", "w",
                "a projection (m, %d) with m ≥ 1".formatted(d), w.shape());
        int m = w.rows();
        Tensor x2 = x.value().reshape(rows, d);
        Tensor phi = tape.alloc(rows, m);
        be.matmul(phi, x2, w.value(), MatmulForm.NT, false);                // z = x·Wᵀ, then φ in place
        float inv = (float) (1 / Math.sqrt(m));
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int c = 0; c < d; c++) { float xv = x2.get(i, c); sq += xv * xv; }
            for (int r = 0; r < m; r++) phi.set(i, r, (float) (Math.exp(phi.get(i, r) - sq / 2) * inv));
        }
        int[] outDims = x.shape().dims();
        outDims[outDims.length - 1] = m;
        Tensor out = phi.reshape(Shape.of(outDims));
        return tape.record("prf", out, List.of(x, w), dPhi -> {
            Tensor dz = tape.alloc(rows, m), rowSum = tape.alloc(rows);   // dz = dφ ⊙ φ; Σ_r dz_r for the −‖x‖²/2 term
            Tensor dp = dPhi.reshape(rows, m);
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int r = 0; r < m; r++) {
                    float g = dp.get(i, r) * phi.get(i, r);
                    dz.set(i, r, g);
                    s += g;
                }
                rowSum.set(i, (float) s);
            }
            if (x.requiresGrad()) {
                Tensor dx = x.grad().reshape(rows, d);
                be.matmul(dx, dz, w.value(), MatmulForm.NN, true);            // dx += dz·W
                for (int i = 0; i < rows; i++) {
                    float s = rowSum.get(i);
                    for (int c = 0; c < d; c++) dx.set(i, c, dx.get(i, c) - s * x2.get(i, c));
                }
            }
            if (w.requiresGrad()) be.matmul(w.grad(), dz, x2, MatmulForm.TN, true); // dW += dzᵀ·x
        });
    }

    /** φ(x) = elu(x) + 1, positive everywhere: x + 1 for x > 0, exp(x) otherwise. */
    public static Var eluPlusOne(Tape tape, Var x) {
        Tensor in = x.value(), out = tape.alloc(x.shape());
        for (long i = 0; i < in.size(); i++) {
            float v = in.get(i);
            out.set(i, v > 0 ? v + 1 : (float) Math.exp(v));
        }
        return tape.record("elu_plus_one", out, List.of(x), dy -> {
            Tensor dx = x.grad();
            for (long i = 0; i < in.size(); i++) dx.set(i, dx.get(i) + dy.get(i) * (in.get(i) > 0 ? 1 : out.get(i)));
        });
    }

    /** y = s·x/√(‖x‖² + ε) per row: every row scaled to norm s (q and k before the feature map). */
    public static Var normalize(Tape tape, Var x, float s) {
        int rows = x.rows(), d = x.cols();
        Tensor in = x.value().reshape(rows, d), y = tape.alloc(x.shape()), y2 = y.reshape(rows, d);
        Tensor radius = tape.alloc(rows);                                     // kept: the backward divides by it
        for (int i = 0; i < rows; i++) {
            double sq = NORMALIZE_EPS;
            for (int c = 0; c < d; c++) { float v = in.get(i, c); sq += v * v; }
            radius.set(i, (float) Math.sqrt(sq));
            float f = (float) (s / Math.sqrt(sq));
            for (int c = 0; c < d; c++) y2.set(i, c, f * in.get(i, c));
        }
        return tape.record("normalize", y, List.of(x), dy -> {
            Tensor dx = x.grad().reshape(rows, d), g = dy.reshape(rows, d);
            for (int i = 0; i < rows; i++) {
                double r = radius.get(i), dot = 0;
                for (int c = 0; c < d; c++) dot += in.get(i, c) * g.get(i, c);
                double proj = dot / (r * r);
                for (int c = 0; c < d; c++) dx.set(i, c, (float) (dx.get(i, c) + s / r * (g.get(i, c) - proj * in.get(i, c))));
            }
        });
    }

    /** W (m, d) with i.i.d. N(0, 1) entries: the plain PRF estimator. Lives in {@code arena}. */
    public static Tensor gaussianProjection(Arena arena, Rng rng, int m, int d) {
        requireSizes(m, d);
        return rng.normal(arena, Shape.of(m, d));
    }

    /**
     * W (m, d) of orthogonal random features (Performer's default): blocks of d rows, each the Gram–Schmidt
     * orthonormalisation of a Gaussian d × d block, every row then rescaled to the norm of an independent N(0, I_d)
     * vector, so each row is still marginally N(0, I_d) while rows in one block are exactly orthogonal (lower
     * estimator variance). The last block keeps its first m mod d rows.
     */
    public static Tensor orthogonalProjection(Arena arena, Rng rng, int m, int d) {
        requireSizes(m, d);
        Tensor w = Tensor.zeros(arena, Shape.of(m, d));
        long gauss = rng.nextStream(), norms = rng.nextStream();
        for (int block = 0; block * d < m; block++) {
            double[][] q = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int c = 0; c < d; c++) q[i][c] = Rng.standardNormal(gauss, ((long) block * d + i) * d + c);
                for (int p = 0; p < i; p++) {                  // modified Gram–Schmidt: subtract earlier directions
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += q[i][c] * q[p][c];
                    for (int c = 0; c < d; c++) q[i][c] -= dot * q[p][c];
                }
                double norm = 0;
                for (int c = 0; c < d; c++) norm += q[i][c] * q[i][c];
                norm = Math.sqrt(norm);
                for (int c = 0; c < d; c++) q[i][c] /= norm;
            }
            for (int i = 0; i < d && block * d + i < m; i++) {
                int row = block * d + i;
                double chi = 0;
                for (int c = 0; c < d; c++) { double g = Rng.standardNormal(norms, (long) row * d + c); chi += g * g; }
                chi = Math.sqrt(chi);
                for (int c = 0; c < d; c++) w.set(row, c, (float) (chi * q[i][c]));
            }
        }
        return w;
    }

    private static void requireSizes(int m, int d) {
        if (m <= 0) throw new IllegalArgumentException("features: expected a feature count m > 0, got " + m);
        if (d <= 0) throw new IllegalArgumentException("features: d: expected > 0, got " + d);
    }
}
