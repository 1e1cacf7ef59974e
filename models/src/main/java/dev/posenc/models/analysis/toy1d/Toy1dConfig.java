package dev.posenc.models.analysis.toy1d;

import java.util.Arrays;
import java.util.List;

/**
 * Settings of the 1-D toy ({@link Toy1d}); validated by the command, which names the options.
 *
 * @param points       N, grid points on [0, 1) (the notebook: 256)
 * @param trainEvery   every this many points trains (2: the "every other point"; the notebook used 8)
 * @param maxFrequency K, the signal's highest frequency, cycles per unit (the notebook: N/4 − 1)
 * @param powers       the signal falloffs p, one signal family per p
 * @param signals      random signals (phases) per p; the report averages over them
 * @param steps        full-batch Adam steps per fit
 * @param width        hidden width of the MLP
 * @param depth        layers of the MLP, the output layer included (Tancik: 4, so 3 hidden)
 * @param features     m: frequencies of the mapping (2m features), Gaussian and positional alike
 * @param lr           Adam's learning rate
 * @param seed         seeds the signals' phases, the weights and B
 */
public record Toy1dConfig(int points, int trainEvery, int maxFrequency, List<Double> powers, int signals, int steps,
                          int width, int depth, int features, double lr, long seed) {
    public Toy1dConfig {
        powers = List.copyOf(powers);
    }

    /** The default falloffs: from a rough signal (p = 0.5) to a smooth one (p = 2). */
    public static final List<Double> DEFAULT_POWERS = List.of(0.5, 1.0, 1.5, 2.0);

    /** The hidden widths {width, ..., width}, depth − 1 of them. */
    int[] hidden() {
        int[] h = new int[depth - 1];
        Arrays.fill(h, width);
        return h;
    }

    /** The training grid's Nyquist frequency, N/(2·trainEvery) cycles per unit. */
    public double trainNyquist() { return points / (2.0 * trainEvery); }
}
