package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LayerNormCpuTest {
    static final float EPS = 1e-5f; // torch.nn.LayerNorm's default
    /**
     * Forward out vs twin or double, per row: x − μ in float is good to an ulp of max|x|, and rstd·|γ| scales that
     * (a row of C = 3 close values has a large rstd); this many such ulps, plus 1e-6 relative.
     */
    static final double FWD_ULPS = 4, FWD_RTOL = 1e-6;
    /** mean and rstd: two-pass sums in float lanes vs double; ~1e-7 relative for C ≤ 1024. */
    static final double STAT_RTOL = 1e-6;
    /**
     * Backward dIn per row: rstd·(g − a − x̂·b) cancels terms of size max|g| (rounding ~eps·√C in the row sums)
     * and inherits x̂'s error of ulp(max|x|)·rstd; this many times rstd·max|g|·(eps·√C + ulp(max|x|)·rstd).
     */
    static final double DIN_ULPS = 8, DIN_RTOL = 1e-5;
    /** dGamma, dBeta: sums over up to 257 rows kept in float partials (vector: blocks; twin: one block). */
    static final double PARAM_ATOL = 1e-5, PARAM_RTOL = 1e-5;
    /** Analytic f32 gradients vs central differences of the f64 reference (h = 1e-6). */
    static final double GRAD_ATOL = 1e-4, GRAD_RTOL = 1e-4;

    static Parallel one, two;

    @BeforeAll static void start() { one = new Parallel(1); two = new Parallel(2); }

    @AfterAll static void stop() { one.close(); two.close(); }

    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        for (int r : new int[] {1, 3, 17, 257}) for (int c : new int[] {1, 3, 16, 17, 31, 100, 1000}) list.add(Arguments.of(r, c));
        list.add(Arguments.of(5, 1024));
        return list.stream();
    }

    /** Inputs with an offset of 10 (5σ) and random affine parameters: an E[x²] − μ² variance would already lose digits. */
    record Case(Tensor x, Tensor gamma, Tensor beta, Tensor dOut) {
        static Case of(Arena arena, int r, int c, long seed) {
            Rng rng = new Rng(seed);
            return new Case(rng.normal(arena, Shape.of(r, c), 10f, 2f), rng.normal(arena, Shape.of(c), 1f, 0.5f),
                    rng.normal(arena, Shape.of(c)), rng.normal(arena, Shape.of(r, c)));
        }
    }

    @ParameterizedTest @MethodSource("shapes")
    void forwardMatchesTwinAndDoubleReference(int r, int c) {
        try (Arena arena = Arena.ofShared()) {
            Case k = Case.of(arena, r, c, 31L * r + c);
            Tensor out = Tensor.zeros(arena, k.x.shape()), mean = Tensor.zeros(arena, r), rstd = Tensor.zeros(arena, r);
            Tensor outS = Tensor.zeros(arena, k.x.shape()), meanS = Tensor.zeros(arena, r), rstdS = Tensor.zeros(arena, r);
            LayerNormCpu.forward(two, out, mean, rstd, k.x, k.gamma, k.beta, EPS);
            LayerNormCpu.forwardScalar(outS, meanS, rstdS, k.x, k.gamma, k.beta, EPS);
            double[] atol = outTolerance(k, rstdS, r, c);
            checkRows(Compare.toDouble(outS.toArray()), out.toArray(), atol, FWD_RTOL, c);
            check(Compare.of(meanS, mean, 0, STAT_RTOL));
            check(Compare.of(rstdS, rstd, 0, STAT_RTOL));
            Reference ref = Reference.forward(k.x.toArray(), k.gamma.toArray(), k.beta.toArray(), r, c, EPS);
            checkRows(ref.out, out.toArray(), atol, FWD_RTOL, c);
            check(Compare.of(ref.mean, Compare.toDouble(mean.toArray()), 0, STAT_RTOL));
            check(Compare.of(ref.rstd, Compare.toDouble(rstd.toArray()), 0, STAT_RTOL));
        }
    }

    @ParameterizedTest @MethodSource("shapes")
    void backwardMatchesTwinAndThreadCountsAgree(int r, int c) {
        try (Arena arena = Arena.ofShared()) {
            Case k = Case.of(arena, r, c, 37L * r + c);
            Tensor out = Tensor.zeros(arena, k.x.shape()), mean = Tensor.zeros(arena, r), rstd = Tensor.zeros(arena, r);
            LayerNormCpu.forwardScalar(out, mean, rstd, k.x, k.gamma, k.beta, EPS);
            Grads v1 = Grads.zeros(arena, r, c), v2 = Grads.zeros(arena, r, c), s = Grads.zeros(arena, r, c);
            LayerNormCpu.backward(one, v1.dIn, v1.dGamma, v1.dBeta, k.dOut, k.x, mean, rstd, k.gamma);
            LayerNormCpu.backward(two, v2.dIn, v2.dGamma, v2.dBeta, k.dOut, k.x, mean, rstd, k.gamma);
            LayerNormCpu.backwardScalar(s.dIn, s.dGamma, s.dBeta, k.dOut, k.x, mean, rstd, k.gamma);
            double[] atol = dInTolerance(k, rstd, r, c);
            checkRows(Compare.toDouble(s.dIn.toArray()), v2.dIn.toArray(), atol, DIN_RTOL, c);
            check(Compare.of(s.dGamma, v2.dGamma, PARAM_ATOL, PARAM_RTOL));
            check(Compare.of(s.dBeta, v2.dBeta, PARAM_ATOL, PARAM_RTOL));
            // Rows are cut into blocks by (R, C) alone, so the thread count cannot change the sums' order.
            check(Compare.of(v1.dIn, v2.dIn, 1e-7, 1e-6));
            check(Compare.of(v1.dGamma, v2.dGamma, 1e-7, 1e-6));
            check(Compare.of(v1.dBeta, v2.dBeta, 1e-7, 1e-6));
            Reference ref = Reference.backward(k.dOut.toArray(), k.x.toArray(), k.gamma.toArray(), r, c, EPS);
            checkRows(ref.dIn, v2.dIn.toArray(), atol, DIN_RTOL, c);
            check(Compare.of(ref.dGamma, Compare.toDouble(v2.dGamma.toArray()), PARAM_ATOL, PARAM_RTOL));
            check(Compare.of(ref.dBeta, Compare.toDouble(v2.dBeta.toArray()), PARAM_ATOL, PARAM_RTOL));
        }
    }

    @Test
    void backwardAccumulatesAndSkipsNullGradients() {
        try (Arena arena = Arena.ofShared()) {
            int r = 17, c = 31;
            Case k = Case.of(arena, r, c, 5);
            Tensor out = Tensor.zeros(arena, k.x.shape()), mean = Tensor.zeros(arena, r), rstd = Tensor.zeros(arena, r);
            LayerNormCpu.forward(one, out, mean, rstd, k.x, k.gamma, k.beta, EPS);
            Grads full = Grads.zeros(arena, r, c);
            LayerNormCpu.backward(two, full.dIn, full.dGamma, full.dBeta, k.dOut, k.x, mean, rstd, k.gamma);

            Grads acc = Grads.zeros(arena, r, c);
            Rng rng = new Rng(6);
            rng.fillNormal(acc.dIn, 0, 1);
            rng.fillNormal(acc.dGamma, 0, 1);
            rng.fillNormal(acc.dBeta, 0, 1);
            float[] in0 = acc.dIn.toArray(), g0 = acc.dGamma.toArray(), b0 = acc.dBeta.toArray();
            LayerNormCpu.backward(two, acc.dIn, acc.dGamma, acc.dBeta, k.dOut, k.x, mean, rstd, k.gamma);
            check(Compare.of(plus(in0, full.dIn), acc.dIn.toArray(), 1e-6, 1e-6)); // one extra rounding of the sum
            check(Compare.of(plus(g0, full.dGamma), acc.dGamma.toArray(), 1e-6, 1e-6));
            check(Compare.of(plus(b0, full.dBeta), acc.dBeta.toArray(), 1e-6, 1e-6));

            // Each gradient alone equals the one computed with all three: the null ones are simply not written.
            Grads alone = Grads.zeros(arena, r, c);
            LayerNormCpu.backward(two, alone.dIn, null, null, k.dOut, k.x, mean, rstd, k.gamma);
            LayerNormCpu.backward(two, null, alone.dGamma, null, k.dOut, k.x, mean, rstd, k.gamma);
            LayerNormCpu.backward(two, null, null, alone.dBeta, k.dOut, k.x, mean, rstd, k.gamma);
            LayerNormCpu.backward(two, null, null, null, k.dOut, k.x, mean, rstd, k.gamma);
            assertArrayEquals(full.dIn.toArray(), alone.dIn.toArray());
            assertArrayEquals(full.dGamma.toArray(), alone.dGamma.toArray());
            assertArrayEquals(full.dBeta.toArray(), alone.dBeta.toArray());
            Grads aloneS = Grads.zeros(arena, r, c);
            LayerNormCpu.backwardScalar(null, aloneS.dGamma, null, k.dOut, k.x, mean, rstd, k.gamma);
            LayerNormCpu.backwardScalar(aloneS.dIn, null, aloneS.dBeta, k.dOut, k.x, mean, rstd, k.gamma);
            checkRows(Compare.toDouble(full.dIn.toArray()), aloneS.dIn.toArray(), dInTolerance(k, rstd, r, c), DIN_RTOL, c);
            check(Compare.of(full.dGamma, aloneS.dGamma, PARAM_ATOL, PARAM_RTOL));
            check(Compare.of(full.dBeta, aloneS.dBeta, PARAM_ATOL, PARAM_RTOL));
        }
    }

    @Test
    void handWorked() {
        try (Arena arena = Arena.ofShared()) {
            // [1, 2, 3]: μ = 2, biased var = 2/3, rstd = 1/√(2/3 + 1e-5) = 1.2247357, gamma 1, beta 0
            Tensor x = Tensor.of(arena, Shape.of(1, 3), 1, 2, 3), out = Tensor.zeros(arena, 1, 3);
            Tensor gamma = Tensor.full(arena, Shape.of(3), 1f), beta = Tensor.zeros(arena, 3);
            Tensor mean = Tensor.zeros(arena, 1), rstd = Tensor.zeros(arena, 1);
            LayerNormCpu.forward(one, out, mean, rstd, x, gamma, beta, 1e-5f);
            check(Compare.of(new float[] {-1.2247357f, 0f, 1.2247357f}, out.toArray(), 1e-7, 1e-6));
            assertEquals(2f, mean.get(0));
            assertEquals(1.2247357f, rstd.get(0), 1e-6f);
            // gamma 2, beta 0.5: out = 2·x̂ + 0.5
            Tensor g2 = Tensor.full(arena, Shape.of(3), 2f), b2 = Tensor.full(arena, Shape.of(3), 0.5f);
            LayerNormCpu.forwardScalar(out, mean, rstd, x, g2, b2, 1e-5f);
            check(Compare.of(new float[] {-1.9494714f, 0.5f, 2.9494714f}, out.toArray(), 1e-7, 1e-6));
        }
    }

    @Test
    void equalRowsGiveBetaAndLargeOffsetsStayAccurate() {
        try (Arena arena = Arena.ofShared()) {
            int c = 33;
            Rng rng = new Rng(9);
            Tensor x = Tensor.full(arena, Shape.of(3, c), 7.25f), gamma = rng.normal(arena, Shape.of(c));
            Tensor beta = rng.normal(arena, Shape.of(c)), out = Tensor.zeros(arena, x.shape());
            Tensor mean = Tensor.zeros(arena, 3), rstd = Tensor.zeros(arena, 3);
            LayerNormCpu.forward(one, out, mean, rstd, x, gamma, beta, EPS);
            float[] expected = new float[3 * c];
            for (int i = 0; i < expected.length; i++) expected[i] = beta.get(i % c);
            assertArrayEquals(expected, out.toArray(), "x̂ = 0 exactly, so out = beta");
            assertEquals((float) (1 / Math.sqrt(EPS)), rstd.get(1), 1e-6f * 316);

            // Offset 1e4 with spread 1: E[x²] − μ² would cancel to noise; two-pass keeps ~1e-3 relative (float x).
            Tensor y = rng.normal(arena, Shape.of(5, 1000), 1e4f, 1f), outY = Tensor.zeros(arena, y.shape());
            Tensor my = Tensor.zeros(arena, 5), ry = Tensor.zeros(arena, 5);
            LayerNormCpu.forward(two, outY, my, ry, y, Tensor.full(arena, Shape.of(1000), 1f), Tensor.zeros(arena, 1000), EPS);
            Reference ref = Reference.forward(y.toArray(), Tensor.full(arena, Shape.of(1000), 1f).toArray(), new float[1000], 5, 1000, EPS);
            check(Compare.of(ref.rstd, Compare.toDouble(ry.toArray()), 0, 1e-4));
            check(Compare.of(ref.out, Compare.toDouble(outY.toArray()), 2e-3, 1e-4)); // x − μ loses digits of 1e4 in float
        }
    }

    @Test
    void gradientsMatchTheTableOfRules() {
        try (Arena arena = Arena.ofShared()) {
            int r = 3, c = 5;
            Rng rng = new Rng(12);
            Tensor x = rng.normal(arena, Shape.of(r, c)), gamma = rng.normal(arena, Shape.of(c), 1f, 0.5f);
            Tensor beta = rng.normal(arena, Shape.of(c)), w = rng.normal(arena, x.shape());
            Tensor out = Tensor.zeros(arena, x.shape()), mean = Tensor.zeros(arena, r), rstd = Tensor.zeros(arena, r);
            LayerNormCpu.forward(one, out, mean, rstd, x, gamma, beta, EPS);
            Grads g = Grads.zeros(arena, r, c);
            LayerNormCpu.backward(one, g.dIn, g.dGamma, g.dBeta, w, x, mean, rstd, gamma); // L = Σ w ⊙ out
            double[] xd = Compare.toDouble(x.toArray()), gd = Compare.toDouble(gamma.toArray());
            double[] wd = Compare.toDouble(w.toArray());
            // against the table's rule, itself checked against central differences by autograd's GradCheckSuite
            double[][] rule = Reference64.layerNormBackward(wd, xd, gd, r, c, EPS);
            check(Compare.of(rule[0], Compare.toDouble(g.dIn.toArray()), GRAD_ATOL, GRAD_RTOL));
            check(Compare.of(rule[1], Compare.toDouble(g.dGamma.toArray()), GRAD_ATOL, GRAD_RTOL));
            check(Compare.of(rule[2], Compare.toDouble(g.dBeta.toArray()), GRAD_ATOL, GRAD_RTOL));
        }
    }

    @Test
    void badShapesNameOpArgumentExpectedAndActual() {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = Tensor.zeros(arena, 3, 5), c5 = Tensor.zeros(arena, 5), r3 = Tensor.zeros(arena, 3);
            Tensor c4 = Tensor.zeros(arena, 4), r2 = Tensor.zeros(arena, 2), x4 = Tensor.zeros(arena, 3, 4);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> LayerNormCpu.forward(one, x, r3, r3, x, c4, c5, EPS));
            assertEquals("layerNorm: gamma: expected 5 elements (the last axis of (3, 5)), got (4,)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> LayerNormCpu.forwardScalar(x, r2, r3, x, c5, c5, EPS));
            assertEquals("layerNorm: mean: expected 3 elements (one per row of (3, 5)), got (2,)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> LayerNormCpu.forward(one, x4, r3, r3, x, c5, c5, EPS));
            assertEquals("layerNorm: out: expected (3, 5), got (3, 4)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> LayerNormCpu.forward(one, x, r3, r3, x, c5, c5, -1f));
            assertEquals("layerNorm: eps: expected >= 0, got -1.0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> LayerNormCpu.backward(one, null, c4, null, x, x, r3, r3, c5));
            assertEquals("layerNormBackward: dGamma: expected 5 elements (the last axis of (3, 5)), got (4,)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> LayerNormCpu.backward(one, x4, null, null, x, x, r3, r3, c5));
            assertEquals("layerNormBackward: dIn: expected (3, 5), got (3, 4)", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers and the double reference

    record Grads(Tensor dIn, Tensor dGamma, Tensor dBeta) {
        static Grads zeros(Arena arena, int r, int c) {
            return new Grads(Tensor.zeros(arena, r, c), Tensor.zeros(arena, c), Tensor.zeros(arena, c));
        }
    }

    /** The table's layer norm (torch.nn.LayerNorm: biased variance, eps inside the root) and the row statistics it saves. */
    record Reference(double[] out, double[] mean, double[] rstd, double[] dIn, double[] dGamma, double[] dBeta) {
        static Reference forward(float[] x, float[] gamma, float[] beta, int r, int c, float eps) {
            double[] x64 = Compare.toDouble(x), mean = Reference64.sumCols(x64, r, c, 1.0 / c), rstd = new double[r];
            double[] centred = new double[r * c];
            for (int i = 0; i < r * c; i++) centred[i] = x64[i] - mean[i / c];
            double[] var = Reference64.sumCols(Reference64.mul(centred, centred), r, c, 1.0 / c);
            for (int i = 0; i < r; i++) rstd[i] = 1 / Math.sqrt(var[i] + eps);
            double[] out = Reference64.layerNorm(x64, Compare.toDouble(gamma), Compare.toDouble(beta), r, c, eps);
            return new Reference(out, mean, rstd, null, null, null);
        }

        static Reference backward(float[] dOut, float[] x, float[] gamma, int r, int c, float eps) {
            double[][] g = Reference64.layerNormBackward(Compare.toDouble(dOut), Compare.toDouble(x), Compare.toDouble(gamma), r, c, eps);
            return new Reference(null, null, null, g[0], g[1], g[2]);
        }
    }

    /** FWD_ULPS · ulp(max|x_r|) · rstd_r · max|γ| for each row r. */
    private static double[] outTolerance(Case k, Tensor rstd, int r, int c) {
        double[] atol = new double[r];
        double gammaMax = maxAbs(k.gamma.toArray(), 0, c);
        float[] x = k.x.toArray();
        for (int i = 0; i < r; i++) atol[i] = FWD_ULPS * Math.ulp((float) maxAbs(x, i * c, c)) * rstd.get(i) * gammaMax;
        return atol;
    }

    /** DIN_ULPS · rstd_r · max|g_r| · (eps·√C + ulp(max|x_r|)·rstd_r) for each row r, g = dOut ⊙ γ. */
    private static double[] dInTolerance(Case k, Tensor rstd, int r, int c) {
        double[] atol = new double[r];
        float[] x = k.x.toArray(), dOut = k.dOut.toArray(), g = new float[r * c];
        for (int i = 0; i < r * c; i++) g[i] = dOut[i] * k.gamma.get(i % c);
        for (int i = 0; i < r; i++) {
            double rs = rstd.get(i);
            atol[i] = DIN_ULPS * rs * maxAbs(g, i * c, c) * (0x1p-23 * Math.sqrt(c) + Math.ulp((float) maxAbs(x, i * c, c)) * rs);
        }
        return atol;
    }

    private static double maxAbs(float[] a, int from, int n) {
        double m = 0;
        for (int i = from; i < from + n; i++) m = Math.max(m, Math.abs(a[i]));
        return m;
    }

    /** Compare row by row, each row with its own absolute tolerance. */
    private static void checkRows(double[] expected, float[] actual, double[] atol, double rtol, int c) {
        for (int i = 0; i < atol.length; i++) {
            double[] e = java.util.Arrays.copyOfRange(expected, i * c, (i + 1) * c);
            double[] a = Compare.toDouble(java.util.Arrays.copyOfRange(actual, i * c, (i + 1) * c));
            Compare cmp = Compare.of(e, a, atol[i], rtol);
            int row = i;
            assertTrue(cmp.ok(), () -> "row " + row + ": " + cmp.describe());
        }
    }

    private static float[] plus(float[] a, Tensor b) {
        float[] s = a.clone();
        for (int i = 0; i < s.length; i++) s[i] += b.get(i);
        return s;
    }

    private static void check(Compare c) { assertTrue(c.ok(), c::describe); }
}
