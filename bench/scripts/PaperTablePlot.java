import dev.posenc.models.report.Chart;
import dev.posenc.models.report.Curve;
import dev.posenc.models.report.LinePlot;
import dev.posenc.models.report.Panels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws the 512² (--paper) test PSNR of each image in bench/results/fit-image-paper-512/ beside Tancik et al.'s
 * Table 1, one panel per data set, for the README. The x axis is the encoding's rung on Table 1's ladder, so a
 * rising line is Table 1's order and the slope between rungs is the gap the paper's claims are about.
 *
 * <pre>java -cp models/target/posenc.jar bench/scripts/PaperTablePlot.java bench/results/fit-image-paper-512 docs/img/fit-image-paper-512.png</pre>
 */
public class PaperTablePlot {
    private static final List<String> LADDER = List.of("none", "basic", "positional", "gaussian", "lff");
    private static final double[] TABLE1_NATURAL = {19.32, 21.72, 24.95, 25.57};
    private static final double[] TABLE1_TEXT = {18.40, 20.48, 27.57, 30.47};

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Chart natural = panel("natural (512², 2000 steps)", dir, List.of("natural-astronaut", "natural-coffee"),
                List.of("astronaut", "coffee"),
                TABLE1_NATURAL);
        Chart text = panel("text (512², 2000 steps)", dir, List.of("text-seed0", "text-seed1"),
                List.of("seed 0", "seed 1 (none, basic collapsed)"), TABLE1_TEXT);
        new Panels("test PSNR by encoding: 0 none, 1 basic, 2 positional, 3 gaussian, 4 lff",
                List.of(natural, text), 2, false).write(out, 640, 460);
    }

    private static Chart panel(String title, Path dir, List<String> images, List<String> labels,
                               double[] table1) throws IOException {
        Chart chart = Chart.of(title, "encoding (rung of Table 1's ladder)", "test PSNR (dB)")
                .xRange(-0.2, 4.2).yRange(10, 36).xWholeNumbers();
        for (int i = 0; i < images.size(); i++) {
            Map<String, Double> psnr = testPsnr(dir.resolve(images.get(i)));
            List<double[]> points = new ArrayList<>();
            for (int rung = 0; rung < LADDER.size(); rung++) points.add(new double[]{rung, psnr.get(LADDER.get(rung))});
            chart = chart.with(Curve.line("posenc, " + labels.get(i), points).colour(LinePlot.PALETTE[i]));
        }
        List<double[]> paper = new ArrayList<>();
        for (int rung = 0; rung < table1.length; rung++) paper.add(new double[]{rung, table1[rung]});
        return chart.with(Curve.line("Table 1, mean of 16", paper).dashed().colour(LinePlot.PALETTE[3]));
    }

    /**
     * The test PSNR of each encoding in every results.csv under {@code imageDir}: the first images ran their
     * encodings as separate invocations, each writing its own folder, and some of those files repeat an encoding
     * already finished (the same row, which is checked).
     */
    private static Map<String, Double> testPsnr(Path imageDir) throws IOException {
        List<Path> files;
        try (var walk = Files.walk(imageDir)) {
            files = walk.filter(f -> f.getFileName().toString().equals("results.csv")).sorted().toList();
        }
        Map<String, Double> psnr = new LinkedHashMap<>();
        for (Path csv : files) {
            List<String> lines = Files.readAllLines(csv);
            List<String> header = List.of(lines.getFirst().split(","));
            int encoding = header.indexOf("encoding"), test = header.indexOf("test_psnr");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                Double earlier = psnr.putIfAbsent(cells[encoding], Double.parseDouble(cells[test]));
                if (earlier != null && earlier != Double.parseDouble(cells[test])) throw new IllegalStateException(
                        csv + ": " + cells[encoding] + " has test PSNR " + cells[test] + ", another file " + earlier);
            }
        }
        if (!psnr.keySet().containsAll(LADDER)) throw new IllegalArgumentException(
                imageDir + ": expected rows for " + LADDER + ", got " + psnr.keySet());
        return psnr;
    }
}
