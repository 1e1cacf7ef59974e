package dev.posenc.models.analysis.ntk;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.encodings.EncodingParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The structured NTK against J·Jᵀ, its double twin, the linear model's Gram matrix, and a kernel's invariants. */
class NtkTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** Odd sizes everywhere, so vector tails and partial blocks run. */
    static final int[] HIDDEN = {17, 13};
    static final int POINTS = 9;
    /** Float32 routes that sum P ≈ 10³ products in different orders: 1e-4 of the kernel's scale (the brief's bound). */
    static final double FLOAT_TOL = 1e-4;
    /** Two double routes over the same weights: only rounding of ~10³-term sums separates them. */
    static final double DOUBLE_TOL = 1e-9;

    static EncodingParams small(int dims) {
        return NtkNetwork.params(dims, 3, 3).toBuilder().gaussianFeatures(11).perAxis(5).fourierDims(14).hidden(7)
                .outputDims(9).build();
    }

    /** N positions in [0, 1)^dims, seeded. */
    static Tensor positions(Arena arena, int n, int dims, long seed) {
        Tensor x = Tensor.zeros(arena, Shape.of(n, dims));
        new Rng(seed).fillUniform(x, 0f, 1f);
        return x;
    }

    static Tensor structured(Arena arena, NtkNetwork net, Tensor x) {
        Tensor k = Tensor.zeros(arena, Shape.of(x.rows(), x.rows()));
        StructuredNtk.compute(backend, net, x, k);
        return k;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "basic", "positional", "gaussian", "lff"})
    void structuredEqualsNaiveJacobianProductInFloat(String encoding) {
        for (int dims = 1; dims <= 2; dims++) {
            try (Arena arena = Arena.ofShared(); NtkNetwork net = NtkNetwork.create(encoding, small(dims), HIDDEN, 5)) {
                Tensor x = positions(arena, POINTS, dims, 11);
                Tensor naive = Tensor.zeros(arena, Shape.of(POINTS, POINTS));
                NaiveNtk.compute(backend, net, x, naive);
                float[] expected = naive.toArray();
                Compare c = Compare.of(expected, structured(arena, net, x).toArray(), FLOAT_TOL * maxAbs(expected), 0);
                assertTrue(c.ok(), () -> encoding + " " + net.inputDims() + "-D: " + c.describe());
            }
        }
    }

    @Test
    void doubleTwinsAgreeToRoundingAndTheFloatCodeFollowsThem() {
        try (Arena arena = Arena.ofShared(); NtkNetwork net = NtkNetwork.create("gaussian", small(1), HIDDEN, 3)) {
            Tensor x = positions(arena, POINTS, 1, 4);
            Tensor phi;
            try (Tape tape = new Tape(backend); var _ = tape.noGrad()) {
                phi = Tensor.zeros(arena, Shape.of(POINTS, net.encoding().outputDims()));
                phi.copyFrom(net.encoding().apply(tape, tape.constant(x)).value());
            }
            Ntk64.Mlp64 mlp = Ntk64.Mlp64.of(net);
            double[] features = Compare.toDouble(phi.toArray());
            double[] naive = Ntk64.naive(mlp, features, POINTS), structured = Ntk64.structured(mlp, features, POINTS);
            double scale = Compare.of(naive, new double[naive.length], 0, 0).maxAbsError();
            Compare twins = Compare.of(naive, structured, DOUBLE_TOL * scale, 0);
            assertTrue(twins.ok(), twins::describe);
            Compare f32 = Compare.of(structured, Compare.toDouble(structured(arena, net, x).toArray()), FLOAT_TOL * scale, 0);
            assertTrue(f32.ok(), f32::describe);
        }
    }

    @Test
    void aLinearModelOnFixedFeaturesHasTheFeaturesGramMatrixAsItsKernel() {
        try (Arena arena = Arena.ofShared(); NtkNetwork net = NtkNetwork.create("gaussian", small(1), new int[0], 2)) {
            Tensor x = positions(arena, POINTS, 1, 8);
            float[] phi;
            try (Tape tape = new Tape(backend); var _ = tape.noGrad()) {
                phi = net.encoding().apply(tape, tape.constant(x)).value().toArray();
            }
            int d = net.encoding().outputDims();
            double[] gram = new double[POINTS * POINTS];   // [φ ‖ 1]·[φ ‖ 1]ᵀ: the bias is a weight on a constant 1
            for (int i = 0; i < POINTS; i++) {
                for (int j = 0; j < POINTS; j++) {
                    double s = 1;
                    for (int k = 0; k < d; k++) s += (double) phi[i * d + k] * phi[j * d + k];
                    gram[i * POINTS + j] = s;
                }
            }
            // one float product of 23 terms per entry: a few ulps of the largest
            Compare c = Compare.of(gram, Compare.toDouble(structured(arena, net, x).toArray()), 1e-6 * d, 0);
            assertTrue(c.ok(), c::describe);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gaussian", "lff"})
    void theKernelIsSymmetricPositiveSemidefiniteAndFollowsAPermutationOfThePoints(String encoding) {
        int n = 17;
        try (Arena arena = Arena.ofShared(); NtkNetwork net = NtkNetwork.create(encoding, small(1), HIDDEN, 9)) {
            Tensor x = positions(arena, n, 1, 21);
            float[] k = structured(arena, net, x).toArray();
            double scale = maxAbs(k);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertEquals(k[i * n + j], k[j * n + i], 1e-6 * scale, "symmetric at (" + i + ", " + j + ")");
                }
            }
            double[] values = SymmetricEigen.of(Compare.toDouble(k), n, false).values();
            assertTrue(values[0] > 0, "a nonzero kernel");
            // PSD: the smallest eigenvalue is at worst float rounding below 0
            assertTrue(values[n - 1] >= -1e-5 * values[0], () -> "λ_min = " + values[n - 1] + ", λ_max = " + values[0]);

            int[] perm = new int[n];
            for (int i = 0; i < n; i++) perm[i] = (7 * i + 3) % n;    // 7 is coprime with 17: a permutation
            Tensor px = Tensor.zeros(arena, x.shape());
            for (int i = 0; i < n; i++) px.set(i, 0, x.get(perm[i], 0));
            float[] pk = structured(arena, net, px).toArray();
            double[] expected = new double[n * n], actual = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    expected[i * n + j] = k[perm[i] * n + perm[j]];
                    actual[i * n + j] = pk[i * n + j];
                }
            }
            Compare c = Compare.of(expected, actual, 1e-5 * scale, 0);
            assertTrue(c.ok(), c::describe);
        }
    }
}
