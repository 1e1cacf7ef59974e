package dev.posenc.models.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AxisTicksTest {
    /** Ticks are computed as m·10^k, so allow float slack relative to the value. */
    private static final double REL = 1e-12;

    @Test
    void logAxisWidensToDecadesWithLabelledMajorAndUnlabelledMinorTicks() {
        AxisTicks t = AxisTicks.of(Axis.log("x"), new double[] {0.002, 0.5, 35});
        assertEquals(0.001, t.lo(), 0.001 * REL);
        assertEquals(100, t.hi(), 100 * REL);
        assertEquals(List.of("1e-3", "0.01", "0.1", "1", "10", "100"), t.major().stream().map(AxisTicks.Tick::label).toList());
        double[] decades = {1e-3, 1e-2, 1e-1, 1, 10, 100};
        for (int i = 0; i < decades.length; i++) assertEquals(decades[i], t.major().get(i).value(), decades[i] * REL);
        assertEquals(5 * 8, t.minor().size(), "2..9 in each of the five decades");
        assertEquals(0.002, t.minor().getFirst(), 0.002 * REL);
        assertEquals(90, t.minor().getLast(), 90 * REL);
        assertEquals(0.6, t.fraction(1), 1e-12, "1 is three decades of five along");
    }

    @Test
    void decadeLabelsArePlainNearOneAndExponentsBeyond() {
        assertEquals("1e-4", AxisTicks.decadeLabel(-4));
        assertEquals("1e-3", AxisTicks.decadeLabel(-3));
        assertEquals("0.01", AxisTicks.decadeLabel(-2));
        assertEquals("1", AxisTicks.decadeLabel(0));
        assertEquals("1000", AxisTicks.decadeLabel(3));
        assertEquals("1e4", AxisTicks.decadeLabel(4));
    }

    @Test
    void nonPositiveAndNonFiniteValuesAreIgnoredOnALogAxis() {
        AxisTicks t = AxisTicks.of(Axis.log("x"), new double[] {-5, 0, Double.NaN, Double.POSITIVE_INFINITY, 3, 40});
        assertEquals(1, t.lo(), REL);
        assertEquals(100, t.hi(), 100 * REL);
        AxisTicks none = AxisTicks.of(Axis.log("x"), new double[] {-1, 0});
        assertEquals(1, none.lo(), REL, "no positive value: one decade from 1");
        assertEquals(10, none.hi(), 10 * REL);
    }

    @Test
    void aLogRangeOfOneDecadeAlsoLabelsTwoAndFive() {
        AxisTicks t = AxisTicks.of(Axis.log("x").range(1, 10), new double[] {3});
        assertEquals(List.of("1", "2", "5", "10"), t.major().stream().map(AxisTicks.Tick::label).toList());
        assertEquals(List.of(3.0, 4.0, 6.0, 7.0, 8.0, 9.0), t.minor().stream().map(v -> (double) Math.round(v)).toList());
    }

    @Test
    void aWholeNumberAxisOfThreeSeedsTicksOnlyAtTheSeeds() {
        Axis seeds = Axis.linear("seed").range(-0.5, 2.5);
        assertEquals(List.of("-0.5", "0.0", "0.5", "1.0", "1.5", "2.0", "2.5"),
                AxisTicks.of(seeds, new double[] {0, 1, 2}).major().stream().map(AxisTicks.Tick::label).toList(),
                "a plain axis over three seeds steps by halves");
        assertEquals(List.of("0", "1", "2"), AxisTicks.of(seeds.wholeNumbers(), new double[] {0, 1, 2}).major()
                .stream().map(AxisTicks.Tick::label).toList());
    }

    @Test
    void fixedBoundsAreKeptExactlyAndAutomaticOnesRoundToATick() {
        AxisTicks fixed = AxisTicks.of(Axis.linear("y").range(0, 37), new double[] {5, 80});
        assertEquals(0, fixed.lo());
        assertEquals(37, fixed.hi());
        assertEquals(List.of("0", "10", "20", "30"),
                fixed.major().stream().map(AxisTicks.Tick::label).toList(), "ticks stay inside the fixed range");
        AxisTicks half = AxisTicks.of(Axis.linear("y").range(Double.NaN, 1), new double[] {0.33, 0.9});
        assertEquals(0.2, half.lo(), 1e-12, "the automatic lower bound rounds 0.33 down to a 0.2 step");
        assertEquals(1, half.hi());
    }

    @Test
    void badAxesAreRejectedWithTheirReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> Axis.log("loss").range(0, 1));
        assertEquals("axis loss: a log axis needs bounds > 0, got [0.0, 1.0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Axis.linear("y").range(2, 1));
        assertEquals("axis y: expected min < max, got [2.0, 1.0]", e.getMessage());
    }
}
