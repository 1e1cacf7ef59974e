package dev.posenc.models.analysis.ntk;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Reference64;
import dev.posenc.core.UnaryOp;
import dev.posenc.models.nn.Dense;

import java.util.Arrays;
import java.util.List;

/**
 * Double-precision twin of the MLP part of {@link StructuredNtk} and {@link NaiveNtk}: a ReLU MLP on fixed
 * features φ (N, D), f = output {@link NtkNetwork#CHANNEL} of its last layer, as plain loops over row-major
 * double[]. The two routes share nothing but the weights, so their agreement to 1e-9 checks the structured
 * formula itself (no float rounding to hide behind); the float code is then checked against this twin and
 * against {@link NaiveNtk}. Written for clarity: sizes are tiny.
 */
public final class Ntk64 {
    private Ntk64() {}

    /** A ReLU MLP: layer l maps in[l] → out[l] with w[l] (out, in) row-major and b[l] (out). */
    public record Mlp64(double[][] w, double[][] b, int[] in, int[] out) {
        public int depth() { return w.length; }

        /** The float weights of {@code net}'s MLP, widened to double. */
        public static Mlp64 of(NtkNetwork net) {
            List<Dense> layers = net.layers();
            int depth = layers.size();
            double[][] w = new double[depth][], b = new double[depth][];
            int[] in = new int[depth], out = new int[depth];
            for (int l = 0; l < depth; l++) {
                Dense d = layers.get(l);
                w[l] = Compare.toDouble(d.weight().value().toArray());
                b[l] = Compare.toDouble(d.bias().value().toArray());
                in[l] = d.in();
                out[l] = d.out();
            }
            return new Mlp64(w, b, in, out);
        }
    }

    /** K (N × N, row-major) = J·Jᵀ, J built one sample at a time by a hand-written backward pass. */
    public static double[] naive(Mlp64 mlp, double[] phi, int n) {
        int params = 0;
        for (int l = 0; l < mlp.depth(); l++) params += mlp.out[l] * (mlp.in[l] + 1);
        double[][] jacobian = new double[n][params];
        for (int i = 0; i < n; i++) {
            double[][] x = new double[mlp.depth()][], z = new double[mlp.depth()][];
            double[] h = Arrays.copyOfRange(phi, i * mlp.in[0], (i + 1) * mlp.in[0]);
            for (int l = 0; l < mlp.depth(); l++) {
                x[l] = h;
                z[l] = Reference64.linear(h, mlp.w[l], mlp.b[l], 1, mlp.in[l], mlp.out[l]);
                h = Reference64.unary(UnaryOp.RELU, z[l]);
            }
            double[] g = new double[mlp.out[mlp.depth() - 1]];
            g[NtkNetwork.CHANNEL] = 1;                                       // ∂f/∂z_L
            int at = params;
            for (int l = mlp.depth() - 1; l >= 0; l--) {
                int in = mlp.in[l], out = mlp.out[l];
                at -= out * (in + 1);                                         // layer l: [W row-major ‖ b]
                for (int o = 0; o < out; o++) {
                    for (int k = 0; k < in; k++) jacobian[i][at + o * in + k] = g[o] * x[l][k];   // ∂f/∂W = g ⊗ x
                    jacobian[i][at + out * in + o] = g[o];                                       // ∂f/∂b = g
                }
                if (l == 0) break;
                double[] below = new double[in];
                for (int k = 0; k < in; k++) {
                    double s = 0;
                    for (int o = 0; o < out; o++) s += g[o] * mlp.w[l][o * in + k];
                    below[k] = z[l - 1][k] > 0 ? s : 0;                       // ⊙ relu′(z_{l−1})
                }
                g = below;
            }
        }
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < params; p++) s += jacobian[i][p] * jacobian[j][p];
                k[i * n + j] = s;
            }
        }
        return k;
    }

    /** K (N × N, row-major) = Σ_l (X_l X_lᵀ + 1) ⊙ (G_l G_lᵀ), the formula of {@link StructuredNtk}. */
    public static double[] structured(Mlp64 mlp, double[] phi, int n) {
        int depth = mlp.depth();
        double[][] x = new double[depth][], z = new double[depth][];
        double[] h = phi;
        for (int l = 0; l < depth; l++) {
            x[l] = h;
            z[l] = Reference64.linear(h, mlp.w[l], mlp.b[l], n, mlp.in[l], mlp.out[l]);
            h = Reference64.unary(UnaryOp.RELU, z[l]);
        }
        int outL = mlp.out[depth - 1];
        double[] g = new double[n * outL];
        for (int i = 0; i < n; i++) g[i * outL + NtkNetwork.CHANNEL] = 1;
        double[] k = new double[n * n];
        for (int l = depth - 1; l >= 0; l--) {
            double[] xx = Reference64.matmul(x[l], x[l], n, mlp.in[l], n, MatmulForm.NT);
            double[] gg = Reference64.matmul(g, g, n, mlp.out[l], n, MatmulForm.NT);
            for (int e = 0; e < n * n; e++) k[e] += (xx[e] + 1) * gg[e];
            if (l == 0) break;
            double[] gx = Reference64.matmul(g, mlp.w[l], n, mlp.out[l], mlp.in[l], MatmulForm.NN);
            for (int e = 0; e < gx.length; e++) if (!(z[l - 1][e] > 0)) gx[e] = 0;
            g = gx;
        }
        return k;
    }
}
