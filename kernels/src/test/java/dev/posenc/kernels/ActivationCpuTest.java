package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationCpuTest {
    /**
     * Vector vs scalar twin for the ops that still use the Vector API's log and tanh (a vector math library
     * call in the kernel, java.lang.Math in the twin, each within about 1 ulp). The absolute part covers 1 ulp
     * of tanh inside 1 + tanh(u) ≈ 0 for GELU_TANH at x ≈ −12.
     */
    private static final double TWIN_ATOL = 1e-6, TWIN_RTOL = 1e-6;
    /** Ops built only from Exp, Erf, SinCos and arithmetic: the kernel and its twin agree bit for bit. */
    private static final Set<UnaryOp> BITWISE_TWINS =
            EnumSet.of(UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.GELU_ERF, UnaryOp.SIN, UnaryOp.COS);

    private static double twinTolerance(UnaryOp f, double tolerance) {
        return BITWISE_TWINS.contains(f) ? 0 : tolerance;
    }
    /** Float kernel vs a double reference of the same function: a few ulp, erf's 1.2e-7 scaled by ½|x| ≤ 6. */
    private static final double REF_ATOL = 1e-6, REF_RTOL = 1e-6;
    /** Analytic float derivative vs a double central difference (truncation ~h² ≈ 1e-12): float rounding only. */
    private static final double DERIV_ATOL = 1e-6, DERIV_RTOL = 1e-6;
    /** erf in float32: 2 ulp near erf ≈ 0.8 (measured 1.2e-7 when the coefficients were fitted). */
    private static final double ERF_ATOL = 1.5e-7;
    /** Relative error of erf for |x| < 1, where erf(x) ≈ 2x/√π keeps full relative precision. */
    private static final double ERF_SMALL_RTOL = 3e-7;

    static Stream<Arguments> opsShapesThreads() {
        List<Shape> shapes = List.of(Shape.of(1), Shape.of(3), Shape.of(17), Shape.of(31), Shape.of(67, 131),
                Shape.of(1000, 17), Shape.of((int) (2 * ActivationCpu.MIN_CHUNK + 37)));
        List<Arguments> args = new ArrayList<>();
        for (UnaryOp f : UnaryOp.values()) {
            for (Shape s : shapes) for (int threads : new int[] {1, 2}) args.add(Arguments.of(f, s, threads));
        }
        return args.stream();
    }

    /** Inputs in f's domain: positive for LOG, else N(0, 3²) so that tails of exp, tanh and gelu are reached. */
    private static Tensor inputs(Arena arena, Rng rng, UnaryOp f, Shape shape) {
        return f == UnaryOp.LOG ? rng.uniform(arena, shape, 1e-3f, 10f) : rng.normal(arena, shape, 0f, 3f);
    }

    private static void assertClose(Tensor expected, Tensor actual, double atol, double rtol) {
        Compare c = Compare.of(expected, actual, atol, rtol);
        assertTrue(c.ok(), c::describe);
    }

    @ParameterizedTest(name = "{0} {1} on {2} thread(s)")
    @MethodSource("opsShapesThreads")
    void forwardMatchesItsTwin(UnaryOp f, Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Tensor in = inputs(arena, new Rng(21), f, shape);
            Tensor out = Tensor.zeros(arena, shape), ref = Tensor.zeros(arena, shape);
            ActivationCpu.unary(p, f, out, in);
            ActivationCpu.unaryScalar(f, ref, in);
            assertClose(ref, out, twinTolerance(f, TWIN_ATOL), twinTolerance(f, TWIN_RTOL));
        }
    }

    @ParameterizedTest(name = "{0} {1} on {2} thread(s)")
    @MethodSource("opsShapesThreads")
    void backwardMatchesItsTwin(UnaryOp f, Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(22);
            Tensor in = inputs(arena, rng, f, shape), out = Tensor.zeros(arena, shape);
            ActivationCpu.unaryScalar(f, out, in);                   // both sides read the same f(in)
            Tensor dOut = rng.normal(arena, shape), dIn = rng.normal(arena, shape), ref = Tensor.zeros(arena, shape);
            ref.copyFrom(dIn);                                       // nonzero start: checks the +=
            ActivationCpu.unaryBackward(p, f, dIn, dOut, in, out);
            ActivationCpu.unaryBackwardScalar(f, ref, dOut, in, out);
            assertClose(ref, dIn, twinTolerance(f, TWIN_ATOL), twinTolerance(f, TWIN_RTOL));
        }
    }

    /**
     * Overwriting (a fresh gradient's first writer) ignores dIn's old contents (NaN here) and gives the bits of
     * accumulating into zeros; its scalar twin agrees with it. Bit for bit for the {@link #BITWISE_TWINS}; for
     * the ops on the Vector API's log and tanh only within the twin tolerance, since those can round differently
     * from one call to the next while the JIT swaps the vector math library call for its Java fallback.
     */
    @ParameterizedTest(name = "{0} {1} on {2} thread(s)")
    @MethodSource("opsShapesThreads")
    void overwritingBackwardEqualsAccumulatingIntoZeros(UnaryOp f, Shape shape, int threads) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(24);
            Tensor in = inputs(arena, rng, f, shape), out = Tensor.zeros(arena, shape);
            ActivationCpu.unaryScalar(f, out, in);
            Tensor dOut = rng.normal(arena, shape), zeroed = Tensor.zeros(arena, shape);
            Tensor written = Tensor.zeros(arena, shape), twin = Tensor.zeros(arena, shape);
            for (long i = 0; i < shape.size(); i++) {
                written.set(i, Float.NaN);
                twin.set(i, Float.NaN);
            }
            ActivationCpu.unaryBackward(p, f, zeroed, dOut, in, out);
            ActivationCpu.unaryBackward(p, f, written, dOut, in, out, false);
            ActivationCpu.unaryBackwardScalar(f, twin, dOut, in, out, false);
            assertClose(zeroed, written, twinTolerance(f, TWIN_ATOL), twinTolerance(f, TWIN_RTOL));
            assertClose(twin, written, twinTolerance(f, TWIN_ATOL), twinTolerance(f, TWIN_RTOL));
        }
    }

    /** The twins could share a bug: check the vector kernel against the function computed in double. */
    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void forwardMatchesADoubleReference(UnaryOp f) {
        Shape shape = Shape.of(67, 131);
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor in = inputs(arena, new Rng(23), f, shape), out = Tensor.zeros(arena, shape);
            ActivationCpu.unary(p, f, out, in);
            float[] x = in.toArray();
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) expected[i] = Reference64.unary(f, x[i]);
            Compare c = Compare.of(expected, Compare.toDouble(out.toArray()), REF_ATOL, REF_RTOL);
            assertTrue(c.ok(), c::describe);
        }
    }

    /** f′ at a handful of exactly representable points against (f(x+h) − f(x−h))/2h in double. */
    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void derivativeMatchesCentralDifferences(UnaryOp f) {
        float[] points = f == UnaryOp.LOG ? new float[] {0.125f, 0.5f, 1f, 2.25f, 7f}
                : new float[] {-2.5f, -1.25f, -0.375f, 0.5f, 1f, 2.25f};   // no 0: relu has no derivative there
        float[] x = tile(points);
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Shape shape = Shape.of(x.length);
            Tensor in = Tensor.of(arena, shape, x), out = Tensor.zeros(arena, shape), dIn = Tensor.zeros(arena, shape);
            ActivationCpu.unary(p, f, out, in);
            ActivationCpu.unaryBackward(p, f, dIn, Tensor.full(arena, shape, 1f), in, out);
            double[] numeric = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double h = 1e-6 * Math.max(1, Math.abs(x[i]));
                numeric[i] = (Reference64.unary(f, x[i] + h) - Reference64.unary(f, x[i] - h)) / (2 * h);
            }
            Compare c = Compare.of(numeric, Compare.toDouble(dIn.toArray()), DERIV_ATOL, DERIV_RTOL);
            assertTrue(c.ok(), c::describe);
        }
    }

    @Test
    void handWorkedValues() {
        try (Parallel p = new Parallel(1)) {
            assertTiled(p, UnaryOp.RELU, new float[] {-2, -0f, 0, 3.5f, Float.NaN},
                    new float[] {0, 0, 0, 3.5f, Float.NaN}, 0);
            // sigmoid(0) = ½; ±100 saturate without NaN, and −20 keeps its relative precision (e⁻²⁰/(1+e⁻²⁰)).
            assertTiled(p, UnaryOp.SIGMOID, new float[] {0, 100, -20},
                    new float[] {0.5f, 1f, (float) (Math.exp(-20) / (1 + Math.exp(-20)))}, 1e-6);
            // GELU at 1: Φ(1) = 0.8413447460685429; tanh form ½(1 + tanh(√(2/π)·1.044715)).
            assertTiled(p, UnaryOp.GELU_ERF, new float[] {1, -1, 0},
                    new float[] {0.8413447460685429f, -0.15865525393145707f, 0}, 1e-7);
            assertTiled(p, UnaryOp.GELU_TANH, new float[] {1, 0}, new float[] {0.8411919906082768f, 0}, 1e-7);
            assertTiled(p, UnaryOp.EXP, new float[] {0, 1, -200, 100},
                    new float[] {1, (float) Math.E, 0, Float.POSITIVE_INFINITY}, 1e-7);
            assertTiled(p, UnaryOp.TANH, new float[] {0, 20, -20}, new float[] {0, 1, -1}, 0);
        }
    }

    @Test
    void sigmoidOfVeryNegativeInputIsTinyNotNaN() {
        try (Parallel p = new Parallel(1)) {
            float[] y = applyTiled(p, UnaryOp.SIGMOID, new float[] {-100f, -1000f});
            for (float v : y) assertTrue(v >= 0 && v < 1e-40, "sigmoid(x ≪ 0) = " + v);
        }
    }

    /** log of a non-positive number gives what Math.log gives: −∞ at ±0, NaN below. */
    @Test
    void logOfNonPositiveMatchesMathLog() {
        float[] x = {0f, -0f, -1f, -1e-30f, Float.NEGATIVE_INFINITY, 1f, Float.POSITIVE_INFINITY, Float.NaN};
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) expected[i] = (float) Math.log(x[i]);
        try (Parallel p = new Parallel(1)) {
            assertTiled(p, UnaryOp.LOG, x, expected, 0);
        }
    }

    @Test
    void backwardAccumulatesIntoDIn() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Shape shape = Shape.of(3);
            Tensor in = Tensor.of(arena, shape, -1, 0, 5), out = Tensor.zeros(arena, shape);
            ActivationCpu.unary(p, UnaryOp.RELU, out, in);
            Tensor dIn = Tensor.of(arena, shape, 1, 1, 1);
            ActivationCpu.unaryBackward(p, UnaryOp.RELU, dIn, Tensor.of(arena, shape, 2, 3, 4), in, out);
            assertEquals(List.of(1f, 1f, 5f), List.of(dIn.get(0), dIn.get(1), dIn.get(2)));
            // tanh reads its derivative from out: out = 0.5 gives 1 − 0.25; in is not looked at.
            Tensor g = Tensor.of(arena, shape, 0.25f, 0.25f, 0.25f);
            ActivationCpu.unaryBackward(p, UnaryOp.TANH, g, Tensor.full(arena, shape, 2f),
                    Tensor.full(arena, shape, Float.NaN), Tensor.full(arena, shape, 0.5f));
            assertEquals(0.25f + 2 * 0.75f, g.get(2));
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void outputMayAliasInput(UnaryOp f) {
        Shape shape = Shape.of(5, 19);
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(2)) {
            Rng rng = new Rng(24);
            Tensor in = inputs(arena, rng, f, shape), ref = Tensor.zeros(arena, shape), x = Tensor.zeros(arena, shape);
            ActivationCpu.unary(p, f, ref, in);
            x.copyFrom(in);
            ActivationCpu.unary(p, f, x, x);
            assertClose(ref, x, 0, 0);

            Tensor g = rng.normal(arena, shape), gRef = Tensor.zeros(arena, shape), gAlias = Tensor.zeros(arena, shape);
            gRef.copyFrom(g);
            ActivationCpu.unaryBackward(p, f, gRef, g, in, ref);       // dIn = g + g·f′
            gAlias.copyFrom(g);
            ActivationCpu.unaryBackward(p, f, gAlias, gAlias, in, ref);  // dIn == dOut
            assertClose(gRef, gAlias, 0, 0);
        }
    }

    @Test
    void erfMatchesADoubleReference() {
        List<Float> xs = new ArrayList<>();
        for (int k = -6 * 2048; k <= 6 * 2048; k++) xs.add(k / 2048f);   // every 1/2048 over [−6, 6]
        for (double x = 1e-30; x < 1; x *= 1.1) xs.add((float) x);          // small |x|: relative precision
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[(xs.size() + lanes - 1) / lanes * lanes];
        for (int i = 0; i < xs.size(); i++) x[i] = xs.get(i);
        float[] vector = new float[x.length];
        for (int i = 0; i < x.length; i += lanes) {
            Erf.erf(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(vector, i);
        }
        double worstAbs = 0, worstSmallRel = 0;
        for (int i = 0; i < x.length; i++) {
            double ref = Reference64.erf(x[i]);
            for (float got : new float[] {vector[i], Erf.erfScalar(x[i])}) {
                worstAbs = Math.max(worstAbs, Math.abs(got - ref));
                if (x[i] != 0 && Math.abs(x[i]) < 1) {
                    worstSmallRel = Math.max(worstSmallRel, Math.abs(got - ref) / Math.abs(ref));
                }
            }
        }
        assertTrue(worstAbs <= ERF_ATOL, "erf max abs error " + worstAbs);
        assertTrue(worstSmallRel <= ERF_SMALL_RTOL, "erf max rel error for |x| < 1: " + worstSmallRel);
    }

    @Test
    void erfSpecialValues() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 100f, -100f};
        float[] expected = {Float.NaN, 1, -1, -0f, 0f, 1, -1};
        float[] padded = new float[FloatVector.SPECIES_PREFERRED.length()];
        System.arraycopy(x, 0, padded, 0, x.length);
        float[] vector = new float[padded.length];
        Erf.erf(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, padded, 0)).intoArray(vector, 0);
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], vector[i], "vector erf(" + x[i] + ")");            // equals: −0 vs 0, NaN
            assertEquals(expected[i], Erf.erfScalar(x[i]), "scalar erf(" + x[i] + ")");
        }
    }

    @Test
    void badShapesNameTheOpArgumentAndBothShapes() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor a = Tensor.zeros(arena, 3, 5), t = Tensor.zeros(arena, 5, 3);
            var e = assertThrows(IllegalArgumentException.class, () -> ActivationCpu.unary(p, UnaryOp.EXP, t, a));
            assertEquals("unary EXP: out: expected (3, 5), got (5, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ActivationCpu.unaryBackward(p, UnaryOp.GELU_ERF, a, t, a, a));
            assertEquals("unaryBackward GELU_ERF: dOut: expected (3, 5), got (5, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ActivationCpu.unaryBackwardScalar(UnaryOp.SIN, t, a, a, a));
            assertEquals("unaryBackward SIN: dIn: expected (3, 5), got (5, 3)", e.getMessage());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** The points repeated to two vectors and a tail, so that both the vector loop and the tail see each. */
    private static float[] tile(float[] points) {
        int n = 2 * FloatVector.SPECIES_PREFERRED.length() + 3;
        n = (n + points.length - 1) / points.length * points.length;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = points[i % points.length];
        return x;
    }

    private static float[] applyTiled(Parallel p, UnaryOp f, float[] points) {
        float[] x = tile(points);
        try (Arena arena = Arena.ofShared()) {
            Tensor in = Tensor.of(arena, Shape.of(x.length), x), out = Tensor.zeros(arena, in.shape());
            ActivationCpu.unary(p, f, out, in);
            return out.toArray();
        }
    }

    private static void assertTiled(Parallel p, UnaryOp f, float[] points, float[] expected, double atol) {
        float[] y = applyTiled(p, f, points), want = tile(expected);
        for (int i = 0; i < y.length; i++) {
            String what = "%s(%s) at [%d]".formatted(f, points[i % points.length], i);
            if (Float.isFinite(want[i])) assertEquals(want[i], y[i], atol, what);
            else assertEquals(want[i], y[i], what);                  // ±∞ and NaN must match exactly
        }
    }
}
