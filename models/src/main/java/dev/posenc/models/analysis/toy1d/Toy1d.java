package dev.posenc.models.analysis.toy1d;

import dev.posenc.core.Backend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;

/**
 * Tancik et al.'s 1-D toy as a scale sweep (spec §2.3): for each mapping and scale, for each falloff p, fit
 * {@link Toy1dConfig#signals()} random power-law signals ({@link PowerLawSignal}) on the training points of
 * {@link Split#everyKth} and measure train and test PSNR ({@link SignalFit}); a {@link Row} holds their means.
 *
 * <p>Seeds: signal j of falloff p has phases from (seed, p's index, j); its network and B come from
 * (seed, j), the same for every p and scale, so that the curves differ by the target and the scale only
 * (common random numbers: the Gaussian B is σ·Z with one Z per j).
 */
public final class Toy1d {
    private Toy1d() {}

    /**
     * One point of the sweep, averaged over the signals.
     *
     * @param trainPsnr mean over the signals of the training-point PSNR, dB
     * @param testPsnr  mean of the test-point PSNR, dB
     * @param trainStd  sample standard deviation of the training PSNRs (0 for one signal)
     * @param testStd   sample standard deviation of the test PSNRs
     */
    public record Row(String mapping, double p, double scale, double trainPsnr, double testPsnr, double trainStd,
                      double testStd) {}

    /** Told about every fit and every finished row, in order; for progress bars and partial reports. */
    public interface Listener {
        /** {@code done} of {@code total} fits have finished; the last one's train and test PSNR. */
        void fitDone(int done, int total, double trainPsnr, double testPsnr);

        /** A row is complete; {@code rows} holds every row so far, this one last. */
        void rowDone(Row row, List<Row> rows) throws IOException;
    }

    /** Fits every (mapping, scale, p, signal) of {@code grid} and {@code c}; returns the rows in that order. */
    public static List<Row> run(Backend backend, Toy1dConfig c, SequencedMap<String, List<Double>> grid,
                                Listener listener) throws IOException {
        Split split = Split.everyKth(c.points(), c.trainEvery());
        List<List<PowerLawSignal>> signals = new ArrayList<>();
        for (int pi = 0; pi < c.powers().size(); pi++) {
            List<PowerLawSignal> family = new ArrayList<>();
            for (int j = 0; j < c.signals(); j++) {
                family.add(PowerLawSignal.generate(c.points(), c.powers().get(pi), c.maxFrequency(),
                        signalSeed(c.seed(), pi, j)));
            }
            signals.add(family);
        }
        int total = grid.values().stream().mapToInt(List::size).sum() * c.powers().size() * c.signals(), done = 0;
        List<Row> rows = new ArrayList<>();
        for (var entry : grid.entrySet()) {
            for (double scale : entry.getValue()) {
                for (int pi = 0; pi < c.powers().size(); pi++) {
                    double[] train = new double[c.signals()], test = new double[c.signals()];
                    for (int j = 0; j < c.signals(); j++) {
                        SignalFit.Result r = SignalFit.fit(backend, entry.getKey(), scale, c,
                                signals.get(pi).get(j).values(), split, c.seed() * 1_000_003L + j);
                        train[j] = r.trainPsnr();
                        test[j] = r.testPsnr();
                        listener.fitDone(++done, total, r.trainPsnr(), r.testPsnr());
                    }
                    rows.add(new Row(entry.getKey(), c.powers().get(pi), scale, mean(train), mean(test), std(train),
                            std(test)));
                    listener.rowDone(rows.getLast(), List.copyOf(rows));
                }
            }
        }
        return rows;
    }

    /** The phases' seed of signal j of the pi-th falloff: distinct for every (seed, pi, j). */
    static long signalSeed(long seed, int pi, int j) { return (seed * 1_000_003L + pi) * 1_000_003L + j + 0x5eed; }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double std(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
