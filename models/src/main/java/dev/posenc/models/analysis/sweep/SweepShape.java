package dev.posenc.models.analysis.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of one PSNR-against-scale curve, for the papers' claim (Tancik et al. §2.4): test PSNR is an
 * inverted U in the scale (too small underfits, too large overfits) while train PSNR keeps rising.
 * <ul>
 *   <li>inverted U: the best test PSNR lies strictly inside the grid and beats both ends by at least
 *       {@value #MARGIN_DB} dB;</li>
 *   <li>train rises: no step to a larger scale loses more than {@value #MARGIN_DB} dB of train PSNR, except
 *       between points both at the float32 floor (≥ {@value #FLOOR_DB} dB, an MSE under 1e-10, where the
 *       differences are rounding).</li>
 * </ul>
 *
 * @param peak       index of the best test PSNR (the first, on ties)
 * @param peakScale  the scale there
 * @param peakPsnr   the best test PSNR, dB
 * @param edge       −1 if the peak is at the smallest scale, 1 at the largest, else 0
 * @param invertedU  whether the test curve is an inverted U in the sense above
 * @param rise       best test PSNR minus the test PSNR at the smallest scale, dB
 * @param fall       best test PSNR minus the test PSNR at the largest scale, dB
 * @param trainDrops the scales at which train PSNR has fallen by more than the margin from the previous scale
 */
public record SweepShape(int peak, double peakScale, double peakPsnr, int edge, boolean invertedU, double rise,
                         double fall, List<Double> trainDrops) {
    /** Differences smaller than this are noise between seeds, not a shape. */
    public static final double MARGIN_DB = 1.0;
    /** Train PSNRs above this are at float32's floor: MSE < 1e-10 with targets of order 1. */
    public static final double FLOOR_DB = 100.0;

    /** The shape of the curve (scales ascending; train and test PSNRs at each). */
    public static SweepShape of(double[] scales, double[] train, double[] test) {
        if (scales.length == 0 || train.length != scales.length || test.length != scales.length) {
            throw new IllegalArgumentException("sweep shape: expected equal, non-empty lengths, got %d, %d, %d"
                    .formatted(scales.length, train.length, test.length));
        }
        for (int i = 1; i < scales.length; i++) {
            if (!(scales[i] > scales[i - 1])) throw new IllegalArgumentException(
                    "sweep shape: expected ascending scales, got %s after %s".formatted(scales[i], scales[i - 1]));
        }
        int peak = 0;
        for (int i = 1; i < test.length; i++) if (test[i] > test[peak]) peak = i;
        double rise = test[peak] - test[0], fall = test[peak] - test[test.length - 1];
        boolean inverted = peak > 0 && peak < test.length - 1 && rise >= MARGIN_DB && fall >= MARGIN_DB;
        List<Double> drops = new ArrayList<>();
        for (int i = 1; i < train.length; i++) {
            boolean floor = train[i] >= FLOOR_DB && train[i - 1] >= FLOOR_DB;
            if (!floor && train[i] < train[i - 1] - MARGIN_DB) drops.add(scales[i]);
        }
        int edge = peak == 0 ? -1 : peak == test.length - 1 ? 1 : 0;
        return new SweepShape(peak, scales[peak], test[peak], edge, inverted, rise, fall, List.copyOf(drops));
    }

    /** {@link #describe(String, String, double, double)} for σ, a frequency itself. */
    public String describe(String scaleName, double nyquist) { return describe(scaleName, null, peakScale, nyquist); }

    /**
     * The sentence for a sweep of {@code mapping}'s scale: σ (gaussian, lff) is compared with the Nyquist directly,
     * a positional scale s through its top frequency 2^s − 1.
     */
    public String describeFor(String mapping, double nyquist) {
        return mapping.equals("positional")
                ? describe("s", "top frequency 2^s − 1", Math.pow(2, peakScale) - 1, nyquist)
                : describe("σ", nyquist);
    }

    /** Whether train PSNR keeps rising (within the margin). */
    public boolean trainRises() { return trainDrops.isEmpty(); }

    /**
     * One sentence: the peak at {@code scaleName} = value and how it compares with {@code nyquist}, the training
     * grid's Nyquist frequency (left out when {@code nyquist} ≤ 0), whether the test curve is an inverted U and
     * whether train PSNR keeps rising, naming where it does not. For a scale that is not itself a frequency
     * (the positional s), {@code frequencyName} names the frequency that {@code peakFrequency} gives (e.g. "top
     * frequency 2^s − 1"); for σ it is null and the scale is compared directly.
     */
    public String describe(String scaleName, String frequencyName, double peakFrequency, double nyquist) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "best test PSNR %.2f dB at %s = %s", peakPsnr,
                scaleName, shortNumber(peakScale)));
        if (nyquist > 0) s.append(String.format(Locale.ROOT, " (%s%.3g × the training Nyquist %s)",
                frequencyName == null ? "" : frequencyName + " = " + shortNumber(peakFrequency) + ", ",
                peakFrequency / nyquist, shortNumber(nyquist)));
        s.append(invertedU ? String.format(Locale.ROOT, "; inverted U: yes (+%.1f dB from the smallest scale, −%.1f dB to"
                + " the largest)", rise, fall) : String.format(Locale.ROOT, "; inverted U: NO (the peak %s; +%.1f dB from"
                + " the smallest scale, −%.1f dB to the largest)", edge < 0 ? "is at the smallest scale"
                : edge > 0 ? "is at the largest scale" : "is too flat", rise, fall));
        if (trainRises()) s.append("; train PSNR keeps rising: yes");
        else {
            List<String> at = trainDrops.stream().map(v -> scaleName + " = " + shortNumber(v)).toList();
            s.append("; train PSNR keeps rising: NO (it drops at ").append(String.join(", ", at)).append(')');
        }
        return s.toString();
    }

    /** "4", "0.25", "2.5", "1.77": integers without a point, others to 3 significant digits. */
    public static String shortNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        String g = String.format(Locale.ROOT, "%.3g", v);
        return g.contains("e") ? g : g.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
