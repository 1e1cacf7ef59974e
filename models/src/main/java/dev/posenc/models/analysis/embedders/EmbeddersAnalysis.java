package dev.posenc.models.analysis.embedders;

import dev.posenc.core.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The experiment of {@code analyze embedders} (Zheng et al., spec §3.3–3.4): for each embedder and parameter,
 * and each signal, embed the N samples x_n = n/N with d shifts, normalise by the largest row norm, split even
 * (train) and odd (test) rows, and measure
 * <ul>
 *   <li>the {@link StableRank} of the training rows,</li>
 *   <li>the train and test PSNR of an {@link EmbeddingFit} on the training rows,</li>
 *   <li>the {@link DistancePreservation} profile and score, of the first signal's embedding (the others
 *       differ only by the RFF draw).</li>
 * </ul>
 * Stable rank and PSNRs are means over the signals (PSNR: the mean of the dB values). Signal k draws its RFF
 * frequencies from seed + k, so a mean over signals is also one over draws.
 */
public final class EmbeddersAnalysis {
    private EmbeddersAnalysis() {}

    /** The parameters to run for one embedder. */
    public record Sweep(Embedder embedder, double[] params) {}

    /**
     * @param shifts d, the embedding dimension (shifts, or features for the Fourier embedders)
     * @param depth  hidden layers of the fitted network (0: a linear layer)
     * @param width  their width
     * @param steps  full-batch Adam steps
     * @param lr     Adam's learning rate
     * @param seed   RFF draws and MLP weights
     */
    public record Settings(int shifts, int depth, int width, int steps, double lr, long seed) {
        /** Zheng et al.'s 1-D set-up: d = 1000, a linear layer, 2000 steps of Adam at 1e-3 (spec §3.4). */
        public static Settings defaults() { return new Settings(1000, 0, 256, 2000, 1e-3, 0); }
    }

    /** One (embedder, parameter): the CSV's columns and the similarity profile k(m), m = 0..M. */
    public record Row(Embedder embedder, double param, double stableRank, double distancePreservation,
                      double trainPsnr, double testPsnr, double[] profile) {}

    /** Called after every fit: fits done so far, of how many, and the fit's outcome. */
    @FunctionalInterface
    public interface Progress {
        void fitted(int done, int total, EmbeddingFit.Result fit);
    }

    /** Runs every (embedder, parameter) of {@code sweeps} on every signal, in order. */
    public static List<Row> run(Backend backend, List<double[]> signals, List<Sweep> sweeps, Settings s,
                                Progress progress) {
        int total = signals.size() * sweeps.stream().mapToInt(w -> w.params().length).sum(), done = 0;
        List<Row> rows = new ArrayList<>();
        for (Sweep sweep : sweeps) {
            for (double p : sweep.params()) {
                double sr = 0, train = 0, test = 0;
                double[] profile = null;
                for (int k = 0; k < signals.size(); k++) {
                    double[] y = signals.get(k);
                    int n = y.length, d = s.shifts();
                    double[] emb = Embedder.normalised(sweep.embedder().embed(grid(n), p, d, s.seed() + k), d);
                    if (k == 0) profile = DistancePreservation.profile(emb, n, d);
                    double[][] split = split(emb, y, d);
                    sr += StableRank.of(split[0], split[1].length, d);
                    var fit = EmbeddingFit.fit(backend, split[0], split[1], split[2], split[3], d, s.depth(),
                            s.width(), s.steps(), s.lr(), s.seed() + k);
                    train += fit.trainPsnr();
                    test += fit.testPsnr();
                    progress.fitted(++done, total, fit);
                }
                int m = signals.size();
                rows.add(new Row(sweep.embedder(), p, sr / m, DistancePreservation.score(profile), train / m,
                        test / m, profile));
            }
        }
        return rows;
    }

    /** x_n = n/N, n = 0..N−1. */
    static double[] grid(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (double) i / n;
        return x;
    }

    /** {train rows, train targets, test rows, test targets}: even samples train, odd samples test. */
    static double[][] split(double[] emb, double[] y, int d) {
        int n = y.length, nTrain = (n + 1) / 2, nTest = n / 2;
        double[][] out = {new double[nTrain * d], new double[nTrain], new double[nTest * d], new double[nTest]};
        for (int i = 0; i < n; i++) {
            int half = i % 2, row = i / 2;
            System.arraycopy(emb, i * d, out[2 * half], row * d, d);
            out[2 * half + 1][row] = y[i];
        }
        return out;
    }
}
