package dev.posenc.models.vit;

import dev.posenc.core.io.AtomicFiles;
import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * The resolution sweep of CAPE (Likhomanenko et al. 2021, spec §4.5 "resolution toy"): a ViT trained at one size
 * is tested on the test images resized to other sizes (28 → 36, 44, 56: grids 7 → 9, 11, 14 in 4 × 4 patches),
 * every encoding on the same positions (see {@link Vit}: patch centres mapped onto the training grid; the learned
 * tables interpolate bilinearly). Over several seeds; the table and {@code resolution.png} show the median.
 * Writes results.csv (one row per encoding, seed and size), results.md and resolution.png.
 */
public final class ResolutionSweep {
    private ResolutionSweep() {}

    public static final String CSV_HEADER = "encoding,seed,test_size,grid,accuracy";

    /** One trained model's accuracy at one test size. */
    public record Point(String encoding, long seed, int size, int grid, double accuracy) {}

    /**
     * The test sizes, checked: each a multiple of {@code patch} (the ViT cuts whole patches) within [patch, max].
     * Throws IllegalArgumentException naming {@code option}, e.g. 42 with patch 4 (10.5 patches).
     */
    public static List<Integer> checkSizes(String option, List<Integer> sizes, int patch, int max) {
        if (sizes.isEmpty()) throw new IllegalArgumentException(option + ": expected at least one size, got none");
        for (int s : sizes) {
            if (s < patch || s > max) throw new IllegalArgumentException("%s: expected sizes in [%d, %d], got %d"
                    .formatted(option, patch, max, s));
            if (s % patch != 0) throw new IllegalArgumentException(("%s: expected multiples of the patch size %d (the "
                    + "grid must divide), got %d (%s patches)").formatted(option, patch, s,
                    String.format(Locale.ROOT, "%.2f", (double) s / patch)));
        }
        return List.copyOf(sizes);
    }

    /** The median of the accuracies of {@code encoding} at {@code size} over the seeds; NaN if none. */
    public static double median(List<Point> points, String encoding, int size) {
        double[] v = points.stream().filter(p -> p.encoding.equals(encoding) && p.size == size)
                .mapToDouble(Point::accuracy).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double[] range(List<Point> points, String encoding, int size) {
        double[] v = points.stream().filter(p -> p.encoding.equals(encoding) && p.size == size)
                .mapToDouble(Point::accuracy).sorted().toArray();
        return v.length == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {v[0], v[v.length - 1]};
    }

    /** Writes results.csv, results.md and resolution.png into {@code dir}, each atomically. */
    public static void write(Path dir, List<Point> points, List<String> encodings, List<Integer> sizes, int trainSize,
                             int seeds, SequencedMap<String, String> settings) throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(points));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(points, encodings, sizes, trainSize, settings));
        chart(points, encodings, sizes, trainSize, seeds).write(dir.resolve("resolution.png"), LinePlot.WIDTH,
                LinePlot.HEIGHT);
    }

    static Chart chart(List<Point> points, List<String> encodings, List<Integer> sizes, int trainSize, int seeds) {
        List<Curve> curves = new ArrayList<>();
        Curve.Marker[] marks = {Curve.Marker.CIRCLE, Curve.Marker.SQUARE, Curve.Marker.TRIANGLE};
        for (int i = 0; i < encodings.size(); i++) {
            List<double[]> pts = new ArrayList<>();
            for (int s : sizes) pts.add(new double[] {s, 100 * median(points, encodings.get(i), s)});
            curves.add(Curve.line(encodings.get(i), pts).markers(marks[i % marks.length]));
        }
        return Chart.of("ViT trained at %d×%d, tested resized (median of %d seed%s)".formatted(trainSize, trainSize,
                seeds, seeds == 1 ? "" : "s"), "test resolution (pixels per side)", "test accuracy (%)").with(curves);
    }

    public static String csv(List<Point> points) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Point p : points) {
            b.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f%n", p.encoding, p.seed, p.size, p.grid, p.accuracy));
        }
        return b.toString();
    }

    /** Settings, then the median accuracy (min–max over seeds) per encoding and size. */
    public static String markdown(List<Point> points, List<String> encodings, List<Integer> sizes, int trainSize,
                                  SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# ViT on Fashion-MNIST: accuracy at other resolutions\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\nMedian test accuracy over the seeds (min–max); trained at ").append(trainSize).append('×')
                .append(trainSize).append(".\n\n| encoding |");
        for (int s : sizes) {
            b.append(' ').append(s).append('×').append(s).append(s == trainSize ? " (train)" : "").append(" |");
        }
        b.append("\n|---|").append("---:|".repeat(sizes.size())).append('\n');
        for (String e : encodings) {
            b.append("| ").append(e).append(" |");
            for (int s : sizes) {
                double[] r = range(points, e, s);
                b.append(String.format(Locale.ROOT, " %.2f %% (%.1f–%.1f) |", 100 * median(points, e, s), 100 * r[0],
                        100 * r[1]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** One line per trained model: its accuracy at each size. */
    public static String summary(String encoding, long seed, List<Point> points) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s seed %d:", encoding, seed));
        for (Point p : points) b.append(String.format(Locale.ROOT, "  %d→%.2f %%", p.size, 100 * p.accuracy));
        return b.toString();
    }
}
