package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.FftPlan;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FftCpu against a double-precision DFT (direct for n ≤ 5000, a double radix-2 FFT above), its stage kernels
 * against their scalar twins bit for bit, a hand-worked case, the real transforms round trip and the batched
 * rows against single transforms.
 */
class FftCpuTest {
    private static final double EPS = Math.ulp(1f) / 2;   // 2⁻²⁴
    /**
     * The accuracy bound FftCpu states: rms error ≤ ε·log₂n·rms(X). Measured on these N(0, 1) inputs: 0.16 to
     * 0.23 for smooth lengths of 12 … 65536, up to 0.54 for the plain-DFT radices (n = 5, 7, 97).
     */
    private static final double RMS_FACTOR = 1;
    /** The worst single element: ≤ 2.5·ε·log₂n·rms(X) (measured 0.4 to 0.8, 1.2 for n = 97). */
    private static final double MAX_FACTOR = 2.5;

    private static double[][] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] z = new double[2][n];
        for (int i = 0; i < n; i++) {
            z[0][i] = r.nextGaussian();
            z[1][i] = r.nextGaussian();
        }
        return z;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    /** The forward DFT of the float-rounded input, in double. */
    static double[][] reference(float[] re, float[] im) {
        int n = re.length;
        if (n <= 5000) {
            double[][] out = new double[2][n];
            double[] cos = new double[n], sin = new double[n];
            for (int e = 0; e < n; e++) {
                cos[e] = Math.cos(-2 * Math.PI * e / n);
                sin[e] = Math.sin(-2 * Math.PI * e / n);
            }
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int t = 0, e = 0; t < n; t++, e = e + k >= n ? e + k - n : e + k) {   // e = t·k mod n
                    sr += re[t] * cos[e] - im[t] * sin[e];
                    si += re[t] * sin[e] + im[t] * cos[e];
                }
                out[0][k] = sr;
                out[1][k] = si;
            }
            return out;
        }
        if (Integer.bitCount(n) != 1) throw new IllegalArgumentException("reference: n > 5000 must be a power of two");
        double[] r = new double[n], i = new double[n];
        for (int t = 0; t < n; t++) {
            r[t] = re[t];
            i[t] = im[t];
        }
        radix2(r, i);
        return new double[][] {r, i};
    }

    /** In-place iterative radix-2 in double: bit reversal, then butterflies with exact twiddles. */
    private static void radix2(double[] r, double[] i) {
        int n = r.length;
        for (int a = 1, b = 0; a < n; a++) {
            int bit = n >> 1;
            for (; (b & bit) != 0; bit >>= 1) b ^= bit;
            b ^= bit;
            if (a < b) {
                double t = r[a]; r[a] = r[b]; r[b] = t;
                t = i[a]; i[a] = i[b]; i[b] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            for (int s = 0; s < n; s += len) {
                for (int k = 0; k < len / 2; k++) {
                    double a = -2 * Math.PI * k / len, wr = Math.cos(a), wi = Math.sin(a);
                    int p = s + k, q = p + len / 2;
                    double xr = r[q] * wr - i[q] * wi, xi = r[q] * wi + i[q] * wr;
                    r[q] = r[p] - xr; i[q] = i[p] - xi;
                    r[p] += xr; i[p] += xi;
                }
            }
        }
    }

    /** {rms error / rms(X), max error / rms(X)} in units of ε·log₂n. */
    private static double[] errors(double[][] ref, float[] re, float[] im, int count) {
        double se = 0, sx = 0, max = 0;
        for (int k = 0; k < count; k++) {
            double er = re[k] - ref[0][k], ei = im[k] - ref[1][k], e2 = er * er + ei * ei;
            se += e2;
            sx += ref[0][k] * ref[0][k] + ref[1][k] * ref[1][k];
            max = Math.max(max, Math.sqrt(e2));
        }
        double rms = Math.sqrt(sx / count), unit = EPS * Math.max(1, Math.log(re.length) / Math.log(2));
        return new double[] {Math.sqrt(se / count) / rms / unit, max / rms / unit};
    }

    private static void assertAccurate(String what, int n, double[] e) {
        assertTrue(e[0] <= RMS_FACTOR && e[1] <= MAX_FACTOR, () -> "%s n=%d: rms error %.3f, max %.3f (in ε·log₂n·rms X)"
                .formatted(what, n, e[0], e[1]));
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 2, 3, 5, 7, 12, 60, 97, 256, 1000, 1536, 4096, 65536})
    void complexForwardMatchesDoubleDft(int n) {
        double[][] z = random(n, n);
        float[] re = toFloat(z[0]), im = toFloat(z[1]);
        double[][] ref = reference(re, im);
        FftCpu.complex(re, im, n, false);
        assertAccurate("complex forward", n, errors(ref, re, im, n));
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {7, 60, 1000, 4096})
    void complexInverseUndoesForward(int n) {
        double[][] z = random(n, 3 * n);
        float[] re = toFloat(z[0]), im = toFloat(z[1]), r0 = re.clone(), i0 = im.clone();
        FftCpu.complex(re, im, n, false);
        FftCpu.complex(re, im, n, true);
        for (int t = 0; t < n; t++) {
            assertEquals(r0[t], re[t] / n, 1e-5, "re " + t);
            assertEquals(i0[t], im[t] / n, 1e-5, "im " + t);
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {2, 12, 60, 256, 1000, 1536, 4096, 65536})
    void realForwardMatchesDoubleDftAndInverts(int n) {
        float[] x = toFloat(random(n, 7L * n)[0]);
        double[][] ref = reference(x, new float[n]);
        float[] outRe = new float[n / 2 + 1], outIm = new float[n / 2 + 1];
        FftCpu.realForward(x, n, outRe, outIm);
        assertAccurate("real forward", n, errors(ref, outRe, outIm, n / 2 + 1));
        float[] back = new float[n];
        FftCpu.realInverse(outRe, outIm, n, back);
        for (int t = 0; t < n; t++) assertEquals(x[t], back[t], 2e-5 * Math.max(1, Math.log(n)), "x[" + t + "]");
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {12, 256, 1000})
    void rowsEqualSingleTransforms(int n) {
        int rows = 37;   // one full tile of 32 and a ragged one
        float[] x = toFloat(random(rows * n, 11)[0]);
        float[] re = new float[rows * (n / 2 + 1)], im = new float[re.length];
        try (Parallel p = new Parallel(2)) { FftCpu.realForwardRows(p, x, re, im, rows, n); }
        for (int r = 0; r < rows; r++) {
            float[] row = java.util.Arrays.copyOfRange(x, r * n, (r + 1) * n);
            double[][] ref = reference(row, new float[n]);
            float[] rr = java.util.Arrays.copyOfRange(re, r * (n / 2 + 1), (r + 1) * (n / 2 + 1));
            float[] ri = java.util.Arrays.copyOfRange(im, r * (n / 2 + 1), (r + 1) * (n / 2 + 1));
            assertAccurate("rows, row " + r, n, errors(ref, rr, ri, n / 2 + 1));
        }
    }

    /**
     * The batched route's transposes (packRows, realPostRows) equal their scalar twins bit for bit: b = 37 rows
     * leaves ragged rows, n = 12 and 1000 ragged columns and k's (1000 = 62·16 + 8).
     */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {12, 256, 1000})
    void rowTransposesEqualScalarTwins(int n) {
        int b = 37, r0 = 2, rows = r0 + b, h = n / 2;
        float[] x = toFloat(random(rows * n, n)[0]);
        float[] zr = new float[h * b], zi = new float[h * b], sr = new float[h * b], si = new float[h * b];
        FftCpu.packRows(x, r0, b, n, zr, zi);
        FftCpu.packRowsScalar(x, r0, b, n, sr, si, 0, b, 0, h);
        assertArrayEquals(sr, zr);
        assertArrayEquals(si, zi);
        FftPlan plan = FftPlan.of(h);
        float[] outRe = new float[rows * (h + 1)], outIm = new float[outRe.length];
        float[] refRe = new float[outRe.length], refIm = new float[outRe.length];
        FftCpu.realPostRows(zr, zi, b, plan, r0, outRe, outIm);
        FftCpu.realPostRowsScalar(zr, zi, b, plan, r0, refRe, refIm, 0, b, 0, h + 1);
        assertArrayEquals(refRe, outRe);
        assertArrayEquals(refIm, outIm);
        // and the fused route agrees with the post-processing in the columns layout (realPostLanes) bit for bit
        float[] colRe = new float[(h + 1) * b], colIm = new float[colRe.length];
        FftCpu.realPostLanes(zr, zi, b, plan, colRe, colIm);
        for (int r = 0; r < b; r++) {
            for (int k = 0; k <= h; k++) {
                assertEquals(colRe[k * b + r], outRe[(r0 + r) * (h + 1) + k], "re, row " + r + ", k " + k);
                assertEquals(colIm[k * b + r], outIm[(r0 + r) * (h + 1) + k], "im, row " + r + ", k " + k);
            }
        }
    }

    /** Each radix's vector kernel equals its scalar twin bit for bit; run = 37 leaves a vector tail. */
    @ParameterizedTest(name = "radix {0}")
    @ValueSource(ints = {2, 3, 4, 5})
    void stageKernelsEqualScalarTwins(int p) {
        int m = 3, run = 37, size = p * m * run;
        double[][] z = random(size, p);
        float[] xr = toFloat(z[0]), xi = toFloat(z[1]);
        FftPlan plan = FftPlan.of(p * m);   // first stage has radix p only if p is plan's first factor
        float[] tr = new float[m * (p - 1)], ti = new float[tr.length];
        SplittableRandom r = new SplittableRandom(p);
        for (int i = 0; i < tr.length; i++) {
            double a = r.nextDouble(2 * Math.PI);
            tr[i] = (float) Math.cos(a);
            ti[i] = (float) Math.sin(a);
        }
        float[] vr = new float[size], vi = new float[size], sr = new float[size], si = new float[size];
        switch (p) {
            case 2 -> FftStages.radix2(vr, vi, xr, xi, tr, ti, m, run);
            case 3 -> FftStages.radix3(vr, vi, xr, xi, tr, ti, m, run);
            case 4 -> FftStages.radix4(vr, vi, xr, xi, tr, ti, m, run);
            default -> FftStages.radix5(vr, vi, xr, xi, tr, ti, m, run);
        }
        for (int j = 0; j < m; j++) {
            switch (p) {
                case 2 -> FftStages.radix2Scalar(sr, si, xr, xi, tr, ti, m, run, j, 0, run);
                case 3 -> FftStages.radix3Scalar(sr, si, xr, xi, tr, ti, m, run, j, 0, run);
                case 4 -> FftStages.radix4Scalar(sr, si, xr, xi, tr, ti, m, run, j, 0, run);
                default -> FftStages.radix5Scalar(sr, si, xr, xi, tr, ti, m, run, j, 0, run);
            }
        }
        assertArrayEquals(sr, vr);
        assertArrayEquals(si, vi);
        // and the generic (plain DFT) radix agrees with the specialised one to rounding
        float[] gr = new float[size], gi = new float[size];
        FftStages.generic(gr, gi, xr, xi, tr, ti, m, run, p);
        assertArrayEquals(sr, gr, 2e-5f);
        assertArrayEquals(si, gi, 2e-5f);
        assertEquals(p * m, plan.length());
    }

    /** n = 4, x = [1, 2, 3, 4]: X = [10, −2 + 2i, −2, −2 − 2i]. */
    @Test
    void handWorkedFourPoint() {
        float[] re = {1, 2, 3, 4}, im = new float[4];
        FftCpu.complex(re, im, 4, false);
        assertArrayEquals(new float[] {10, -2, -2, -2}, re, 1e-6f);
        assertArrayEquals(new float[] {0, 2, 0, -2}, im, 1e-6f);
        float[] hr = new float[3], hi = new float[3];
        FftCpu.realForward(new float[] {1, 2, 3, 4}, 4, hr, hi);
        assertArrayEquals(new float[] {10, -2, -2}, hr, 1e-6f);
        assertArrayEquals(new float[] {0, 2, 0}, hi, 1e-6f);
    }

    @Test
    void smoothLengthsAndFactors() {
        assertEquals(1, FftPlan.smoothAtLeast(1));
        assertEquals(2000, FftPlan.smoothAtLeast(1999));      // 2⁴·5³, not 2048
        assertEquals(1536, FftPlan.smoothAtLeast(1537 - 1));
        assertEquals(131072, FftPlan.smoothAtLeast(131071));
        assertArrayEquals(new int[] {4, 4, 2, 3, 5}, FftPlan.factor(480));
        assertArrayEquals(new int[] {7, 11}, FftPlan.factor(77));
    }

    @Test
    void badLengthsNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> FftCpu.realForward(new float[5], 5, new float[3], new float[3]));
        assertTrue(e.getMessage().startsWith("n: expected an even length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FftCpu.complex(new float[4], new float[3], 4, false));
        assertTrue(e.getMessage().startsWith("im: expected at least 4"), e.getMessage());
    }
}
