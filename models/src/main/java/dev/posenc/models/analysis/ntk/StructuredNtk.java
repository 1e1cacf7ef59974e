package dev.posenc.models.analysis.ntk;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.ParameterStore;

import java.util.List;
import java.util.Map;

/**
 * The empirical neural tangent kernel K(x_i, x_j) = ⟨∂f(x_i)/∂θ, ∂f(x_j)/∂θ⟩ of an {@link NtkNetwork}, computed
 * from the layer structure rather than from the Jacobian J (N, P). For a layer y = x·Wᵀ + b of the network,
 * with g = ∂f/∂y for one sample, ∂f/∂W = g ⊗ x and ∂f/∂b = g, so that layer's share of the inner product of
 * samples i and j is ⟨g_i ⊗ x_i, g_j ⊗ x_j⟩ + ⟨g_i, g_j⟩ = (x_i·x_j + 1)(g_i·g_j). For all samples at once:
 * <pre>
 *   K = Σ_l (X_l X_lᵀ + 1) ⊙ (G_l G_lᵀ)         X_l (N, in_l) the layer's inputs, G_l (N, out_l) = ∂f/∂z_l
 *   G_L = 1 (N, 1)                              f is row CHANNEL of the last layer, so only that row counts
 *   G_l = (G_{l+1} W_{l+1}) ⊙ act′(z_l)         batched backprop of ∂f, one sample per row
 * </pre>
 * Trainable encoding parameters add their layers the same way. LFF (Li et al.), r = s[cos u ‖ sin u] with
 * u = x·W_rᵀ, then Linear(W1, b1), GELU, Linear(W2, b2):
 * <pre>
 *   G_φ  = G_0 W_0                               (N, D)  into the LFF output φ (no activation in between)
 *   mlp.2: (H1 H1ᵀ + 1) ⊙ (G_φ G_φᵀ);            G_a = (G_φ W2) ⊙ gelu′(a)
 *   mlp.0: (R Rᵀ + 1) ⊙ (G_a G_aᵀ);              G_r = G_a W1 = [G_c ‖ G_s]
 *   W_r:   (X Xᵀ) ⊙ (G_u G_uᵀ),                   G_u = s(G_s ⊙ cos u − G_c ⊙ sin u)   (no bias)
 * </pre>
 * The Gram products X Xᵀ and G Gᵀ run in the engine's own matmul (NT form): Σ_l N²(in_l + out_l)
 * multiply-adds, 2.1·10⁹ for N = 1024 and Gaussian features (in 512, 256, 256, 256), against N²·P ≈ 2.8·10¹¹
 * for J·Jᵀ with its P ≈ 2.6·10⁵ parameters ({@link NaiveNtk}, the reference this is tested against).
 * Float32 throughout; {@link Ntk64} is the double-precision twin of the MLP part.
 */
public final class StructuredNtk {
    private StructuredNtk() {}

    /**
     * out (N, N) = K of {@code net} at positions (N, M). Scratch: two N × N buffers and the activations, on a
     * private tape. Reads the parameters; modifies out only.
     */
    public static void compute(Backend be, NtkNetwork net, Tensor positions, Tensor out) {
        int n = positions.rows();
        if (positions.rank() != 2 || positions.cols() != net.inputDims()) throw new IllegalArgumentException(
                "ntk: positions: expected (N, %d), got %s".formatted(net.inputDims(), positions.shape()));
        if (out.rank() != 2 || out.rows() != n || out.cols() != n) throw new IllegalArgumentException(
                "ntk: out: expected (%d, %d), got %s".formatted(n, n, out.shape()));
        try (Tape tape = new Tape(be); var _ = tape.noGrad()) {
            Gram gram = new Gram(be, out, tape.alloc(n, n), tape.alloc(n, n));
            be.fill(out, 0f);
            LffLayers lff = net.encodingName().equals("lff") ? LffLayers.of(net) : null;
            Tensor phi = lff != null ? lff.forward(be, tape, positions)
                    : net.encoding().apply(tape, tape.constant(positions)).value();

            List<Dense> layers = net.layers();
            int depth = layers.size();
            Tensor[] x = new Tensor[depth], z = new Tensor[depth - 1];
            x[0] = phi;
            for (int l = 0; l < depth - 1; l++) {   // the last layer's output is not needed, only its row CHANNEL
                z[l] = linear(be, tape, x[l], layers.get(l).weight().value(), layers.get(l).bias().value());
                x[l + 1] = tape.alloc(z[l].shape());
                be.unary(net.activation(), x[l + 1], z[l]);
            }
            Tensor g = tape.alloc(n, 1);
            be.fill(g, 1f);                                                    // ∂f/∂z_L[CHANNEL] = 1
            Tensor w = layers.getLast().weight().value().rowRange(NtkNetwork.CHANNEL, NtkNetwork.CHANNEL + 1);
            for (int l = depth - 1; l >= 0; l--) {
                gram.addLayer(x[l], g, true);
                if (l == 0 && lff == null) break;                              // fixed features: nothing below
                Tensor gx = backThroughWeight(be, tape, g, w);                 // ∂f/∂x_l = G_l W_l
                if (l == 0) {
                    lff.backward(be, tape, gram, positions, gx);
                    break;
                }
                g = tape.alloc(z[l - 1].shape());
                be.unaryBackward(net.activation(), g, gx, z[l - 1], x[l]);   // ⊙ act′(z_{l−1})
                w = layers.get(l - 1).weight().value();
            }
        }
    }

    /** z = x·Wᵀ + b on the tape. */
    static Tensor linear(Backend be, Tape tape, Tensor x, Tensor w, Tensor b) {
        Tensor z = tape.alloc(x.rows(), w.rows());
        be.matmul(z, x, w, MatmulForm.NT, false);
        be.addRowBroadcast(z, z, b);
        return z;
    }

    /** G·W (N, in) from G (N, out), W (out, in). */
    static Tensor backThroughWeight(Backend be, Tape tape, Tensor g, Tensor w) {
        Tensor gx = tape.alloc(g.rows(), w.cols());
        be.matmul(gx, g, w, MatmulForm.NN, false);
        return gx;
    }

    /** Adds layers' shares (X Xᵀ [+ 1]) ⊙ (G Gᵀ) into the kernel, through two N × N scratch buffers. */
    record Gram(Backend be, Tensor kernel, Tensor p, Tensor q) {
        /** kernel += (X Xᵀ + bias) ⊙ (G Gᵀ); X (N, in), G (N, out). Modifies kernel, p and q. */
        void addLayer(Tensor x, Tensor g, boolean bias) {
            if (bias) be.fill(p, 1f);                                    // the bias is a weight on a constant 1
            be.matmul(p, x, x, MatmulForm.NT, bias);
            be.matmul(q, g, g, MatmulForm.NT, false);
            be.mul(p, p, q);
            be.add(kernel, kernel, p);
        }
    }

    /**
     * LFF's trainable layers (spec §1.1), read from the store by their names; only the full method with one
     * group (fit-image's default), whose layers are the ones {@link StructuredNtk} knows how to walk.
     * {@link #forward} keeps r, a and h = gelu(a) for {@link #backward}.
     */
    static final class LffLayers {
        private final Tensor wr, w1, b1, w2, b2;
        private final float s;
        private Tensor r, a, h;

        private LffLayers(ParameterStore store, float s) {
            wr = store.get("encoding.wr").value();
            w1 = store.get("encoding.mlp.0.weight").value();
            b1 = store.get("encoding.mlp.0.bias").value();
            w2 = store.get("encoding.mlp.2.weight").value();
            b2 = store.get("encoding.mlp.2.bias").value();
            this.s = s;
        }

        static LffLayers of(NtkNetwork net) {
            Map<String, String> config = net.encoding().config();
            if (!"1".equals(config.get("groups"))) throw new IllegalArgumentException(
                    "ntk: lff: groups: expected 1, got " + config.get("groups"));
            int f = Integer.parseInt(config.get("fourier_dims"));
            // written only when not the paper's 1/√F (Lff's config)
            LffAmplitude amplitude = LffAmplitude.valueOf(config.getOrDefault("amplitude", LffAmplitude.PAPER.name()));
            return new LffLayers(net.store(), amplitude.scale(f));
        }

        /** φ (N, D) from positions (N, M), keeping r, a and h = gelu(a) for {@link #backward}. */
        Tensor forward(Backend be, Tape tape, Tensor x) {
            r = tape.alloc(x.rows(), 2 * wr.rows());
            be.fourierForward(r, x, wr, s);
            a = linear(be, tape, r, w1, b1);
            h = tape.alloc(a.shape());
            be.unary(UnaryOp.GELU_ERF, h, a);
            return linear(be, tape, h, w2, b2);
        }

        /** Adds the shares of mlp.2, mlp.0 and W_r, given gPhi = ∂f/∂φ (N, D). */
        void backward(Backend be, Tape tape, Gram gram, Tensor x, Tensor gPhi) {
            gram.addLayer(h, gPhi, true);
            Tensor gh = backThroughWeight(be, tape, gPhi, w2), ga = tape.alloc(a.shape());
            be.unaryBackward(UnaryOp.GELU_ERF, ga, gh, a, h);
            gram.addLayer(r, ga, true);
            Tensor gr = backThroughWeight(be, tape, ga, w1);
            gram.addLayer(x, fourierInputGradient(be, tape, x, gr), false);
        }

        /**
         * G_u = s(G_s ⊙ cos u − G_c ⊙ sin u), u = x·W_rᵀ: the rule of {@code FourierFeatures}' backward, per
         * sample (the fused kernel only returns it summed into dW). N·K elements, a few milliseconds.
         */
        private Tensor fourierInputGradient(Backend be, Tape tape, Tensor x, Tensor gr) {
            int n = x.rows(), k = wr.rows();
            Tensor u = tape.alloc(n, k);
            be.matmul(u, x, wr, MatmulForm.NT, false);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    double uij = u.get(i, j);
                    u.set(i, j, (float) (s * (gr.get(i, k + j) * Math.cos(uij) - gr.get(i, j) * Math.sin(uij))));
                }
            }
            return u;
        }
    }
}
