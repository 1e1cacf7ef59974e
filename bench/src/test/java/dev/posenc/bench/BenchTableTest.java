package dev.posenc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchTableTest {
    private static final double EXACT = 0.0;   // medians of a handful of doubles are exact

    private static BenchRecord fourier() {
        var params = new LinkedHashMap<String, String>();
        params.put("n", "4096");
        params.put("impl", "vector");
        return BenchRecord.of("FourierBench.forward", "avgt", params, 12.3456, 0.25, "us/op",
                new double[] {12.9, 12.1, 12.4, 13.0, 12.3});
    }

    private static BenchRecord fma() {
        return BenchRecord.of("FmaPeakBench.peak", "thrpt", Map.of(), 251234.56, Double.NaN, "ops/ms",
                new double[] {251234.56});
    }

    @Test
    void medianMinMaxComeFromTheIterationScores() {
        BenchRecord odd = fourier();
        assertEquals(12.4, odd.median(), EXACT);
        assertEquals(12.1, odd.min(), EXACT);
        assertEquals(13.0, odd.max(), EXACT);
        assertEquals(5, odd.samples());
        BenchRecord even = BenchRecord.of("A.b", "avgt", Map.of(), 2, 1, "ms/op", new double[] {4, 1, 3, 2});
        assertEquals(2.5, even.median(), EXACT);     // worked by hand: (2 + 3) / 2
    }

    @Test
    void rejectsNoIterations() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BenchRecord.of("A.b", "avgt", Map.of(), 1, 0, "ms/op", new double[0]));
        assertEquals("iterationScores: expected at least 1 for A.b, got 0", e.getMessage());
    }

    @Test
    void tableAlignsTextLeftAndNumbersRight() {
        String expected = """
                Benchmark             Params              Mode      Score  ± Error  Unit      Median       Min       Max  N
                FourierBench.forward  n=4096 impl=vector  avgt     12.346   0.2500  us/op     12.400    12.100    13.000  5
                FmaPeakBench.peak     -                   thrpt  251234.6      n/a  ops/ms  251234.6  251234.6  251234.6  1
                """;
        assertEquals(expected, BenchTable.format(List.of(fourier(), fma())));
    }

    @Test
    void numbersKeepAboutFourSignificantDigits() {
        assertEquals("123456.7", BenchTable.number(123456.71));
        assertEquals("12.346", BenchTable.number(12.3456));
        assertEquals("0.1235", BenchTable.number(0.12346));
        assertEquals("0.0001235", BenchTable.number(0.00012346));
        assertEquals("1.235e-07", BenchTable.number(1.2346e-7));
        assertEquals("0", BenchTable.number(0));
        assertEquals("n/a", BenchTable.number(Double.NaN));
    }

    @Test
    void jsonHasOneRecordPerLineAndNullForNaN() {
        String expected = """
                [
                  {"name": "FourierBench.forward", "mode": "avgt", "params": {"n": "4096", "impl": "vector"}, \
                "score": 12.3456, "error": 0.25, "unit": "us/op", "median": 12.4, "min": 12.1, "max": 13.0, "samples": 5},
                  {"name": "FmaPeakBench.peak", "mode": "thrpt", "params": {}, "score": 251234.56, "error": null, \
                "unit": "ops/ms", "median": 251234.56, "min": 251234.56, "max": 251234.56, "samples": 1}
                ]
                """;
        assertEquals(expected, BenchJson.format(List.of(fourier(), fma())));
        assertEquals("[\n]\n", BenchJson.format(List.of()));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", BenchJson.string("a\"b\\c\nd\u0001"));
    }

    @Test
    void shortNameKeepsClassAndMethod() {
        assertEquals("MatmulBench.multiply", BenchRecord.shortName("dev.posenc.bench.MatmulBench.multiply"));
        assertEquals("plain", BenchRecord.shortName("plain"));
    }
}
