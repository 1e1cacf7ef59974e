package dev.posenc.models.nas;

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
 * What {@code nas encoding} writes: results.csv ({@code task,seed,selection,chosen,rank_of_chosen_in_ground_truth}),
 * candidates.csv (each candidate's test PSNR alone and the supernet's validation PSNR without it), results.md and
 * alpha.png (softmax(α) per candidate against supernet step, seed by seed).
 */
public final class EncodingReport {
    private EncodingReport() {}

    public static final String CSV_HEADER = "task,seed,selection,chosen,rank_of_chosen_in_ground_truth";
    public static final List<String> FILES = List.of("results.csv", "candidates.csv", "results.md", "alpha.png");

    public static void write(Path dir, List<EncodingSearch.Result> results, SequencedMap<String, String> settings) throws IOException {
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(results));
        AtomicFiles.writeString(dir.resolve("candidates.csv"), candidatesCsv(results));
        AtomicFiles.writeString(dir.resolve("results.md"), markdown(results, settings));
        alphaChart(results).write(dir.resolve("alpha.png"), 640, 420);
    }

    static String csv(List<EncodingSearch.Result> results) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (EncodingSearch.Result r : results)
            for (EncodingSearch.Row row : r.rows())
                b.append("%s,%d,%s,%s,%d%n".formatted(row.task(), row.seed(), row.selection(), row.chosen(), row.rank()));
        return b.toString();
    }

    static String candidatesCsv(List<EncodingSearch.Result> results) {
        String m = results.isEmpty() ? "psnr" : results.getFirst().metric();
        StringBuilder b = new StringBuilder("seed,candidate,alone_test_%s,rank_alone,final_alpha_weight,supernet_val_%s_without\n".formatted(m, m));
        for (EncodingSearch.Result r : results)
            for (int i = 0; i < r.candidates().size(); i++)
                b.append(String.format(Locale.ROOT, "%d,%s,%.3f,%d,%.4f,%.3f%n", r.seed(), r.candidates().get(i), r.aloneTest()[i],
                        EncodingSearch.rank(r.aloneTest(), i), r.alphaTrace().getLast()[i + 1], r.maskedVal()[i]));
        return b.toString();
    }

    public static String markdown(List<EncodingSearch.Result> results, SequencedMap<String, String> settings) {
        StringBuilder b = new StringBuilder("# nas encoding: α against perturbation against training each alone\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        String m = results.isEmpty() || results.getFirst().metric().equals("psnr") ? "PSNR (dB)" : "accuracy (%)";
        b.append("\n| seed | candidate | test %s alone | rank alone | final softmax(α) | supernet val %s without it |\n".formatted(m, m));
        b.append("|---|---|---|---|---|---|\n");
        for (EncodingSearch.Result r : results)
            for (int i = 0; i < r.candidates().size(); i++)
                b.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %d | %.3f | %.2f |%n", r.seed(), r.candidates().get(i),
                        r.aloneTest()[i], EncodingSearch.rank(r.aloneTest(), i), r.alphaTrace().getLast()[i + 1],
                        r.maskedVal()[i]));
        b.append("\n| seed | selection | chosen | rank of chosen in ground truth |\n|---|---|---|---|\n");
        for (EncodingSearch.Result r : results)
            for (EncodingSearch.Row row : r.rows())
                b.append("| %d | %s | %s | %d |%n".formatted(row.seed(), row.selection(), row.chosen(), row.rank()));
        for (String sel : List.of("alpha", "perturbation")) {
            double mean = results.stream().flatMap(r -> r.rows().stream()).filter(r -> r.selection().equals(sel))
                    .mapToInt(EncodingSearch.Row::rank).average().orElse(Double.NaN);
            b.append(String.format(Locale.ROOT, "%n- %s: mean rank of the chosen encoding %.2f (1 = the best alone)", sel, mean));
        }
        boolean vit = !results.isEmpty() && results.getFirst().task().equals("vit");
        b.append(vit ? "\n\nHow to read it: the ground truth is compare-pe's ViT trained on each encoding alone (same steps, "
                + "training images, body initialisation and seed), ranked by test accuracy. α selection keeps the largest "
                + "softmax(α) of the supernet; perturbation selection keeps the encoding whose removal lowers the supernet's "
                + "accuracy on the validation images (training-set images that neither the weights nor the ground truth "
                + "trained on) most.\n"
                : "\n\nHow to read it: the ground truth is fit-image's own run of each encoding alone (same steps, size and "
                + "seed). α selection keeps the largest softmax(α) of the supernet; perturbation selection keeps the encoding "
                + "whose removal lowers the supernet's validation PSNR most (validation: the even-row, odd-column pixels).\n");
        return b.toString();
    }

    private static Chart alphaChart(List<EncodingSearch.Result> results) {
        Chart c = Chart.of("softmax(α) of each encoding during the search", "supernet step", "softmax(α)");
        List<String> names = results.getFirst().candidates();
        for (int i = 0; i < names.size(); i++)
            for (int s = 0; s < results.size(); s++) {
                List<double[]> pts = new ArrayList<>();
                for (double[] p : results.get(s).alphaTrace()) pts.add(new double[] {p[0], p[i + 1]});
                Curve curve = Curve.line(s == 0 ? names.get(i) : "", pts).colour(LinePlot.PALETTE[i % LinePlot.PALETTE.length]);
                c = c.with(s == 0 ? curve : curve.dashed());
            }
        return c;
    }
}
