package dev.posenc.models.analysis.kernel;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.encodings.LffInit;
import dev.posenc.models.nn.ParameterStore;

import java.lang.foreign.Arena;

/**
 * How well a 2-D positional encoding preserves distance (Li et al. 2021, RQ1; spec §1.1). On an n × n grid of
 * positions p = (c/n, r/n) in [0, 1)², with PE(p) from the engine's own {@link Encoding}s:
 * <pre>
 *   k̂(p, q) = ⟨PE(p), PE(q)⟩ / mean_p ‖PE(p)‖²                     (k̂(p, p) ≈ 1)
 *   g_ℓ(Δ)  = exp(−‖Δ‖² / (2ℓ²))                                    the Gaussian kernel of length ℓ
 *   rmse    = sqrt(mean over pairs p ≠ q of (k̂(p, q) − g_ℓ(p − q))²)
 * </pre>
 * Random features at initialisation have an exact expected kernel, and rmse is measured against it:
 * <ul>
 *   <li>{@code lff} (the Fourier features r of learnable Fourier features, W_r ~ N(0, γ⁻² I), no 2π,
 *       amplitude 1/√F): r_p·r_q = (1/F) Σ_{i=1}^{F/2} cos(w_i·Δ), E = ½ exp(−‖Δ‖²/(2γ²)), r·r = ½; so
 *       k̂ = 2 r_p·r_q exactly and ℓ = γ. Each term has variance ≤ ½, so rmse ≈ 1/√F: the claim to check.</li>
 *   <li>{@code gaussian} (Tancik, B ~ N(0, σ² I) in cycles, with σ = 1/(2πγ)): k̂ = (2/F) Σ cos(2π b_j·Δ),
 *       E = exp(−2π²σ²‖Δ‖²): the same kernel, ℓ = γ.</li>
 * </ul>
 * The others have no kernel they should approximate; rmse is against the best-fitting Gaussian (ℓ by a
 * log-spaced search), i.e. how Gaussian-like their kernel is at all: {@code sine2d} (DETR, deterministic
 * frequencies), {@code embed2d} (a learned row + column table, at its N(0, 0.02²) start; positions are its
 * grid cells), and {@code lff-trained} (r with the W_r of a short fit-image run).
 */
public final class KernelAnalysis {
    private KernelAnalysis() {}

    /** An n × n grid: positions (n², 2) as (c/n, r/n) and, for the learned table, cells (r, c). */
    public record Grid(int n, double[] xy) {
        public static Grid of(int n) {
            double[] xy = new double[2 * n * n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    xy[2 * (r * n + c)] = (double) c / n;
                    xy[2 * (r * n + c) + 1] = (double) r / n;
                }
            }
            return new Grid(n, xy);
        }

        public int size() { return n * n; }

        /** ‖p_i − p_j‖. */
        public double distance(int i, int j) {
            return Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
        }
    }

    /**
     * PE (N, D) of the encoding {@code name} ∈ {lff, gaussian, sine2d, embed2d} with D = {@code features} on
     * the grid, row-major, computed by the engine (float32, widened). lff is the Fourier part r alone
     * ({@code lff-only}); {@code wr} (F/2 × 2), if not null, replaces its random W_r (a trained one).
     */
    public static double[] encode(Backend backend, String name, int features, double gamma, Grid grid, long seed,
                                  float[] wr) {
        EncodingParams.Builder p = EncodingParams.defaults(2).toBuilder();
        String factory = switch (name) {
            case "lff" -> {
                p.fourierDims(features).gamma(gamma).lffInit(LffInit.PAPER).lffAmplitude(LffAmplitude.PAPER);
                yield "lff-only";
            }
            case "gaussian" -> {
                p.gaussianFeatures(features / 2).sigma(1 / (2 * Math.PI * gamma));
                yield "gaussian";
            }
            case "sine2d" -> { p.outputDims(features); yield "sine2d"; }
            case "embed2d" -> { p.outputDims(features).grid(grid.n(), grid.n()); yield "embed2d"; }
            default -> throw new IllegalArgumentException(
                    "encoding: expected one of lff, gaussian, sine2d, embed2d, got '%s'".formatted(name));
        };
        int n = grid.size();
        try (ParameterStore store = new ParameterStore(); Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Encoding enc = Encodings.create(factory, p.build(), store);
            store.allocate(new Rng(seed));
            if (wr != null) {
                Tensor w = store.get("encoding.wr").value();
                if (w.size() != wr.length) throw new IllegalArgumentException(
                        "wr: expected %d values, got %d".formatted(w.size(), wr.length));
                for (int i = 0; i < wr.length; i++) w.set(i, wr[i]);
            }
            Tensor pos = Tensor.zeros(arena, Shape.of(n, 2));
            boolean cells = name.equals("embed2d");   // a table looks positions up by whole (row, col) cell
            for (int i = 0; i < n; i++) {
                pos.set(i, 0, cells ? i / grid.n() : (float) grid.xy()[2 * i]);
                pos.set(i, 1, cells ? i % grid.n() : (float) grid.xy()[2 * i + 1]);
            }
            try (var _ = tape.noGrad()) {
                Tensor pe = enc.apply(tape, tape.constant(pos)).value();
                double[] out = new double[(int) pe.size()];
                for (int i = 0; i < out.length; i++) out[i] = pe.get(i);
                return out;
            }
        }
    }

    /** k̂ (N, N), row-major: the Gram matrix of pe (N, D) over its mean diagonal. */
    public static double[] normalisedGram(double[] pe, int n) {
        int d = pe.length / n;
        double[] k = new double[n * n];
        double diag = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) s += pe[i * d + t] * pe[j * d + t];
                k[i * n + j] = s;
                k[j * n + i] = s;
            }
            diag += k[i * n + i];
        }
        diag /= n;
        if (diag == 0) return k;
        for (int i = 0; i < k.length; i++) k[i] /= diag;
        return k;
    }

    /** rmse of k̂ against g_ℓ over the pairs p ≠ q of the grid. */
    public static double rmse(double[] k, Grid grid, double ell) {
        int n = grid.size();
        double se = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dist = grid.distance(i, j), e = k[i * n + j] - Math.exp(-dist * dist / (2 * ell * ell));
                se += e * e;
            }
        }
        return Math.sqrt(se / (n * (n - 1) / 2.0));
    }

    /** {ℓ, rmse} of the best-fitting Gaussian: ℓ over 241 log-spaced values from 10⁻³ to 10. */
    public static double[] bestGaussian(double[] k, Grid grid) {
        double[] best = {Double.NaN, Double.POSITIVE_INFINITY};
        for (int i = 0; i <= 240; i++) {
            double ell = Math.pow(10, -3 + i / 60.0), r = rmse(k, grid, ell);
            if (r < best[1]) best = new double[] {ell, r};
        }
        return best;
    }

    /** The mean of k̂ over pairs p ≠ q in each of {@code bins} equal distance bins over [0, √2]; NaN where empty. */
    public static double[] profile(double[] k, Grid grid, int bins) {
        int n = grid.size();
        double[] sum = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int b = Math.min(bins - 1, (int) (grid.distance(i, j) / Math.sqrt(2) * bins));
                sum[b] += k[i * n + j];
                count[b]++;
            }
        }
        for (int b = 0; b < bins; b++) sum[b] = count[b] == 0 ? Double.NaN : sum[b] / count[b];
        return sum;
    }
}
