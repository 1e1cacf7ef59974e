package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.FftPlan;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FftInPlace: dif is the Stockham transform bit for bit, permuted by {@link FftInPlace#positions}; dit on a spectrum by
 * position is a forward DFT in natural order (checked against FftCpuTest's double DFT with FftCpu's stated bound); the
 * real post- and pre-processing by position against FftCpu's natural ones; Lanes.sums against Lanes.sum.
 */
class FftInPlaceTest {
    private static final double EPS = Math.ulp(1f) / 2;
    /** FftCpu's bound (FftCpuTest): rms error ≤ ε·log₂n·rms(X). */
    private static final double RMS_FACTOR = 1;

    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** b = 3 runs every butterfly in the scalar twins, 17 a vector and a tail, 32 whole vectors. */
    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {1, 2, 4, 8, 64, 512, 4096})
    void difIsStockhamPermutedBitForBit(int h) {
        FftPlan plan = FftPlan.of(h);
        int[] pos = FftInPlace.positions(plan);
        for (int b : new int[] {3, 17, 32}) {
            float[] re = gaussian(h * b, h + b), im = gaussian(h * b, 7 * h + b);
            float[] sr = re.clone(), si = im.clone(), yr = new float[h * b], yi = new float[h * b];
            boolean inY = FftStages.run(plan, sr, si, yr, yi, b);
            float[] wantR = inY ? yr : sr, wantI = inY ? yi : si;
            FftInPlace.dif(plan, re, im, b);
            for (int k = 0; k < h; k++) {
                for (int l = 0; l < b; l++) {
                    assertEquals(Float.floatToRawIntBits(wantR[k * b + l]), Float.floatToRawIntBits(re[pos[k] * b + l]), "re k=" + k);
                    assertEquals(Float.floatToRawIntBits(wantI[k * b + l]), Float.floatToRawIntBits(im[pos[k] * b + l]), "im k=" + k);
                }
            }
        }
    }

    /**
     * The cache schedule (stages depth first per block once a block fits the budget) changes no bit: every budget from
     * "no stage fits" (0, breadth first) through "one block per stage level" to "all fits", dif and dit, with a
     * radix-2 stage (h = 2048, 8192) and without, b with and without a vector tail.
     */
    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {2, 16, 512, 2048, 8192})
    void blockedStagesEqualBreadthFirstBitForBit(int h) {
        FftPlan plan = FftPlan.of(h);
        for (int b : new int[] {3, 17, 32}) {
            float[] re = gaussian(h * b, h + 11 * b), im = gaussian(h * b, 5 * h + b);
            float[] wantR = re.clone(), wantI = im.clone(), backR = re.clone(), backI = im.clone();
            FftInPlace.dif(plan, wantR, wantI, b, 0);
            FftInPlace.dit(plan, backR, backI, b, 0);
            for (long budget = 8L * b; budget <= 16L * h * b; budget *= 4) {
                float[] r = re.clone(), i = im.clone(), br = re.clone(), bi = im.clone();
                FftInPlace.dif(plan, r, i, b, budget);
                FftInPlace.dit(plan, br, bi, b, budget);
                String at = "h=%d b=%d budget=%d".formatted(h, b, budget);
                assertArrayEquals(bits(wantR), bits(r), "dif re " + at);
                assertArrayEquals(bits(wantI), bits(i), "dif im " + at);
                assertArrayEquals(bits(backR), bits(br), "dit re " + at);
                assertArrayEquals(bits(backI), bits(bi), "dit im " + at);
            }
        }
    }

    /** realPre with the spectrum product inside its loads = the product pass (row 0 apart), then realPre: same bits. */
    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {2, 8, 64, 1024})
    void realPreOfTheProductEqualsProductThenRealPreBitForBit(int h) {
        FftPlan plan = FftPlan.of(h);
        int[] pos = FftInPlace.positions(plan);
        float[] sr = gaussian(h, 17L * h), si = gaussian(h, 19L * h);
        for (int b : new int[] {3, 17, 32}) {
            float[] re = gaussian(h * b, h + 3 * b), im = gaussian(h * b, 2 * h + b);
            float[] wr = re.clone(), wi = im.clone();
            for (int l = 0; l < b; l++) {
                wr[l] *= sr[0];
                wi[l] *= si[0];
            }
            ToeplitzCpu.multiplyLanes(wr, wi, b, 1, h - 1, sr, si);
            FftInPlace.realPre(wr, wi, b, plan, pos, 1f / (2 * h));
            FftInPlace.realPre(re, im, b, plan, pos, 1f / (2 * h), sr, si);
            assertArrayEquals(bits(wr), bits(re), "re b=" + b);
            assertArrayEquals(bits(wi), bits(im), "im b=" + b);
        }
    }

    private static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = Float.floatToRawIntBits(a[i]);
        return out;
    }

    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {2, 8, 64, 2048})
    void ditOfPositionsIsTheForwardDftInNaturalOrder(int h) {
        FftPlan plan = FftPlan.of(h);
        int[] pos = FftInPlace.positions(plan);
        int b = 17;
        float[] re = gaussian(h * b, 3 * h), im = gaussian(h * b, 5 * h);
        float[] pr = new float[h * b], pi = new float[h * b];   // input element t of lane l placed at row pos[t]
        for (int t = 0; t < h; t++) {
            System.arraycopy(re, t * b, pr, pos[t] * b, b);
            System.arraycopy(im, t * b, pi, pos[t] * b, b);
        }
        FftInPlace.dit(plan, pr, pi, b);
        for (int l : new int[] {0, 16}) {
            float[] xr = new float[h], xi = new float[h];
            for (int t = 0; t < h; t++) {
                xr[t] = re[t * b + l];
                xi[t] = im[t * b + l];
            }
            double[][] want = FftCpuTest.reference(xr, xi);
            double err = 0, mag = 0;
            for (int k = 0; k < h; k++) {
                err += Math.pow(pr[k * b + l] - want[0][k], 2) + Math.pow(pi[k * b + l] - want[1][k], 2);
                mag += want[0][k] * want[0][k] + want[1][k] * want[1][k];
            }
            double bound = RMS_FACTOR * EPS * Math.max(1, Math.log(h) / Math.log(2)) * Math.sqrt(mag);
            assertTrue(Math.sqrt(err) <= bound, "h=%d lane %d: rms error %.3g > %.3g".formatted(h, l, Math.sqrt(err), bound));
        }
    }

    /** realPost by position = FftCpu.realPostLanes in natural order bit for bit (row 0 packed: X[0], Re X[h]). */
    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {1, 2, 8, 64, 1024})
    void realPostAndPreByPositionMatchTheNaturalOnes(int h) {
        FftPlan plan = FftPlan.of(h);
        int[] pos = FftInPlace.positions(plan);
        for (int b : new int[] {3, 17}) {
            float[] zr = gaussian(h * b, h), zi = gaussian(h * b, 2 * h);
            float[] nr = new float[(h + 1) * b], ni = new float[(h + 1) * b];
            FftCpu.realPostLanes(zr, zi, b, plan, nr, ni);
            float[] pr = new float[h * b], pi = new float[h * b];
            for (int k = 0; k < h; k++) {
                System.arraycopy(zr, k * b, pr, pos[k] * b, b);
                System.arraycopy(zi, k * b, pi, pos[k] * b, b);
            }
            FftInPlace.realPost(pr, pi, b, plan, pos);
            for (int l = 0; l < b; l++) {
                assertEquals(nr[l], pr[l], "X[0]");
                assertEquals(nr[h * b + l], pi[l], "X[h]");
                for (int k = 1; k < h; k++) {
                    assertEquals(Float.floatToRawIntBits(nr[k * b + l]), Float.floatToRawIntBits(pr[pos[k] * b + l]), "re k=" + k);
                    assertEquals(Float.floatToRawIntBits(ni[k * b + l]), Float.floatToRawIntBits(pi[pos[k] * b + l]), "im k=" + k);
                }
            }
            // the way back: realPre by position against realPreLanes with X[0], X[h] real
            for (int l = 0; l < b; l++) {
                ni[l] = 0;
                ni[h * b + l] = 0;
            }
            float[] wr = new float[h * b], wi = new float[h * b];
            FftCpu.realPreLanes(wr, wi, b, plan, nr, ni, 0.25f);
            FftInPlace.realPre(pr, pi, b, plan, pos, 0.25f);
            for (int k = 0; k < h; k++) {
                for (int l = 0; l < b; l++) {
                    assertEquals(wr[k * b + l], pr[pos[k] * b + l], 1e-6f * (1 + Math.abs(wr[k * b + l])), "pre re k=" + k);
                    assertEquals(wi[k * b + l], pi[pos[k] * b + l], 1e-6f * (1 + Math.abs(wi[k * b + l])), "pre im k=" + k);
                }
            }
        }
    }

    /** n = 4: z = (1, 0, 0, 0) is an impulse, its spectrum all ones; by position too (worked by hand). */
    @Test
    void impulseByHand() {
        FftPlan plan = FftPlan.of(4);
        float[] re = {1, 0, 0, 0}, im = new float[4];
        FftInPlace.dif(plan, re, im, 1);
        assertArrayEquals(new float[] {1, 1, 1, 1}, re);
        assertArrayEquals(new float[4], im);
        FftInPlace.dit(plan, re, im, 1);   // the DFT of all ones is 4·impulse
        assertArrayEquals(new float[] {4, 0, 0, 0}, re);
        assertFalse(FftInPlace.applies(FftPlan.of(12)));
        assertTrue(FftInPlace.applies(FftPlan.of(32)));
    }

    @Test
    void laneSumsOfARowBlockEqualLanesSumBitForBit() {
        int n = FloatVector.SPECIES_PREFERRED.length();
        for (long seed = 0; seed < 20; seed++) {
            float[] block = gaussian(n * n, seed), copy = block.clone();
            float[] got = new float[n];
            Lanes.sums(block).intoArray(got, 0);
            for (int r = 0; r < n; r++) {
                float want = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, copy, r * n));
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[r]), "row " + r);
            }
        }
    }
}
