package dev.posenc.kernels;

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

class LossCpuTest {
    /** mse: float differences and squares summed in float lanes over ≤ 64·lanes terms, then in double. */
    static final double MSE_RTOL = 1e-6;
    /** Cross entropy: float-lane vs double row sums (the same Exp on both sides); log Σ and x − m good to ~1e-7. */
    static final double CE_ATOL = 1e-6, CE_RTOL = 1e-6;
    /** Gradient twins: k·softmax with k = dLoss/R; exp and the row-sum order differ by a few ulp of |k|. */
    static final double GRAD_TWIN_ATOL = 1e-8, GRAD_TWIN_RTOL = 2e-6;
    /** Analytic f32 gradients vs central differences of the f64 reference (h = 1e-6). */
    static final double NUMERIC_ATOL = 1e-5, NUMERIC_RTOL = 1e-4;

    static Parallel one, two;

    @BeforeAll static void start() { one = new Parallel(1); two = new Parallel(2); }

    @AfterAll static void stop() { one.close(); two.close(); }

    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        for (int r : new int[] {1, 3, 17, 257}) for (int c : new int[] {1, 3, 16, 17, 31, 100, 1000}) list.add(Arguments.of(r, c));
        return list.stream();
    }

    static int[] labels(int r, int c, long seed) {
        int[] l = new int[r];
        Rng rng = new Rng(seed);
        for (int i = 0; i < r; i++) l[i] = rng.nextInt(c);
        return l;
    }

    @ParameterizedTest @MethodSource("shapes")
    void mseMatchesTwinDoubleAndThreadCounts(int r, int c) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(r * 1000L + c);
            Tensor p = rng.normal(arena, Shape.of(r, c)), t = rng.normal(arena, Shape.of(r, c));
            double ref = 0;
            for (int i = 0; i < p.size(); i++) ref += Math.pow((double) p.get(i) - t.get(i), 2);
            ref /= p.size();
            double v1 = LossCpu.mse(one, p, t), v2 = LossCpu.mse(two, p, t);
            assertEquals(ref, LossCpu.mseScalar(p, t), MSE_RTOL * ref, "scalar twin vs double");
            assertEquals(ref, v2, MSE_RTOL * ref, "vector vs double");
            assertEquals(v1, v2, MSE_RTOL * ref, "1 vs 2 threads");

            float dLoss = 0.7f;
            Tensor init = rng.normal(arena, p.shape()), dv = Tensor.zeros(arena, p.shape()), ds = Tensor.zeros(arena, p.shape());
            dv.copyFrom(init);
            ds.copyFrom(init);
            LossCpu.mseBackward(two, dv, p, t, dLoss);
            LossCpu.mseBackwardScalar(ds, p, t, dLoss);
            double[] expected = new double[(int) p.size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = init.get(i) + dLoss * 2.0 * ((double) p.get(i) - t.get(i)) / p.size();
            }
            check(Compare.of(ds, dv, 0, 0)); // the same fma per element: bitwise equal
            check(Compare.of(expected, Compare.toDouble(dv.toArray()), 1e-7, 1e-6));
        }
    }

    @ParameterizedTest @MethodSource("shapes")
    void crossEntropyMatchesTwinDoubleAndThreadCounts(int r, int c) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(r * 1000L + c + 1);
            Tensor x = rng.normal(arena, Shape.of(r, c), 0f, 3f);
            int[] l = labels(r, c, r + 7L * c);
            double ref = crossEntropyOf(Compare.toDouble(x.toArray()), l, r, c);
            double v1 = LossCpu.crossEntropy(one, x, l), v2 = LossCpu.crossEntropy(two, x, l);
            assertEquals(ref, LossCpu.crossEntropyScalar(x, l), CE_ATOL + CE_RTOL * ref, "scalar twin vs double");
            assertEquals(ref, v2, CE_ATOL + CE_RTOL * ref, "vector vs double");
            assertEquals(v1, v2, CE_ATOL + CE_RTOL * ref, "1 vs 2 threads");

            float dLoss = 1.3f;
            Tensor init = rng.normal(arena, x.shape()), d1 = Tensor.zeros(arena, x.shape());
            Tensor d2 = Tensor.zeros(arena, x.shape()), ds = Tensor.zeros(arena, x.shape()), acc = Tensor.zeros(arena, x.shape());
            LossCpu.crossEntropyBackward(one, d1, x, l, dLoss);
            LossCpu.crossEntropyBackward(two, d2, x, l, dLoss);
            LossCpu.crossEntropyBackwardScalar(ds, x, l, dLoss);
            check(Compare.of(ds, d2, GRAD_TWIN_ATOL, GRAD_TWIN_RTOL));
            check(Compare.of(d1, d2, GRAD_TWIN_ATOL, GRAD_TWIN_RTOL));
            acc.copyFrom(init);
            LossCpu.crossEntropyBackward(two, acc, x, l, dLoss);
            float[] expected = init.toArray();
            for (int i = 0; i < expected.length; i++) expected[i] += d2.get(i);
            check(Compare.of(expected, acc.toArray(), 1e-7, 1e-6)); // accumulates: one extra rounding of the sum
        }
    }

    @Test
    void handWorked() {
        try (Arena arena = Arena.ofShared()) {
            // mse([1, 2, 3], [0, 0, 0]) = 14/3;  d/dpred = 2·pred/3
            Tensor p = Tensor.of(arena, Shape.of(3), 1, 2, 3), t = Tensor.zeros(arena, 3), d = Tensor.zeros(arena, 3);
            assertEquals(14.0 / 3, LossCpu.mse(one, p, t), 1e-12);
            LossCpu.mseBackward(one, d, p, t, 1f);
            check(Compare.of(new float[] {2f / 3, 4f / 3, 2f}, d.toArray(), 0, 1e-6));

            // logits [0, ln 3]: softmax = [1/4, 3/4]; label 1 → −ln(3/4), label 0 → ln 4
            Tensor x = Tensor.of(arena, Shape.of(2, 2), 0f, (float) Math.log(3), 0f, (float) Math.log(3));
            int[] l = {1, 0};
            assertEquals((-Math.log(0.75) + Math.log(4)) / 2, LossCpu.crossEntropy(one, x, l), 1e-7);
            Tensor dx = Tensor.zeros(arena, x.shape());
            LossCpu.crossEntropyBackward(one, dx, x, l, 1f);
            // (softmax − onehot)/R with R = 2
            check(Compare.of(new float[] {0.125f, -0.125f, -0.375f, 0.375f}, dx.toArray(), 1e-7, 1e-6));

            // uniform logits: every class has probability 1/C, so the loss is ln C
            for (int c : new int[] {1, 3, 17, 1000}) {
                Tensor u = Tensor.full(arena, Shape.of(5, c), 2.5f);
                assertEquals(Math.log(c), LossCpu.crossEntropy(two, u, labels(5, c, c)), 1e-6, "C = " + c);
            }
        }
    }

    @Test
    void largeLogitsNeitherOverflowNorProduceNaN() {
        try (Arena arena = Arena.ofShared()) {
            int c = 19;
            float[] v = new float[2 * c];
            for (int i = 0; i < 2 * c; i++) v[i] = -1e4f;
            v[0] = 1e4f;         // row 0: one huge logit
            v[c + 5] = 1e4f;     // row 1: the huge logit is not the label
            Tensor x = Tensor.of(arena, Shape.of(2, c), v);
            int[] l = {0, 6};
            // row 0: −log(1/(1 + 18e^{−2e4})) ≈ 0;  row 1: 1e4 − (−1e4) = 2e4
            assertEquals(1e4, LossCpu.crossEntropy(two, x, l), 1e-3);
            assertEquals(1e4, LossCpu.crossEntropyScalar(x, l), 1e-3);
            Tensor dx = Tensor.zeros(arena, x.shape());
            LossCpu.crossEntropyBackward(two, dx, x, l, 1f);
            float[] expected = new float[2 * c];
            expected[c + 5] = 0.5f;
            expected[c + 6] = -0.5f;
            check(Compare.of(expected, dx.toArray(), 1e-7, 1e-6));
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        try (Arena arena = Arena.ofShared()) {
            int r = 3, c = 5;
            Rng rng = new Rng(21);
            Tensor x = rng.normal(arena, Shape.of(r, c)), t = rng.normal(arena, Shape.of(r, c));
            int[] l = {4, 0, 2};
            float dLoss = 0.8f;
            double[] xd = Compare.toDouble(x.toArray()), td = Compare.toDouble(t.toArray());
            double h = 1e-6;
            double[] numCe = new double[xd.length], numMse = new double[xd.length];
            for (int i = 0; i < xd.length; i++) {
                double keep = xd[i];
                xd[i] = keep + h;
                double cePlus = crossEntropyOf(xd, l, r, c), msePlus = mseOf(xd, td);
                xd[i] = keep - h;
                double ceMinus = crossEntropyOf(xd, l, r, c), mseMinus = mseOf(xd, td);
                xd[i] = keep;
                numCe[i] = dLoss * (cePlus - ceMinus) / (2 * h);
                numMse[i] = dLoss * (msePlus - mseMinus) / (2 * h);
            }
            Tensor dCe = Tensor.zeros(arena, x.shape()), dMse = Tensor.zeros(arena, x.shape());
            LossCpu.crossEntropyBackward(one, dCe, x, l, dLoss);
            LossCpu.mseBackward(one, dMse, x, t, dLoss);
            check(Compare.of(numCe, Compare.toDouble(dCe.toArray()), NUMERIC_ATOL, NUMERIC_RTOL));
            check(Compare.of(numMse, Compare.toDouble(dMse.toArray()), NUMERIC_ATOL, NUMERIC_RTOL));
        }
    }

    @Test
    void badLabelsAndShapesNameOpArgumentExpectedAndActual() {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = Tensor.zeros(arena, 3, 5), wrong = Tensor.zeros(arena, 3, 4);
            var e = assertThrows(IllegalArgumentException.class, () -> LossCpu.crossEntropy(one, x, new int[] {0, 5, 1}));
            assertEquals("crossEntropy: labels[1]: expected a class in [0, 5), got 5", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> LossCpu.crossEntropyScalar(x, new int[] {0, 1, -1}));
            assertEquals("crossEntropy: labels[2]: expected a class in [0, 5), got -1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> LossCpu.crossEntropyBackward(one, x, x, new int[] {7, 0, 0}, 1f));
            assertEquals("crossEntropyBackward: labels[0]: expected a class in [0, 5), got 7", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> LossCpu.crossEntropy(one, x, new int[] {0, 1}));
            assertEquals("crossEntropy: labels: expected 3 entries (one per row of logits (3, 5)), got 2 entries",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> LossCpu.crossEntropyBackward(one, wrong, x, new int[] {0, 0, 0}, 1f));
            assertEquals("crossEntropyBackward: dLogits: expected (3, 5), got (3, 4)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> LossCpu.mse(one, x, wrong));
            assertEquals("mse: target: expected (3, 5), got (3, 4)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> LossCpu.mseBackward(one, wrong, x, x, 1f));
            assertEquals("mseBackward: dPred: expected (3, 5), got (3, 4)", e.getMessage());
        }
    }


    private static double crossEntropyOf(double[] x, int[] labels, int r, int c) { return Reference64.crossEntropy(x, labels, r, c)[0]; }

    private static double mseOf(double[] p, double[] t) { return Reference64.mse(p, t)[0]; }

    private static void check(Compare c) { assertTrue(c.ok(), c::describe); }
}
