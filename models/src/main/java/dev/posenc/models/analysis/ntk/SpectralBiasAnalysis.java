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
 * {@code posenc analyze spectral-bias}: fit-image's model with each encoding learns a sum of sinusoids by plain
 * gradient descent on all N points of [0, 1); the relative error of each frequency is measured from the DFT of
 * the residual and predicted from the initial kernel's eigen-decomposition (see {@link SpectralBias}).
 */
public final class SpectralBiasAnalysis {
    private SpectralBiasAnalysis() {}

    /**
     * @param points  N, the uniform grid j/N (training points and DFT grid at once)
     * @param steps   GD steps;  every: a measurement every this many steps (and at the last)
     * @param lrScale η = lrScale·N/λ_max(K_0) when {@code lr} is NaN;  lr: one fixed η for every encoding
     */
    public record Settings(int points, NtkAnalysis.Target target, int steps, int every, double lrScale, double lr,
                           double sigma, double posencScale, long seed, int[] hidden) {
        public Settings withHidden(int[] h) {
            return new Settings(points, target, steps, every, lrScale, lr, sigma, posencScale, seed, h);
        }
    }

    /** One frequency's error against step, measured on the network and predicted by the linearisation. */
    public record Curve(int frequency, int[] steps, double[] measured, double[] predicted) {}

    /** One encoding's run: the rate, the initial kernel's top eigenvalue, the curves, the last loss. */
    public record Run(String encoding, double eta, double lambdaMax, List<Curve> curves, double finalLoss,
                      double seconds) {
        /** max |measured − predicted| over every frequency and step: how linear the training stayed. */
        public double maxGap() {
            double gap = 0;
            for (Curve c : curves) {
                for (int i = 0; i < c.steps().length; i++) gap = Math.max(gap, Math.abs(c.measured()[i] - c.predicted()[i]));
            }
            return gap;
        }
    }

    /** Trains {@code encoding} and returns its curves; {@code progress} hears every step. */
    public static Run analyse(Backend be, Settings s, String encoding, NtkAnalysis.Progress progress) {
        long t0 = System.nanoTime();
        int n = s.points();
        Grid grid = new Grid(1, n);
        int[] freqs = s.target().frequencies();
        try (Arena arena = Arena.ofShared();
             NtkNetwork net = NtkNetwork.create(encoding, 1, s.sigma(), s.posencScale(), s.hidden(), s.seed())) {
            Tensor x = grid.positions(arena), k = Tensor.zeros(arena, Shape.of(n, n));
            float[] yf = s.target().at(x);
            double[] y = Compare.toDouble(yf);
            StructuredNtk.compute(be, net, x, k);
            SymmetricEigen k0 = SymmetricEigen.of(Compare.toDouble(k.toArray()), n, true);
            double eta = Double.isNaN(s.lr()) ? s.lrScale() * n / k0.values()[0] : s.lr();

            List<Integer> at = new ArrayList<>();
            List<double[]> measured = new ArrayList<>();
            double[] residual = new double[n], r0 = null;
            double loss = Double.NaN;
            try (GradientDescent gd = new GradientDescent(be, net, x, yf)) {
                for (int t = 0; t <= s.steps(); t++) {
                    if (t < s.steps()) loss = gd.step((float) eta, residual);      // residual = r_t, before step t+1
                    else gd.residual(residual);
                    if (t == 0) r0 = residual.clone();
                    if (t % s.every() == 0 || t == s.steps()) {
                        at.add(t);
                        measured.add(SpectralBias.relativeErrors(residual, y, freqs));
                    }
                    if (t < s.steps()) progress.step(t + 1, loss);
                }
                double r2 = 0;
                for (double r : residual) r2 += r * r;
                loss = r2 / (2 * n);
            }
            List<Curve> curves = new ArrayList<>();
            int[] steps = at.stream().mapToInt(Integer::intValue).toArray();
            double[][] predicted = new double[steps.length][];
            for (int i = 0; i < steps.length; i++) {
                predicted[i] = SpectralBias.relativeErrors(SpectralBias.predictResidual(k0, r0, eta, steps[i]), y, freqs);
            }
            for (int f = 0; f < freqs.length; f++) {
                double[] m = new double[steps.length], p = new double[steps.length];
                for (int i = 0; i < steps.length; i++) {
                    m[i] = measured.get(i)[f];
                    p[i] = predicted[i][f];
                }
                curves.add(new Curve(freqs[f], steps, m, p));
            }
            return new Run(encoding, eta, k0.values()[0], curves, loss, (System.nanoTime() - t0) / 1e9);
        }
    }
}
