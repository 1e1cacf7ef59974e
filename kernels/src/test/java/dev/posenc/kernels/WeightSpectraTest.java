package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.posenc.core.FftPlan;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WeightSpectra: a hit is a fresh computation's bits; weights changed in the same memory are a miss. */
class WeightSpectraTest {
    /** n = 97 (h = 100, Stockham route), 64 and 1000 → 1024 (in place, by position too). */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {97, 64, 1000})
    void aHitIsTheFreshSpectrumAndChangedWeightsMiss(int n) {
        try (Arena arena = Arena.ofShared()) {
            int heads = 3, h = FftPlan.smoothAtLeast(n);
            FftPlan plan = FftPlan.of(h);
            boolean inPlace = FftInPlace.applies(plan);
            Tensor w = new Rng(n).normal(arena, Shape.of(heads, 2 * n - 1));
            WeightSpectra.Spectrum first = WeightSpectra.of(w, 1, n, h, plan, inPlace);
            assertSame(first, WeightSpectra.of(w, 1, n, h, plan, inPlace), "the same weights again: a hit");
            assertFresh(first, w, 1, n, h, plan);
            w.set(1, n / 2, Math.nextUp(w.get(1, n / 2)));   // one ulp, same memory
            WeightSpectra.Spectrum changed = WeightSpectra.of(w, 1, n, h, plan, inPlace);
            assertNotSame(first, changed, "changed weights must not hit");
            assertFresh(changed, w, 1, n, h, plan);
            assertFresh(WeightSpectra.of(w, 2, n, h, plan, inPlace), w, 2, n, h, plan);   // another head's row
        }
    }

    private static void assertFresh(WeightSpectra.Spectrum s, Tensor w, int hd, int n, int h, FftPlan plan) {
        float[] re = new float[h + 1], im = new float[h + 1];
        ToeplitzCpu.columnSpectrum(w, hd, n, h, re, im);
        assertArrayEquals(re, s.re(), 0f);
        assertArrayEquals(im, s.im(), 0f);
        if (FftInPlace.applies(plan)) {
            float[][] pos = ToeplitzInPlace.byPosition(re, im, plan);
            assertArrayEquals(pos[0], s.byPosition()[0], 0f);
            assertArrayEquals(pos[1], s.byPosition()[1], 0f);
        }
    }
}
