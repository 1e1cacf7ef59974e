package dev.posenc.models.analysis.sweep;

import dev.posenc.core.Backend;
import dev.posenc.core.io.RgbImage;
import dev.posenc.models.train.FitConfig;
import dev.posenc.models.train.FitResult;
import dev.posenc.models.train.ImageFit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;

/**
 * The σ sweep of Tancik et al.'s image regression ("Varying scales" in the 2-D notebook, spec §2.2): one
 * {@link ImageFit} per (encoding, scale) with the fit-image protocol (train on the even-even pixels, test on the
 * odd-odd ones), everything but the scale as in {@code base}.
 * <ul>
 *   <li>{@code gaussian}: the scale is σ, the std of B in cycles per unit;</li>
 *   <li>{@code positional}: the scale s of 2^linspace(0, s, 128) − 1 per axis (top frequency 2^s − 1);</li>
 *   <li>{@code lff}: the σ at which W_r starts, γ = 1/(2πσ) ({@link FitConfig#gammaFor}); its frequencies then
 *       train.</li>
 * </ul>
 */
public final class ImageSweep {
    private ImageSweep() {}

    /** The encodings whose scale this sweep knows how to set. */
    public static final List<String> ENCODINGS = List.of("gaussian", "positional", "lff");

    /** One fit: its PSNRs (dB) after the last step and its wall time. */
    public record Row(String encoding, double scale, double trainPsnr, double testPsnr, double seconds) {}

    /** Told when a fit starts, after every step of it, and when it is done (for bars and partial reports). */
    public interface Listener extends ImageFit.Progress {
        void fitStarted(String encoding, double scale);

        void fitDone(Row row, List<Row> rows) throws IOException;
    }

    /** {@code base} with the scale of {@code encoding} set to {@code scale}. */
    public static FitConfig configFor(FitConfig base, String encoding, double scale) {
        return switch (encoding) {
            case "gaussian" -> base.withSigma(scale);
            case "positional" -> base.withScale(scale);
            case "lff" -> base.withSigma(scale).withGamma(FitConfig.gammaFor(scale));
            default -> throw new IllegalArgumentException(
                    "encoding: expected one of %s, got '%s'".formatted(ENCODINGS, encoding));
        };
    }

    /** Fits every (encoding, scale) of {@code grid} to {@code image}, in order; returns the rows. */
    public static List<Row> run(Backend backend, RgbImage image, FitConfig base, SequencedMap<String, List<Double>> grid,
                                Listener listener) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (var entry : grid.entrySet()) {
            for (double scale : entry.getValue()) {
                listener.fitStarted(entry.getKey(), scale);
                FitConfig c = configFor(base, entry.getKey(), scale);
                try (FitResult fit = ImageFit.fit(backend, image, entry.getKey(), c, listener)) {
                    rows.add(new Row(entry.getKey(), scale, fit.trainPsnr(), fit.testPsnr(), fit.seconds()));
                }
                listener.fitDone(rows.getLast(), List.copyOf(rows));
            }
        }
        return rows;
    }
}
