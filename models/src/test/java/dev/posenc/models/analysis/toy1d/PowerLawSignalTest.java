package dev.posenc.models.analysis.toy1d;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toy's signals: their DFT has the requested power law, they span [−0.5, 0.5], the seed fixes them. */
class PowerLawSignalTest {
    /** The signal is built in double and its DFT taken in double: only rounding separates them. */
    private static final double DFT_RTOL = 1e-9;

    /** |S_k| of the plain DFT S_k = Σ_i s_i e^(−2πi·ki/N), O(N²) in double: the reference. */
    static double[] dftMagnitudes(double[] s) {
        int n = s.length;
        double[] mag = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0, im = 0;
            for (int i = 0; i < n; i++) {
                double angle = 2 * Math.PI * ((long) k * i % n) / n;
                re += s[i] * Math.cos(angle);
                im -= s[i] * Math.sin(angle);
            }
            mag[k] = Math.hypot(re, im);
        }
        return mag;
    }

    @ParameterizedTest @ValueSource(doubles = {0, 0.5, 1, 1.5, 2})
    void spectrumFallsAsTheRequestedPowerLawAndStopsAtK(double p) {
        int n = 97, k = 23;   // odd N: no Nyquist bin to treat specially
        double[] mag = dftMagnitudes(PowerLawSignal.generate(n, p, k, 11).values());
        for (int f = 1; f <= k; f++) {
            double want = Math.pow(f, -p), got = mag[f] / mag[1];
            assertEquals(want, got, DFT_RTOL * want, "|S_%d|/|S_1| for p = %s".formatted(f, p));
        }
        for (int f = k + 1; f <= n / 2; f++) assertEquals(0, mag[f] / mag[1], DFT_RTOL, "|S_%d| above K".formatted(f));
        // the slope of log|S_k| against log k, fitted by least squares, is −p
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int f = 1; f <= k; f++) {
            double x = Math.log(f), y = Math.log(mag[f]);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        assertEquals(-p, (k * sxy - sx * sy) / (k * sxx - sx * sx), 1e-9);
    }

    @Test
    void valuesSpanMinusHalfToHalf() {
        double[] s = PowerLawSignal.generate(64, 1, 15, 3).values();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : s) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        assertEquals(-0.5, lo, 1e-15);
        assertEquals(0.5, hi, 1e-15);
    }

    @Test
    void theSeedFixesThePhases() {
        double[] a = PowerLawSignal.generate(64, 1, 15, 3).values(), b = PowerLawSignal.generate(64, 1, 15, 3).values();
        double[] c = PowerLawSignal.generate(64, 1, 15, 4).values();
        assertTrue(java.util.Arrays.equals(a, b));
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void aSingleCosineWorkedByHand() {
        // K = 1 on N = 4: s_i = cos(πi/2 + φ) = {cos φ, −sin φ, −cos φ, sin φ}; min/max rescaling keeps the
        // antisymmetry s_{i+2} = −s_i exactly, so opposite samples sum to 0
        double[] s = PowerLawSignal.generate(4, 2, 1, 5).values();
        assertEquals(0, s[0] + s[2], 1e-15);
        assertEquals(0, s[1] + s[3], 1e-15);
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PowerLawSignal.generate(64, 1, 32, 0))
                .getMessage().startsWith("maxFrequency: expected 1 <= K < N/2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PowerLawSignal.generate(64, -1, 8, 0))
                .getMessage().startsWith("p: expected a finite exponent >= 0"));
    }
}
