package dev.posenc.core.io;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ResampleTest {
    /** Sums of a few float products; far below an 8-bit level. */
    private static final float ATOL = 1e-6f;

    @Test
    void sameSizeIsExactIdentity() {
        RgbImage image = random(5, 7, 1);
        RgbImage same = Resample.resize(image, 5, 7);
        assertEquals(image, same);
        assertNotSame(image.pixels(), same.pixels(), "the result must not alias the input");
    }

    @Test
    void halvingARowMatchesTheHandWorkedTent() {
        // 1×4 → 1×2, scale 2, radius 2. Output 0 centres at 1.0: taps j=0,1,2 weigh 0.75, 0.75, 0.25 (j=-1 is
        // outside, dropped): (0·.75 + 1·.75 + 2·.25)/1.75 = 5/7. Output 1 centres at 3.0: j=1,2,3 weigh
        // .25, .75, .75 (j=4 dropped): (.25 + 1.5 + 2.25)/1.75 = 16/7.
        float[] row = new float[12];
        for (int x = 0; x < 4; x++) for (int c = 0; c < 3; c++) row[x * 3 + c] = x;
        RgbImage half = Resample.resize(new RgbImage(1, 4, row), 1, 2);
        assertEquals(5f / 7f, half.get(0, 0, 1), ATOL);
        assertEquals(16f / 7f, half.get(0, 1, 2), ATOL);
    }

    @Test
    void constantImageStaysConstantAtAnySize() {
        float[] px = new float[9 * 11 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (i % 3 + 1) / 4f;
        for (int[] hw : new int[][] {{3, 5}, {17, 13}, {1, 1}}) {
            RgbImage out = Resample.resize(new RgbImage(9, 11, px), hw[0], hw[1]);
            for (int i = 0; i < out.pixels().length; i++) assertEquals((i % 3 + 1) / 4f, out.pixels()[i], ATOL);
        }
    }

    @Test
    void enlargingInterpolatesLinearlyBetweenCentres() {
        // 1×2 → 1×4, scale ½, radius 1: output 1 centres at 0.75, between input centres 0.5 and 1.5: ¾·a + ¼·b
        float[] row = {0, 0, 0, 1, 1, 1};
        RgbImage big = Resample.resize(new RgbImage(1, 2, row), 1, 4);
        assertEquals(0.25f, big.get(0, 1, 0), ATOL);
        assertEquals(0.75f, big.get(0, 2, 0), ATOL);
        assertEquals(0f, big.get(0, 0, 0), ATOL, "taps beyond the edge are dropped, not read as black");
    }

    @Test
    void badSizeNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> Resample.resize(random(2, 2, 3), 0, 4));
        assertTrue(e.getMessage().contains("0 × 4"), e.getMessage());
    }

    private static RgbImage random(int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] px = new float[h * w * 3];
        for (int i = 0; i < px.length; i++) px[i] = (float) rng.nextDouble();
        return new RgbImage(h, w, px);
    }
}
