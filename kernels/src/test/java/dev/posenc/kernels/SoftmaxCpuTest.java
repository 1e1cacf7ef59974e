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
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SoftmaxCpuTest {
    /** Vector vs scalar twin: the same Exp, but a different summation order (float lanes vs a double sum). */
    static final double TWIN_ATOL = 1e-7, TWIN_RTOL = 2e-6;
    /**
     * Backward twins: the row sum (Σ dOut, up to ~30 for C = 1000) is kept in float lanes by the vector kernel
     * and in double by the twin; that difference (a few ulp of 30) times exp(out) ≤ 1 is absolute, not relative.
     */
    static final double BACKWARD_ATOL = 2e-5, BACKWARD_RTOL = 2e-6;
    /** Softmax against the double reference: float rounding of exp and of the C ≤ 1000-term sum. */
    static final double REF_ATOL = 1e-7, REF_RTOL = 1e-5;
    /** Log-softmax (twin or double): (x − m) − log Σ cancels terms up to ~16 in size: a few ulp of 16, absolute. */
    static final double LOG_ATOL = 4e-6;
    /** Analytic f32 gradient vs central differences of the f64 reference (h = 1e-6: truncation ~1e-12). */
    static final double GRAD_ATOL = 1e-5, GRAD_RTOL = 1e-4;

    static Parallel one, two;

    @BeforeAll static void start() { one = new Parallel(1); two = new Parallel(2); }

    @AfterAll static void stop() { one.close(); two.close(); }

    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        for (int r : new int[] {1, 3, 17, 257}) for (int c : new int[] {1, 3, 16, 17, 31, 100, 1000}) list.add(Arguments.of(r, c));
        return list.stream();
    }

    @ParameterizedTest @MethodSource("shapes")
    void forwardsMatchTwinAndDoubleReference(int r, int c) {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = new Rng(r * 1000L + c).normal(arena, Shape.of(r, c), 0f, 3f);
            double[] refSoft = Reference64.softmax(Compare.toDouble(x.toArray()), r, c), refLog = Reference64.logSoftmax(Compare.toDouble(x.toArray()), r, c);
            Tensor v = Tensor.zeros(arena, x.shape()), s = Tensor.zeros(arena, x.shape());
            SoftmaxCpu.softmax(two, v, x);
            SoftmaxCpu.softmaxScalar(s, x);
            check(Compare.of(s, v, TWIN_ATOL, TWIN_RTOL));
            check(Compare.of(refSoft, Compare.toDouble(v.toArray()), REF_ATOL, REF_RTOL));
            SoftmaxCpu.logSoftmax(two, v, x);
            SoftmaxCpu.logSoftmaxScalar(s, x);
            check(Compare.of(s, v, LOG_ATOL, TWIN_RTOL));
            check(Compare.of(refLog, Compare.toDouble(v.toArray()), LOG_ATOL, REF_RTOL));
        }
    }

    @ParameterizedTest @MethodSource("shapes")
    void backwardsMatchTwinAndAccumulate(int r, int c) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(r * 1000L + c + 7);
            Tensor x = rng.normal(arena, Shape.of(r, c), 0f, 3f), dOut = rng.normal(arena, x.shape());
            Tensor init = rng.normal(arena, x.shape());
            Tensor y = Tensor.zeros(arena, x.shape());
            SoftmaxCpu.softmaxScalar(y, x);
            backwardAgrees(arena, init, (dIn, p) -> SoftmaxCpu.softmaxBackward(p, dIn, dOut, y),
                    dIn -> SoftmaxCpu.softmaxBackwardScalar(dIn, dOut, y));
            SoftmaxCpu.logSoftmaxScalar(y, x);
            backwardAgrees(arena, init, (dIn, p) -> SoftmaxCpu.logSoftmaxBackward(p, dIn, dOut, y),
                    dIn -> SoftmaxCpu.logSoftmaxBackwardScalar(dIn, dOut, y));
        }
    }

    /**
     * Vector on 1 and 2 threads agree bit for bit (each row runs the same code, and Exp and Lanes.sum give the
     * same bits in every JIT tier); vector agrees with the twin; and starting from init gives init + (the result
     * from zero).
     */
    private static void backwardAgrees(Arena arena, Tensor init, BiConsumer<Tensor, Parallel> vector,
                                       java.util.function.Consumer<Tensor> scalar) {
        Tensor v1 = Tensor.zeros(arena, init.shape()), v2 = Tensor.zeros(arena, init.shape());
        Tensor s = Tensor.zeros(arena, init.shape()), acc = Tensor.zeros(arena, init.shape());
        vector.accept(v1, one);
        vector.accept(v2, two);
        scalar.accept(s);
        check(Compare.of(v1, v2, 0, 0));
        check(Compare.of(s, v2, BACKWARD_ATOL, BACKWARD_RTOL));
        acc.copyFrom(init);
        vector.accept(acc, two);
        float[] expected = init.toArray(), fromZero = v2.toArray();
        for (int i = 0; i < expected.length; i++) expected[i] += fromZero[i];
        check(Compare.of(expected, acc.toArray(), 1e-6, 1e-6)); // one extra float rounding of the sum
    }

    @Test
    void handWorked() {
        try (Arena arena = Arena.ofShared()) {
            // softmax([0, ln 3]) = [1, 3] / 4
            Tensor x = Tensor.of(arena, Shape.of(1, 2), 0f, (float) Math.log(3));
            Tensor y = Tensor.zeros(arena, x.shape());
            SoftmaxCpu.softmax(one, y, x);
            check(Compare.of(new float[] {0.25f, 0.75f}, y.toArray(), 1e-7, 1e-6));
            SoftmaxCpu.logSoftmax(one, y, x);
            check(Compare.of(new double[] {Math.log(0.25), Math.log(0.75)}, Compare.toDouble(y.toArray()), 1e-7, 1e-6));
        }
    }

    @Test
    void largeLogitsNeitherOverflowNorProduceNaN() {
        try (Arena arena = Arena.ofShared()) {
            int c = 37; // odd: the tail sees the extreme values too
            float[] v = new float[2 * c];
            for (int i = 0; i < c; i++) { v[i] = i % 2 == 0 ? 1e4f : -1e4f; v[c + i] = -1e4f; }
            v[c + c - 1] = -1e4f + 1; // row 2: one logit 1 above the rest, all hugely negative
            Tensor x = Tensor.of(arena, Shape.of(2, c), v), y = Tensor.zeros(arena, x.shape());
            double[] ref = Reference64.softmax(Compare.toDouble(v), 2, c), refLog = Reference64.logSoftmax(Compare.toDouble(v), 2, c);
            SoftmaxCpu.softmax(two, y, x);
            check(Compare.of(ref, Compare.toDouble(y.toArray()), REF_ATOL, REF_RTOL));
            SoftmaxCpu.logSoftmax(two, y, x);
            check(Compare.of(refLog, Compare.toDouble(y.toArray()), 1e-3, 1e-6)); // outputs near −2e4: ulp 2e-3
            for (float f : y.toArray()) assertTrue(Float.isFinite(f), "log-softmax must stay finite");
        }
    }

    @Test
    void equalRowsAreUniformAndRowsSumToOne() {
        try (Arena arena = Arena.ofShared()) {
            int c = 31;
            Tensor x = Tensor.full(arena, Shape.of(3, c), 5f), y = Tensor.zeros(arena, x.shape());
            SoftmaxCpu.softmax(two, y, x);
            float[] u = new float[3 * c];
            java.util.Arrays.fill(u, 1f / c);
            check(Compare.of(u, y.toArray(), 1e-8, 1e-6));
            SoftmaxCpu.logSoftmax(two, y, x);
            java.util.Arrays.fill(u, (float) -Math.log(c));
            check(Compare.of(u, y.toArray(), 1e-7, 1e-6));

            Tensor z = new Rng(3).normal(arena, Shape.of(17, 1000), 0f, 10f), w = Tensor.zeros(arena, z.shape());
            SoftmaxCpu.softmax(two, w, z);
            for (int r = 0; r < 17; r++) {
                double sum = 0;
                for (int i = 0; i < 1000; i++) sum += w.get(r, i);
                assertEquals(1.0, sum, 1e-5, "row " + r + " sums to 1");
            }
        }
    }

    @Test
    void gradientsMatchTheTableOfRules() {
        try (Arena arena = Arena.ofShared()) {
            int r = 3, c = 5;
            Rng rng = new Rng(11);
            Tensor x = rng.normal(arena, Shape.of(r, c)), w = rng.normal(arena, x.shape());
            double[] xd = Compare.toDouble(x.toArray()), wd = Compare.toDouble(w.toArray());
            Tensor y = Tensor.zeros(arena, x.shape()), dIn = Tensor.zeros(arena, x.shape());
            // L = Σ w ⊙ softmax(x): dL/dOut = w
            SoftmaxCpu.softmax(one, y, x);
            SoftmaxCpu.softmaxBackward(one, dIn, w, y);
            // against the table's rule, itself checked against central differences by autograd's GradCheckSuite
            check(Compare.of(Reference64.softmaxBackward(wd, xd, r, c)[0], Compare.toDouble(dIn.toArray()), GRAD_ATOL, GRAD_RTOL));
            Tensor dLog = Tensor.zeros(arena, x.shape());
            SoftmaxCpu.logSoftmax(one, y, x);
            SoftmaxCpu.logSoftmaxBackward(one, dLog, w, y);
            check(Compare.of(Reference64.logSoftmaxBackward(wd, xd, r, c)[0], Compare.toDouble(dLog.toArray()), GRAD_ATOL, GRAD_RTOL));
        }
    }

    @Test
    void badShapesNameOpArgumentExpectedAndActual() {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = Tensor.zeros(arena, 3, 5), wrong = Tensor.zeros(arena, 3, 4);
            var e = assertThrows(IllegalArgumentException.class, () -> SoftmaxCpu.softmax(one, wrong, x));
            assertEquals("softmax: out: expected (3, 5), got (3, 4)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> SoftmaxCpu.logSoftmaxScalar(wrong, x));
            assertEquals("logSoftmax: out: expected (3, 5), got (3, 4)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> SoftmaxCpu.softmaxBackward(one, wrong, x, x));
            assertEquals("softmaxBackward: dIn: expected (3, 5), got (3, 4)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> SoftmaxCpu.logSoftmaxBackward(one, x, wrong, x));
            assertEquals("logSoftmaxBackward: dOut: expected (3, 5), got (3, 4)", e.getMessage());
        }
    }

    private static void check(Compare c) { assertTrue(c.ok(), c::describe); }
}
