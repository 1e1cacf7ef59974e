package dev.posenc.models.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SpreadSummaryTest {
    /** Sums of three doubles of this size round far below this. */
    private static final double ATOL = 1e-12;

    @TempDir Path dir;

    private static FitSummary fit(String encoding, double test, double... curve) {
        List<double[]> points = new java.util.ArrayList<>();
        for (int k = 0; k < curve.length; k++) points.add(new double[] {25 * (k + 1), curve[k]});
        return new FitSummary(encoding, test + 5, test, 50, 10, points);
    }

    @Test
    void meanAndSampleStdWorkedByHand() {
        // test PSNRs 20, 22, 27: mean 23; squares 9 + 1 + 16 = 26; sample std √(26/2) = √13
        SpreadSummary s = SpreadSummary.of(List.of(fit("gaussian", 20, 10, 20), fit("gaussian", 22, 12, 22),
                fit("gaussian", 27, 14)));
        assertEquals(23, s.mean().testPsnr(), ATOL);
        assertEquals(28, s.mean().trainPsnr(), ATOL);
        assertEquals(Math.sqrt(13), s.testStd(), ATOL);
        assertEquals(20, s.testMin());
        assertEquals(27, s.testMax());
        assertEquals(10, s.mean().seconds(), ATOL, "seconds are per image");
        assertEquals(1, s.mean().curve().size(), "the mean curve stops where the shortest one does");
        assertEquals(12, s.mean().curve().getFirst()[1], ATOL);
        assertEquals(25, s.mean().curve().getFirst()[0]);
        assertTrue(Double.isNaN(SpreadSummary.of(List.of(fit("none", 15))).testStd()), "one image has no spread");
    }

    @Test
    void rejectsNoFitsAndMixedEncodings() {
        assertThrows(IllegalArgumentException.class, () -> SpreadSummary.of(List.of()));
        var e = assertThrows(IllegalArgumentException.class,
                () -> SpreadSummary.of(List.of(fit("none", 15), fit("basic", 16))));
        assertTrue(e.getMessage().contains("none") && e.getMessage().contains("basic"), e.getMessage());
    }

    @Test
    void writerKeepsMeansInResultsCsvAndEveryFitInImagesCsv() throws IOException {
        List<SpreadSummary> encodings = List.of(
                SpreadSummary.of(List.of(fit("none", 14, 14), fit("none", 16, 16))),
                SpreadSummary.of(List.of(fit("gaussian", 24, 24), fit("gaussian", 28, 28))));
        ResultsWriter.write(dir, List.of("text-0", "text-1"), encodings, new LinkedHashMap<>());
        List<String> results = Files.readAllLines(dir.resolve(ResultsWriter.CSV_NAME));
        assertEquals(List.of(ResultsWriter.CSV_HEADER, "none,20.000,15.000,50,10.000,5.00",
                "gaussian,31.000,26.000,50,10.000,5.00"), results);
        List<String> images = Files.readAllLines(dir.resolve(ResultsWriter.IMAGES_CSV_NAME));
        assertEquals(List.of(ResultsWriter.IMAGES_CSV_HEADER, "text-0,none,19.000,14.000,50,10.000,5.00",
                "text-0,gaussian,29.000,24.000,50,10.000,5.00", "text-1,none,21.000,16.000,50,10.000,5.00",
                "text-1,gaussian,33.000,28.000,50,10.000,5.00"), images);
        String md = Files.readString(dir.resolve(ResultsWriter.MARKDOWN_NAME));
        assertTrue(md.contains("| gaussian | 26.00 ± 2.83 | 24.00 | 28.00 | 2 |"), md);  // √8 = 2.83
        assertTrue(md.contains("| text-1 | none | 21.000 | 16.000 |"), md);
    }
}
