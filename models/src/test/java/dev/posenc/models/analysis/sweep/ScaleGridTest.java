package dev.posenc.models.analysis.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleGridTest {
    private static final List<String> BOTH = List.of("gaussian", "positional");

    private static List<Double> defaults(String name) { return name.equals("gaussian") ? List.of(10.0) : List.of(6.0); }

    private static String error(List<String> specs, List<String> encodings) {
        return assertThrows(IllegalArgumentException.class,
                () -> ScaleGrid.parse("--scales", specs, encodings, ScaleGridTest::defaults)).getMessage();
    }

    @Test
    void namedListsWinOverTheSharedOneWhichWinsOverTheDefaults() {
        assertEquals(Map.of("gaussian", List.of(10.0), "positional", List.of(6.0)),
                ScaleGrid.parse("--scales", null, BOTH, ScaleGridTest::defaults));
        assertEquals(Map.of("gaussian", List.of(1.0, 2.5), "positional", List.of(1.0, 2.5)),
                ScaleGrid.parse("--scales", List.of("1, 2.5"), BOTH, ScaleGridTest::defaults));
        var grid = ScaleGrid.parse("--scales", List.of("positional=3,4", "0.5,1e1"), BOTH, ScaleGridTest::defaults);
        assertEquals(List.of(0.5, 10.0), grid.get("gaussian"));
        assertEquals(List.of(3.0, 4.0), grid.get("positional"));
        assertEquals(BOTH, List.copyOf(grid.sequencedKeySet()), "in the order of the encodings");
        assertEquals(Map.of("positional", List.of(6.0)),
                ScaleGrid.parse("--scales", List.of(), List.of("positional"), ScaleGridTest::defaults));
    }

    @Test
    void badListsAreNamedWithWhatCame() {
        assertEquals("--scales: expected a comma-separated list of numbers > 0, got an empty list in ''",
                error(List.of(""), BOTH));
        assertEquals("--scales: expected a comma-separated list of numbers > 0, got an empty list in 'gaussian='",
                error(List.of("gaussian="), BOTH));
        assertEquals("--scales: expected finite numbers > 0, got 'abc' in 'gaussian=1,abc'",
                error(List.of("gaussian=1,abc"), BOTH));
        assertEquals("--scales: expected finite numbers > 0, got 0 in '0,1'", error(List.of("0,1"), BOTH));
        assertEquals("--scales: expected finite numbers > 0, got -2 in 'positional=-2'", error(List.of("positional=-2"), BOTH));
        assertTrue(error(List.of("NaN"), BOTH).contains("got NaN"));
        assertTrue(error(List.of("Infinity"), BOTH).contains("got Infinity"));
        assertEquals("--scales: expected finite numbers > 0, got '' in '1,,2'", error(List.of("1,,2"), BOTH));
        assertEquals("--scales: expected NAME=LIST with NAME among [gaussian, positional], got 'lff=1'",
                error(List.of("lff=1"), BOTH));
        assertEquals("--scales: expected one list for gaussian, got a second: 'gaussian=2'",
                error(List.of("gaussian=1", "gaussian=2"), BOTH));
        assertEquals("--scales: expected one unnamed list, got a second: '2'", error(List.of("1", "2"), BOTH));
    }

    @Test
    void namesAreCheckedAgainstTheValidOnes() {
        List<String> valid = List.of("gaussian", "positional", "lff");
        assertEquals(List.of("positional", "gaussian"), ScaleGrid.names("--encodings", List.of("positional", " gaussian"), valid));
        assertEquals("--encodings: expected names from [gaussian, positional, lff], got 'fourier'",
                assertThrows(IllegalArgumentException.class,
                        () -> ScaleGrid.names("--encodings", List.of("gaussian", "fourier"), valid)).getMessage());
        assertEquals("--encodings: expected each name once, got 'lff' twice", assertThrows(IllegalArgumentException.class,
                () -> ScaleGrid.names("--encodings", List.of("lff", "lff"), valid)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScaleGrid.names("--encodings", List.of(), valid))
                .getMessage().endsWith("got none"));
    }

    @Test
    void gridsByOctaveAndByStep() {
        assertEquals(List.of(0.25, 0.5, 1.0, 2.0), ScaleGrid.octaves(1, -2, 1));
        assertEquals(List.of(1.0, 1.5, 2.0, 2.5, 3.0), ScaleGrid.linear(1, 3, 0.5));
        assertEquals(37, ScaleGrid.linear(0, 3.6, 0.1).size(), "inclusive end, no drift over many steps");
    }
}
