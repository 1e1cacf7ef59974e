package dev.posenc.models.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

import static org.junit.jupiter.api.Assertions.*;

class ResultsWriterTest {
    @TempDir Path dir;

    private static final List<FitSummary> RESULTS = List.of(
            new FitSummary("none", 19.5, 19.25, 2000, 40.0, List.of(new double[] {0, 10}, new double[] {2000, 19.25})),
            new FitSummary("gaussian", 35.1234, 27.5, 2000, 80.0, List.of()),
            new FitSummary("odd,name", Double.NaN, Double.POSITIVE_INFINITY, 0, 0, List.of()));

    @Test
    void csvHasTheExactHeaderAndOneLinePerEncoding() throws IOException {
        ResultsWriter.write(dir, RESULTS, settings());
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals("encoding,train_psnr,test_psnr,steps,seconds,steps_per_second", lines.get(0));
        assertEquals("none,19.500,19.250,2000,40.000,50.00", lines.get(1));
        assertEquals("gaussian,35.123,27.500,2000,80.000,25.00", lines.get(2));
        assertEquals("\"odd,name\",nan,inf,0,0.000,nan", lines.get(3), "a comma in a name is quoted");
        assertEquals(4, lines.size());
    }

    @Test
    void numbersIgnoreTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // decimal comma
            assertTrue(ResultsWriter.csv(RESULTS).contains("19.500"), "decimal separator must be a dot");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void markdownHasSettingsAndTheSameColumns() throws IOException {
        ResultsWriter.write(dir, RESULTS, settings());
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.contains("| size | 256 |"), md);
        assertTrue(md.indexOf("| size |") < md.indexOf("| steps | 2000 |"), "settings keep their order");
        assertTrue(md.contains("| encoding | train_psnr | test_psnr | steps | seconds | steps_per_second |"), md);
        assertTrue(md.contains("| gaussian | 35.123 | 27.500 | 2000 | 80.000 | 25.00 |"), md);
        assertTrue(md.contains("| lr | 1e-3 \\| 1e-2 |"), "a pipe in a value is escaped: " + md);
    }

    @Test
    void summaryValidatesAndCopiesItsCurve() {
        double[] point = {1, 2};
        var curve = new java.util.ArrayList<double[]>(List.of(point));
        FitSummary s = new FitSummary("lff", 1, 2, 3, 4, curve);
        point[1] = 99;
        curve.clear();
        assertEquals(2, s.curve().get(0)[1], "the summary must own its curve");
        var e = assertThrows(IllegalArgumentException.class,
                () -> new FitSummary("lff", 1, 2, 3, 4, List.of(new double[] {1, 2, 3})));
        assertTrue(e.getMessage().startsWith("curve[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FitSummary(" ", 1, 2, 3, 4, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FitSummary("x", 1, 2, -1, 4, List.of()));
    }

    private static SequencedMap<String, String> settings() {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("size", "256");
        s.put("steps", "2000");
        s.put("lr", "1e-3 | 1e-2");
        return s;
    }
}
