package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.check.GradCheck;
import dev.posenc.autograd.check.NaiveToeplitz;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.ToeplitzKernels;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@link RpeKernelAttention}, {@link KernelAttention} and {@link KernelFeatures} against the naive O(n²) formula. */
class KernelAttentionTest {
    /** float32 sums of n terms against the double formula: the spec's 1e-4 relative (spec §5.4). */
    private static final double RTOL = 1e-4;
    /** Outputs that are averages of O(1) values sit near 0 sometimes: an absolute floor of float32 rounding. */
    private static final double ATOL = 1e-5;
    private static final int M = 16, DV = 8, D = 8;

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** The Toeplitz routes: the backend's FFT kernels and the O(n²) definition. */
    static Stream<Arguments> exactnessCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int n : new int[] {7, 64, 211, 1000}) {
            for (boolean causal : new boolean[] {false, true}) {
                b.add(Arguments.of("fft", n, causal));
                if (n <= 211) b.add(Arguments.of("naive", n, causal));
            }
        }
        return b.build();
    }

    private static ToeplitzKernels route(String name) {
        return name.equals("naive") ? new NaiveToeplitz() : backend;
    }

    /** Features as a model makes them: PRF of unit-norm q and k (spec §5.4), v ~ N(0, 1), b ~ N(0, 0.5²). */
    private record Inputs(Tensor q, Tensor k, Tensor v, Tensor b) {
        static Inputs draw(Arena arena, long seed, int entries, int n) {
            Rng rng = new Rng(seed);
            Tensor w = KernelFeatures.gaussianProjection(arena, rng, M, D);
            try (Tape t = new Tape(backend)) {
                Tensor q = features(t, arena, rng.normal(t.arena(), Shape.of(entries, n, D)), w);
                Tensor k = features(t, arena, rng.normal(t.arena(), Shape.of(entries, n, D)), w);
                return new Inputs(q, k, rng.normal(arena, Shape.of(entries, n, DV)),
                        rng.normal(arena, Shape.of(entries, 2 * n - 1), 0f, 0.5f));
            }
        }

        private static Tensor features(Tape t, Arena arena, Tensor x, Tensor w) {
            Tensor phi = KernelFeatures.prf(t, KernelFeatures.normalize(t, t.constant(x), 1f), t.constant(w)).value();
            Tensor kept = Tensor.zeros(arena, phi.shape());
            kept.copyFrom(phi);
            return kept;
        }

        double[] reference(boolean causal, boolean withBias) {
            int e = q.shape().dim(0), n = q.shape().dim(1);
            return Reference64.kernelAttention(d(q), d(k), d(v), withBias ? d(b) : null, e, n, M, DV, e, causal);
        }
    }

    private static double[] d(Tensor t) { return Compare.toDouble(t.toArray()); }

    @ParameterizedTest(name = "{0} n={1} causal={2}")
    @MethodSource("exactnessCases")
    void rpeAttentionMatchesTheNaiveFormula(String route, int n, boolean causal) {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Inputs in = Inputs.draw(arena, 11 + n, 2, n);
            Tensor z = RpeKernelAttention.apply(tape, route(route), tape.constant(in.q), tape.constant(in.k),
                    tape.constant(in.v), tape.constant(in.b), causal).value();
            Compare cmp = Compare.of(in.reference(causal, true), d(z), ATOL, RTOL);
            assertTrue(cmp.ok(), () -> route + " n=" + n + ": " + cmp.describe());
        }
    }

    @ParameterizedTest(name = "n={0} causal={1}")
    @MethodSource("sizes")
    void kernelAttentionMatchesTheNaiveFormula(int n, boolean causal) {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Inputs in = Inputs.draw(arena, 5 + n, 2, n);
            Tensor z = KernelAttention.apply(tape, tape.constant(in.q), tape.constant(in.k), tape.constant(in.v), causal).value();
            Compare cmp = Compare.of(in.reference(causal, false), d(z), ATOL, RTOL);
            assertTrue(cmp.ok(), () -> "n=" + n + ": " + cmp.describe());
        }
    }

    static Stream<Arguments> sizes() {
        return Stream.of(7, 64, 211, 1000).flatMap(n -> Stream.of(Arguments.of(n, false), Arguments.of(n, true)));
    }

    /** b ≡ 0 makes C all ones (or the lower triangle): both ops compute the same function, gradients included. */
    @ParameterizedTest(name = "causal={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void withZeroBiasBothRoutesAgreeIncludingGradients(boolean causal) {
        int n = 33;
        try (Arena arena = Arena.ofShared()) {
            Inputs in = Inputs.draw(arena, 3, 3, n);
            Tensor zeros = Tensor.zeros(arena, Shape.of(3, 2 * n - 1));
            Tensor seed = new Rng(4).normal(arena, Shape.of(3, n, DV));
            float[][] rpe = run(in, seed, (t, v) -> RpeKernelAttention.apply(t, new NaiveToeplitz(), v.get(0), v.get(1),
                    v.get(2), t.constant(zeros), causal));
            float[][] plain = run(in, seed, (t, v) -> KernelAttention.apply(t, v.get(0), v.get(1), v.get(2), causal));
            for (int i = 0; i < rpe.length; i++) {
                Compare cmp = Compare.of(rpe[i], plain[i], ATOL, RTOL);
                assertTrue(cmp.ok(), "output/gradient " + i + ": " + cmp.describe());
            }
        }
    }

    /** Several feature chunks (forced by a tiny budget) give what one chunk gives. */
    @Test
    void chunkingChangesNothing() {
        int n = 19;
        try (Arena arena = Arena.ofShared()) {
            Inputs in = Inputs.draw(arena, 8, 2, n);
            Tensor seed = new Rng(9).normal(arena, Shape.of(2, n, DV));
            float[][] one = run(in, seed, (t, v) -> RpeKernelAttention.apply(t, new NaiveToeplitz(), v.get(0), v.get(1),
                    v.get(2), v.get(3), false, Long.MAX_VALUE));
            // 2·19·9 floats per feature: a budget of 3 features leaves chunks of 3, 3, ..., 1
            float[][] many = run(in, seed, (t, v) -> RpeKernelAttention.apply(t, new NaiveToeplitz(), v.get(0), v.get(1),
                    v.get(2), v.get(3), false, 3L * 2 * n * (DV + 1)));
            for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], many[i], 1e-6f, "output/gradient " + i);
        }
    }

    /**
     * The FFT route gives the same bits on 1 and 2 threads, and again on a second run (after the JIT compiled more of
     * it): the Toeplitz work split is fixed and the lane sums of the dot products go in a fixed tree.
     */
    @Test
    void sameBitsOnOneAndTwoThreads() {
        int n = 300;
        try (Arena arena = Arena.ofShared(); CpuBackend one = new CpuBackend(1)) {
            Inputs in = Inputs.draw(arena, 8, 2, n);
            Tensor seed = new Rng(11).normal(arena, Shape.of(2, n, DV));
            GradCheck.EngineOp op = (t, v) -> RpeKernelAttention.apply(t, v.get(0), v.get(1), v.get(2), v.get(3), false);
            float[][] first = run(one, in, seed, op);
            for (Backend be : new Backend[] {backend, one, backend}) {
                float[][] again = run(be, in, seed, op);
                for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], again[i], "output/gradient " + i + ", " + be.threads() + " threads");
            }
        }
    }

    /** Output, then the gradients of q, k, v (and b if used) under seed R. */
    private static float[][] run(Inputs in, Tensor seed, GradCheck.EngineOp op) { return run(backend, in, seed, op); }

    private static float[][] run(Backend be, Inputs in, Tensor seed, GradCheck.EngineOp op) {
        try (Tape t = new Tape(be)) {
            List<Var> vars = List.of(t.variable(in.q), t.variable(in.k), t.variable(in.v), t.variable(in.b));
            Var z = op.apply(t, vars);
            t.backward(z, seed);
            float[][] out = new float[5][];
            out[0] = z.value().toArray();
            for (int i = 0; i < 3; i++) out[i + 1] = vars.get(i).grad().toArray();
            out[4] = vars.get(3).grad().toArray();           // zeros where b was not used
            return out;
        }
    }

    @ParameterizedTest(name = "causal={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void gradientOfEveryInputOnTheNaiveRoute(boolean causal) {
        int e = 2, n = 9, m = 3, dv = 2;
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(21);
            List<Tensor> in = List.of(rng.uniform(arena, Shape.of(e, n, m), 0.5f, 2f), rng.uniform(arena, Shape.of(e, n, m), 0.5f, 2f),
                    rng.normal(arena, Shape.of(e, n, dv)), rng.normal(arena, Shape.of(1, 2 * n - 1)));
            GradCheck.Report r = GradCheck.check(backend, "rpe_naive", (t, v) -> RpeKernelAttention.apply(t, new NaiveToeplitz(),
                            v.get(0), v.get(1), v.get(2), v.get(3), causal),
                    x -> Reference64.kernelAttention(x.get(0), x.get(1), x.get(2), x.get(3), e, n, m, dv, 1, causal), in, 5);
            assertTrue(r.within(GradCheck.DEFAULT_TOLERANCE), r::describe);
        }
    }

    /**
     * By hand, n = 2, m = dv = 1: φq = (1, 1), φk = (1, 2), v = (3, 5), b over offsets (−1, 0, 1) = (0, 0, ln 2).
     * z_0 = (1·1·3 + 1·2·5)/(1·1 + 1·2) = 13/3 (offset −1 has c = 1); z_1 = (2·1·3 + 1·2·5)/(2·1 + 1·2) = 4.
     * Causal: z_0 = 3 (only j = 0), z_1 = 4 (unchanged: no future token).
     */
    @Test
    void aCaseWorkedByHand() {
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Var q = t.constant(Tensor.of(arena, Shape.of(1, 2, 1), 1, 1)), k = t.constant(Tensor.of(arena, Shape.of(1, 2, 1), 1, 2));
            Var v = t.constant(Tensor.of(arena, Shape.of(1, 2, 1), 3, 5));
            Var b = t.constant(Tensor.of(arena, Shape.of(1, 3), 0, 0, (float) Math.log(2)));
            for (ToeplitzKernels tk : List.of(new NaiveToeplitz(), backend)) {
                assertArrayEquals(new float[] {13f / 3, 4f}, RpeKernelAttention.apply(t, tk, q, k, v, b, false).value().toArray(), 1e-5f);
                assertArrayEquals(new float[] {3f, 4f}, RpeKernelAttention.apply(t, tk, q, k, v, b, true).value().toArray(), 1e-5f);
            }
        }
    }

    @Test
    void badInputIsNamed() {
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Var q = t.constant(Tensor.zeros(arena, 2, 5, 3)), v = t.constant(Tensor.zeros(arena, 2, 5, 4));
            Var b = t.constant(Tensor.zeros(arena, 2, 9));
            NaiveToeplitz tk = new NaiveToeplitz();
            assertMessage("b: expected (H, 2n − 1)", () -> RpeKernelAttention.apply(t, tk, q, q, v, t.constant(Tensor.zeros(arena, 2, 8)), false));
            assertMessage("k: expected (2, 5, 3)", () -> RpeKernelAttention.apply(t, tk, q, t.constant(Tensor.zeros(arena, 2, 4, 3)), v, b, false));
            assertMessage("v: expected q's leading axes (2, 5)", () -> KernelAttention.apply(t, q, q, t.constant(Tensor.zeros(arena, 2, 6, 4)), false));
            Var empty = t.constant(Tensor.zeros(arena, 2, 0, 3));
            assertMessage("q: expected n ≥ 1 tokens", () -> KernelAttention.apply(t, empty, empty, t.constant(Tensor.zeros(arena, 2, 0, 4)), false));
            assertMessage("feature count m > 0, got 0", () -> KernelFeatures.gaussianProjection(arena, new Rng(1), 0, 3));
            assertMessage("feature count m > 0, got -2", () -> KernelFeatures.orthogonalProjection(arena, new Rng(1), -2, 3));
        }
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
    }

    /** PRF is unbiased: E[φ(x)ᵀφ(y)] = exp(xᵀy). With m = 8192 features the mean over features is within a few %. */
    @Test
    void positiveRandomFeaturesEstimateTheSoftmaxKernel() {
        int m = 8192, d = 4;
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Tensor x = Tensor.of(arena, Shape.of(2, d), 0.3f, -0.2f, 0.5f, 0.1f, 0.4f, 0.4f, -0.1f, 0.2f);
            for (Tensor w : List.of(KernelFeatures.gaussianProjection(arena, new Rng(3), m, d),
                    KernelFeatures.orthogonalProjection(arena, new Rng(3), m, d))) {
                Tensor phi = KernelFeatures.prf(t, t.constant(x), t.constant(w)).value();
                double est = 0;
                for (int r = 0; r < m; r++) est += (double) phi.get(0, r) * phi.get(1, r);
                double exact = Math.exp(0.3 * 0.4 - 0.2 * 0.4 - 0.5 * 0.1 + 0.1 * 0.2);
                assertEquals(exact, est, 0.03 * exact);
            }
        }
    }

    /** Orthogonal features: rows within a block of d are orthogonal; every row has a chi-distributed norm. */
    @Test
    void orthogonalProjectionRowsAreOrthogonalWithinABlock() {
        int d = 5;
        try (Arena arena = Arena.ofShared()) {
            Tensor w = KernelFeatures.orthogonalProjection(arena, new Rng(2), 12, d);
            for (int i = 0; i < 12; i++) {
                for (int j = (i / d) * d; j < i; j++) {
                    double dot = 0, ni = 0, nj = 0;
                    for (int c = 0; c < d; c++) { dot += w.get(i, c) * w.get(j, c); ni += w.get(i, c) * w.get(i, c); nj += w.get(j, c) * w.get(j, c); }
                    assertEquals(0, dot / Math.sqrt(ni * nj), 1e-5, "rows " + i + ", " + j);
                }
            }
            assertNotEquals(w.get(0, 0), KernelFeatures.orthogonalProjection(arena, new Rng(3), 12, d).get(0, 0),
                    "a new seed redraws the projection");
        }
    }
}
