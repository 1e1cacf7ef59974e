package dev.posenc.core;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class RngTest {
    @Test
    void sameSeedGivesSameNumbersAndDrawsDiffer() {
        try (Arena arena = Arena.ofShared()) {
            Rng a = new Rng(42), b = new Rng(42);
            float[] a1 = a.normal(arena, Shape.of(31)).toArray();
            assertArrayEquals(a1, b.normal(arena, Shape.of(31)).toArray());
            assertArrayEquals(a.uniform(arena, Shape.of(17), -1, 1).toArray(), b.uniform(arena, Shape.of(17), -1, 1).toArray());
            float[] a2 = a.normal(arena, Shape.of(31)).toArray();
            assertFalse(java.util.Arrays.equals(a1, a2), "a second draw must differ from the first");
            assertFalse(java.util.Arrays.equals(a1, new Rng(43).normal(arena, Shape.of(31)).toArray()));
        }
    }

    @Test
    void elementDependsOnlyOnItsIndexNotOnHowTheFillIsSplit() {
        try (Arena arena = Arena.ofShared()) {
            int n = 1001; // odd, so a Box–Muller pair is split at the end and possibly at chunk edges
            long stream = new Rng(9).nextStream();
            Tensor whole = Tensor.zeros(arena, n), chunked = Tensor.zeros(arena, n);
            Rng.fillNormal(whole, 0.5f, 2f, stream, 0, n);
            SplittableRandom split = new SplittableRandom(5);
            // Random chunk boundaries, filled in reverse order, as threads might finish.
            java.util.List<long[]> ranges = new java.util.ArrayList<>();
            for (long from = 0; from < n; ) {
                long to = Math.min(n, from + 1 + split.nextInt(97));
                ranges.add(new long[] {from, to});
                from = to;
            }
            for (int i = ranges.size() - 1; i >= 0; i--) Rng.fillNormal(chunked, 0.5f, 2f, stream, ranges.get(i)[0], ranges.get(i)[1]);
            assertArrayEquals(whole.toArray(), chunked.toArray());
        }
    }

    @Test
    void normalsHaveTheRequestedMeanAndStd() {
        try (Arena arena = Arena.ofShared()) {
            int n = 100_001;
            float mean = 1.5f, std = 3f;
            float[] x = new Rng(11).normal(arena, Shape.of(n), mean, std).toArray();
            double s = 0, s2 = 0;
            for (float v : x) { s += v; s2 += (double) v * v; }
            double m = s / n, var = s2 / n - m * m;
            // The sample mean has standard error std/√n ≈ 0.0095 and the sample variance about
            // std²·√(2/n) ≈ 0.040 for normals; 6 standard errors fail a correct generator about once in 10⁹ runs.
            assertEquals(mean, m, 6 * std / Math.sqrt(n));
            assertEquals(std * std, var, 6 * std * std * Math.sqrt(2.0 / n));
            double within1 = 0;
            for (float v : x) if (Math.abs(v - mean) < std) within1++;
            // P(|Z| < 1) = 0.6827; binomial standard error √(p(1−p)/n) ≈ 0.0015.
            assertEquals(0.6827, within1 / n, 6 * Math.sqrt(0.6827 * 0.3173 / n));
        }
    }

    @Test
    void uniformsStayInRangeAndNextIntInBounds() {
        try (Arena arena = Arena.ofShared()) {
            float[] u = new Rng(2).uniform(arena, Shape.of(4099), -2f, 3f).toArray();
            for (float v : u) assertTrue(v >= -2f && v < 3f, "uniform out of [-2, 3): " + v);
            Rng r = new Rng(4);
            for (int i = 0; i < 1000; i++) {
                int k = r.nextInt(7);
                assertTrue(k >= 0 && k < 7, "nextInt(7) gave " + k);
            }
            assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        }
    }
}
