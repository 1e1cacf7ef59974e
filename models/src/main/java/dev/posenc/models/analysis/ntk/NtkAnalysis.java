package dev.posenc.models.analysis.ntk;

import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.nn.Mlp;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code posenc analyze ntk}: for each encoding, the empirical NTK of fit-image's model ({@link NtkNetwork}) on
 * a grid, at initialisation and (with steps > 0) after that many steps of full-batch gradient descent on the
 * spectral-bias signal; its spectrum (double-precision eigenvalues) and one row against x − x′.
 */
public final class NtkAnalysis {
    private NtkAnalysis() {}

    /**
     * @param grid        where the kernel is computed (and the training points, when steps > 0)
     * @param sigma       Gaussian σ and LFF's γ = 1/(2πσ)
     * @param posencScale positional frequencies 2^linspace(0, scale, 128) − 1
     * @param steps       GD steps between the two kernels (0: the initial kernel only)
     * @param lrScale     η = lrScale·N/λ_max(K_0): the same fraction of each encoding's stability limit 2N/λ_max
     * @param target      the signal trained on (its frequencies, amplitude, phases)
     * @param seed        weights and B
     */
    public record Settings(Grid grid, double sigma, double posencScale, int steps, double lrScale, Target target,
                           long seed) {}

    /** The spectral-bias signal: amplitude·Σ sin(2π f x + φ). */
    public record Target(int[] frequencies, double amplitude, double[] phases) {
        public float[] at(Tensor positions) { return SpectralBias.signal(positions, frequencies, amplitude, phases); }
    }

    /**
     * One kernel: its eigenvalues (largest first), the centre point's row normalised by K(x, x) against the
     * offset x′ − x along the first axis, how far it is from shift-invariant ({@link #shiftVariance}), the
     * seconds the structured computation took, and the GD rate used to reach it (NaN at step 0).
     */
    public record Kernel(String encoding, int step, double[] eigenvalues, double[] offsets, double[] row,
                         double shiftVariance, double seconds, double eta) {}

    /** Called after each GD step with the loss before it. */
    @FunctionalInterface
    public interface Progress {
        void step(int step, double loss);
    }

    /** The kernels of {@code encoding}: at step 0, and after {@code settings.steps()} when positive. */
    public static List<Kernel> analyse(Backend be, Settings s, String encoding, Progress progress) {
        Grid grid = s.grid();
        int n = grid.points();
        List<Kernel> kernels = new ArrayList<>();
        try (Arena arena = Arena.ofShared();
             NtkNetwork net = NtkNetwork.create(encoding, grid.dims(), s.sigma(), s.posencScale(), Mlp.TANCIK_HIDDEN, s.seed())) {
            Tensor x = grid.positions(arena), k = Tensor.zeros(arena, Shape.of(n, n));
            Kernel first = kernel(be, net, grid, x, k, 0, Double.NaN);
            kernels.add(first);
            if (s.steps() > 0) {
                double eta = s.lrScale() * n / first.eigenvalues()[0];
                double[] residual = new double[n];
                try (GradientDescent gd = new GradientDescent(be, net, x, s.target().at(x))) {
                    for (int t = 1; t <= s.steps(); t++) progress.step(t, gd.step((float) eta, residual));
                }
                kernels.add(kernel(be, net, grid, x, k, s.steps(), eta));
            }
        }
        return kernels;
    }

    private static Kernel kernel(Backend be, NtkNetwork net, Grid grid, Tensor x, Tensor k, int step, double eta) {
        long t0 = System.nanoTime();
        StructuredNtk.compute(be, net, x, k);
        double seconds = (System.nanoTime() - t0) / 1e9;
        float[] values = k.toArray();
        double[] eigenvalues = SymmetricEigen.of(Compare.toDouble(values), grid.points(), false).values();
        int n = grid.points(), side = grid.side(), centre = grid.centre();
        double[] offsets = new double[side], row = new double[side];
        for (int c = 0; c < side; c++) {
            offsets[c] = (double) (c - side / 2) / side;
            row[c] = values[centre * n + grid.row(c)] / values[centre * n + centre];
        }
        return new Kernel(net.encodingName(), step, eigenvalues, offsets, row, shiftVariance(values, grid), seconds, eta);
    }

    /**
     * How far a kernel is from shift-invariant along the first axis: with K̃_ij = K_ij/√(K_ii K_jj) over the pairs
     * (i, j) in the same grid row with |c_i − c_j| ≤ side/4, the fraction of the variance of K̃ that the offset
     * c_j − c_i does not explain (1 − R² of K̃ against its mean at each offset). 0 for a stationary kernel
     * K(x, x′) = k(x − x′); near 1 when K̃ depends on where the pair sits, not on how far apart it is.
     */
    static double shiftVariance(float[] k, Grid grid) {
        int n = grid.points(), side = grid.side(), reach = Math.max(1, side / 4);
        int rows = grid.dims() == 1 ? 1 : side;
        double[] sum = new double[2 * reach + 1], sumSq = new double[2 * reach + 1];
        long[] count = new long[2 * reach + 1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < side; c++) {
                int i = r * side + c;
                for (int d = -reach; d <= reach; d++) {
                    if (c + d < 0 || c + d >= side) continue;
                    int j = i + d;
                    double v = k[i * n + j] / Math.sqrt((double) k[i * n + i] * k[j * n + j]);
                    sum[d + reach] += v;
                    sumSq[d + reach] += v * v;
                    count[d + reach]++;
                }
            }
        }
        double within = 0, total = 0, all = 0, allSq = 0;
        long pairs = 0;
        for (int d = 0; d <= 2 * reach; d++) {
            within += sumSq[d] - sum[d] * sum[d] / count[d];                 // Σ (v − mean_d)² at this offset
            all += sum[d];
            allSq += sumSq[d];
            pairs += count[d];
        }
        total = allSq - all * all / pairs;                                    // Σ (v − mean)² over every pair
        return total > 0 ? Math.max(0, within) / total : 0;
    }
}
