package dev.posenc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchSelectionTest {
    private static final List<String> AVAILABLE = List.of("dev.posenc.bench.MatmulBench", "dev.posenc.bench.FourierBench",
            "dev.posenc.bench.FourierCudaBench", "dev.posenc.bench.FmaPeakBench");

    @Test
    void namesMatchClassesIgnoringCase() {
        assertEquals(List.of("dev.posenc.bench.MatmulBench"), BenchSelection.resolve(AVAILABLE, List.of("matmul")));
        assertEquals(List.of("dev.posenc.bench.FmaPeakBench"), BenchSelection.resolve(AVAILABLE, List.of("FMA")));
        assertEquals(List.of("dev.posenc.bench.FmaPeakBench", "dev.posenc.bench.MatmulBench"),
                BenchSelection.resolve(AVAILABLE, List.of("matmul", "fma", "MatmulBench")));
    }

    @Test
    void anExactNameWinsOverLongerPrefixMatches() {
        assertEquals(List.of("dev.posenc.bench.FourierBench"), BenchSelection.resolve(AVAILABLE, List.of("fourier")));
        assertEquals(List.of("dev.posenc.bench.FourierCudaBench"), BenchSelection.resolve(AVAILABLE, List.of("fourierc")));
        assertEquals(List.of("dev.posenc.bench.FourierBench", "dev.posenc.bench.FourierCudaBench"),
                BenchSelection.resolve(AVAILABLE, List.of("four")));
    }

    @Test
    void unknownNameListsTheAvailableClasses() {
        var e = assertThrows(IllegalArgumentException.class, () -> BenchSelection.resolve(AVAILABLE, List.of("sgemm")));
        assertEquals("unknown benchmark 'sgemm'; available: FmaPeakBench, FourierBench, FourierCudaBench, MatmulBench",
                e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> BenchSelection.resolve(List.of(), List.of("x")));
        assertTrue(none.getMessage().startsWith("no benchmarks are compiled into this jar"), none.getMessage());
    }

    @Test
    void includeRegexSelectsOnlyThatClassesMethods() {
        Pattern p = Pattern.compile(BenchSelection.includeRegex("dev.posenc.bench.FourierBench"));
        assertTrue(p.matcher("dev.posenc.bench.FourierBench.forward").find());
        assertTrue(!p.matcher("dev.posenc.bench.FourierBenchX.forward").find());
        assertTrue(!p.matcher("dev.posenc.bench.FourierCudaBench.forward").find());
    }
}
