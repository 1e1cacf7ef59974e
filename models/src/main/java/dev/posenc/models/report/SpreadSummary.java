package dev.posenc.models.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One encoding fitted to several images (Tancik et al.'s Table 1 averages 16 per data set): the mean over
 * images and the spread of the test PSNR. With n images and test PSNRs p_i:
 * mean = Σ p_i / n, std = √(Σ (p_i − mean)² / (n − 1)) (the sample standard deviation; NaN for one image).
 *
 * @param mean     the encoding's name; mean train and test PSNR; the steps of one fit; and the mean
 *                 test-PSNR curve (point k averaged over the images that have a point k); seconds are the mean
 *                 per image, so its steps per second are those of one fit
 * @param testStd  sample standard deviation of the test PSNR over images, dB
 * @param testMin  lowest test PSNR, dB
 * @param testMax  highest test PSNR, dB
 * @param perImage the fits it summarises, in image order
 */
public record SpreadSummary(FitSummary mean, double testStd, double testMin, double testMax, List<FitSummary> perImage) {
    public SpreadSummary {
        perImage = List.copyOf(perImage);
    }

    /**
     * Summarises the fits of one encoding over images.
     *
     * @throws IllegalArgumentException if {@code perImage} is empty or mixes encodings
     */
    public static SpreadSummary of(List<FitSummary> perImage) {
        if (perImage.isEmpty()) throw new IllegalArgumentException("perImage: expected at least one fit, got none");
        String encoding = perImage.getFirst().encoding();
        int n = perImage.size(), points = Integer.MAX_VALUE;
        double train = 0, test = 0, seconds = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (FitSummary f : perImage) {
            if (!f.encoding().equals(encoding)) throw new IllegalArgumentException(
                    "perImage: expected fits of %s only, got %s".formatted(encoding, f.encoding()));
            train += f.trainPsnr() / n;
            test += f.testPsnr() / n;
            seconds += f.seconds() / n;
            min = Math.min(min, f.testPsnr());
            max = Math.max(max, f.testPsnr());
            points = Math.min(points, f.curve().size());
        }
        double squares = 0;
        for (FitSummary f : perImage) squares += (f.testPsnr() - test) * (f.testPsnr() - test);
        double std = n > 1 ? Math.sqrt(squares / (n - 1)) : Double.NaN;
        List<double[]> curve = new ArrayList<>(points);
        for (int k = 0; k < points; k++) {
            double psnr = 0;
            for (FitSummary f : perImage) psnr += f.curve().get(k)[1] / n;
            curve.add(new double[] {perImage.getFirst().curve().get(k)[0], psnr});
        }
        FitSummary mean = new FitSummary(encoding, train, test, perImage.getFirst().steps(), seconds, curve);
        return new SpreadSummary(mean, std, min, max, perImage);
    }
}
