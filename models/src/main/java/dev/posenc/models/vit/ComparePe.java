package dev.posenc.models.vit;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Backend;
import dev.posenc.core.io.AtomicFiles;
import dev.posenc.core.io.Png;
import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.encodings.ExtrapolationException;
import dev.posenc.models.report.LinePlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * The ViT study of Li et al. (spec §1.4 item 3) at small scale: every encoding trained with the same seed, data
 * order, body initialisation and budget; then each is tested at the training resolution and at an unseen one
 * (the test images resized, e.g. 28 → 36, so the grid grows from 7 × 7 to 9 × 9 patches; {@link Vit} maps the
 * patch centres onto the training grid and the learned tables interpolate there). A model that still meets a
 * position beyond a table's extent is reported as {@value #CANNOT_EXTRAPOLATE}; {@link ResolutionSweep} tests
 * several sizes over seeds.
 * Writes results.csv, results.md, curves.csv (test accuracy and training loss per evaluation) and accuracy.png
 * (test accuracy against steps).
 */
public final class ComparePe {
    private ComparePe() {}

    public static final String CANNOT_EXTRAPOLATE = "n/a: cannot extrapolate";
    public static final String CSV_HEADER =
            "encoding,test_accuracy,steps_to_85,unseen_size,unseen_accuracy,steps,train_seconds,steps_per_second,"
                    + "patch_rms_start,positional_rms_start,positional_rms_end";
    public static final String CURVES_HEADER = "encoding,step,test_accuracy,train_loss";
    /** The accuracy "steps to reach" counts to. */
    public static final double TARGET = 0.85;

    /** One encoding's outcome; unseenAccuracy is NaN when the encoding cannot extrapolate. */
    public record Row(String encoding, double testAccuracy, int stepsTo85, int unseenSize, double unseenAccuracy,
                      int steps, double trainSeconds, double stepsPerSecond, List<CurvePoint> curve,
                      Vit.Scales startScales, Vit.Scales endScales) {
        String unseen() {
            return Double.isNaN(unseenAccuracy) ? CANNOT_EXTRAPOLATE
                    : String.format(Locale.ROOT, "%.4f", unseenAccuracy);
        }

        String to85() { return stepsTo85 < 0 ? "not reached" : Integer.toString(stepsTo85); }
    }

    /** Test accuracy of {@code result}'s model on {@code unseen} (another resolution); NaN: it cannot extrapolate. */
    public static double unseenAccuracy(Backend backend, VitTrainer.Result result, FashionMnist.Data unseen,
                                        int limit) {
        return unseenAccuracy(backend, result, unseen, limit, false);
    }

    /** {@link #unseenAccuracy(Backend, VitTrainer.Result, FashionMnist.Data, int)}, with the tape's finite check. */
    public static double unseenAccuracy(Backend backend, VitTrainer.Result result, FashionMnist.Data unseen,
                                        int limit, boolean checkFinite) {
        try (Tape tape = new Tape(backend, checkFinite)) {
            return VitTrainer.accuracy(result.model(), tape, unseen, limit);
        } catch (ExtrapolationException e) {
            return Double.NaN;
        }
    }

    /** The row of a finished run. */
    public static Row row(VitTrainer.Result r, int unseenSize, double unseenAccuracy) {
        return new Row(r.model().config().encoding(), r.testAccuracy(), r.stepsToReach(TARGET), unseenSize,
                unseenAccuracy, r.steps(), r.trainSeconds(), r.stepsPerSecond(), r.curve(), r.startScales(), r.endScales());
    }

    /** Writes results.csv, results.md, curves.csv and accuracy.png into {@code dir}, each atomically. */
    public static void write(Path dir, List<Row> rows, SequencedMap<String, String> settings) throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(rows));
        AtomicFiles.writeString(dir.resolve("curves.csv"), curvesCsv(rows));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(rows, settings));
        List<LinePlot.Series> series = new ArrayList<>();
        for (Row r : rows) {
            List<double[]> pts = new ArrayList<>();
            for (CurvePoint p : r.curve()) pts.add(new double[] {p.step(), 100 * p.testAccuracy()});
            series.add(new LinePlot.Series(r.encoding(), pts));
        }
        Png.write(dir.resolve("accuracy.png"), LinePlot.render("ViT on Fashion-MNIST: test accuracy", "step",
                "test accuracy (%)", series, LinePlot.WIDTH, LinePlot.HEIGHT));
    }

    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%s,%.4f,%s,%d,%s,%d,%.2f,%.2f,%.4f,%.5f,%.5f%n", r.encoding(),
                    r.testAccuracy(),
                    r.stepsTo85() < 0 ? "" : Integer.toString(r.stepsTo85()), r.unseenSize(),
                    Double.isNaN(r.unseenAccuracy()) ? CANNOT_EXTRAPOLATE : String.format(Locale.ROOT, "%.4f",
                            r.unseenAccuracy()), r.steps(), r.trainSeconds(), r.stepsPerSecond(),
                    r.startScales().patchTokensRms(), r.startScales().positionalRms(), r.endScales().positionalRms()));
        }
        return b.toString();
    }

    /** Every encoding's curve, one row per evaluation: the data behind accuracy.png, plus the training loss. */
    public static String curvesCsv(List<Row> rows) {
        StringBuilder b = new StringBuilder(CURVES_HEADER).append('\n');
        for (Row r : rows) {
            for (CurvePoint p : r.curve()) {
                b.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.5f%n", r.encoding(), p.step(), p.testAccuracy(),
                        p.trainLoss()));
            }
        }
        return b.toString();
    }

    public static String markdown(List<Row> rows, SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# ViT on Fashion-MNIST: positional encodings compared\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        int unseen = rows.isEmpty() ? 0 : rows.getFirst().unseenSize();
        b.append("\n| encoding | test accuracy | steps to 85 % | accuracy at ").append(unseen).append('×')
                .append(unseen).append(" | steps | train s | steps/s |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %.2f %% | %s | %s | %d | %.1f | %.2f |%n", r.encoding(),
                    100 * r.testAccuracy(), r.to85(), Double.isNaN(r.unseenAccuracy()) ? CANNOT_EXTRAPOLATE
                            : String.format(Locale.ROOT, "%.2f %%", 100 * r.unseenAccuracy()), r.steps(),
                    r.trainSeconds(), r.stepsPerSecond()));
        }
        return b.toString();
    }
}
