package dev.posenc.autograd.ops;

import dev.posenc.core.Compare;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The algorithm of spec §5.2 in double precision, written out once more with a radix-2 FFT of its own: circulant
 * embedding of C in length L (the next power of two ≥ 2n), D = IFFT(FFT(col) ⊙ FFT(U padded))[:n], z = φqᵀD_num/φqᵀD_den.
 * Against the naive formula ({@link Reference64#kernelAttention}) it must agree to 1e-9 relative (measured ~1e-14):
 * this checks the layout (which offset sits where in the circulant, the causal mask) free of float32 rounding, which
 * the float32 engine's 1e-4 tests cannot separate from its own error.
 */
class RpeFftDoubleTest {
    /** Double rounding through FFTs of length ≤ 2048 and ratios: ~1e-14; the spec asks 1e-9. */
    private static final double RTOL = 1e-9, ATOL = 1e-12;

    static Stream<Arguments> cases() {
        return Stream.of(7, 64, 211, 1000).flatMap(n -> Stream.of(Arguments.of(n, false), Arguments.of(n, true)));
    }

    @ParameterizedTest(name = "n={0} causal={1}")
    @MethodSource("cases")
    void fftRouteInDoubleMatchesTheNaiveFormula(int n, boolean causal) {
        int m = 16, dv = 8;
        Rng rng = new Rng(n * 31L + (causal ? 1 : 0));
        long s = rng.nextStream();
        double[] q = new double[n * m], k = new double[n * m], v = new double[n * dv], b = new double[2 * n - 1];
        for (int i = 0; i < q.length; i++) { q[i] = Math.exp(0.5 * Rng.standardNormal(s, i)); k[i] = Math.exp(0.5 * Rng.standardNormal(s, q.length + i)); }
        for (int i = 0; i < v.length; i++) v[i] = Rng.standardNormal(s, 2L * q.length + i);
        for (int i = 0; i < b.length; i++) b[i] = 0.5 * Rng.standardNormal(s, 3L * q.length + i);
        double[] naive = Reference64.kernelAttention(q, k, v, b, 1, n, m, dv, 1, causal);
        double[] fft = viaFft(q, k, v, b, n, m, dv, causal);
        Compare cmp = Compare.of(naive, fft, ATOL, RTOL);
        assertTrue(cmp.ok(), cmp::describe);
    }

    /** One head: U_j = φk_j ⊗ [v_j ‖ 1], D = C·U column by column through the circulant, then the ratio. */
    static double[] viaFft(double[] q, double[] k, double[] v, double[] b, int n, int m, int dv, boolean causal) {
        int len = Integer.highestOneBit(2 * n - 1) << 1, cw = dv + 1;
        double[] colRe = new double[len], colIm = new double[len];
        for (int r = 0; r < n; r++) colRe[r] = Math.exp(b[r + n - 1]);                  // T[r][0]: offset i − j = r
        for (int s = 1; s < n; s++) colRe[len - s] = causal ? 0 : Math.exp(b[n - 1 - s]); // T[0][s]: offset −s, wrapped
        fft(colRe, colIm, false);
        double[] num = new double[n * cw];
        double[] re = new double[len], im = new double[len];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < cw; c++) {
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                for (int j = 0; j < n; j++) re[j] = k[j * m + r] * (c < dv ? v[j * dv + c] : 1);
                fft(re, im, false);
                for (int f = 0; f < len; f++) {
                    double a = re[f] * colRe[f] - im[f] * colIm[f], bb = re[f] * colIm[f] + im[f] * colRe[f];
                    re[f] = a;
                    im[f] = bb;
                }
                fft(re, im, true);
                for (int i = 0; i < n; i++) num[i * cw + c] += q[i * m + r] * re[i];   // φq_iᵀ D_i
            }
        }
        double[] z = new double[n * dv];
        for (int i = 0; i < n; i++) for (int c = 0; c < dv; c++) z[i * dv + c] = num[i * cw + c] / num[i * cw + dv];
        return z;
    }

    /** In-place iterative radix-2 complex FFT; the inverse divides by the length. */
    static void fft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int size = 2; size <= n; size <<= 1) {
            double angle = (inverse ? 2 : -2) * Math.PI / size;
            for (int start = 0; start < n; start += size) {
                for (int p = 0; p < size / 2; p++) {
                    double wr = Math.cos(angle * p), wi = Math.sin(angle * p);
                    int a = start + p, c = a + size / 2;
                    double xr = re[c] * wr - im[c] * wi, xi = re[c] * wi + im[c] * wr;
                    re[c] = re[a] - xr;
                    im[c] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
        if (inverse) for (int i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
    }
}
