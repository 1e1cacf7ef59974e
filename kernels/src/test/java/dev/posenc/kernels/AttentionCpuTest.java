package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
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

class AttentionCpuTest {
    /** Vector vs twin: the same Exp, but d-term dots summed in another order, through P·v.
     *  Measured worst: 6e-7 absolute (AVX-512, d = 64). */
    static final double TWIN_ATOL = 2e-6, TWIN_RTOL = 1e-5;
    /** Forward vs the f64 softmax: float scores (d ≤ 64 terms, ~1e-6 relative) move p by ~1e-6·|s|, |s| ≲ 10. */
    static final double REF_ATOL = 2e-5, REF_RTOL = 1e-4;
    /** Gradients vs f64: dS = P ⊙ (dP − D) cancels terms of size ~|dOut|·|v|·√d, so errors are absolute. */
    static final double GRAD_ATOL = 3e-5, GRAD_RTOL = 1e-4;
    // Both reference checks also pass at a tenth of these tolerances (AVX-512); the margin is for other SIMD widths.

    static Parallel one, two;

    @BeforeAll static void start() { one = new Parallel(1); two = new Parallel(2); }

    @AfterAll static void stop() { one.close(); two.close(); }

    /** (N, Tq, Tk, d, block q, block k): T = 1, primes, d = 8/16/32/64 and ragged; small blocks force many. */
    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        for (int d : new int[] {1, 5, 8, 16, 17, 32, 33, 64}) {
            list.add(Arguments.of(2, 1, 1, d, AttentionCpu.BLOCK_Q, AttentionCpu.BLOCK_K));
            list.add(Arguments.of(3, 13, 13, d, AttentionCpu.BLOCK_Q, AttentionCpu.BLOCK_K));
            list.add(Arguments.of(1, 67, 131, d, AttentionCpu.BLOCK_Q, AttentionCpu.BLOCK_K)); // 3 key blocks, ragged
            list.add(Arguments.of(5, 17, 17, d, 3, 5));                                         // ragged small blocks
        }
        list.add(Arguments.of(1, 7, 1, 16, 2, 1));   // one key: p = 1, out = v
        list.add(Arguments.of(4, 50, 50, 16, 32, 64)); // the ViT's shape: 7 × 7 patches and a class token
        return list.stream();
    }

    @ParameterizedTest @MethodSource("shapes")
    void matchesTwinAndDoubleReference(int n, int tq, int tk, int d, int bq, int bk) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(((n * 131L + tq) * 257 + tk) * 97 + d);
            Tensor q = rng.normal(arena, Shape.of(n, tq, d)), k = rng.normal(arena, Shape.of(n, tk, d));
            Tensor v = rng.normal(arena, Shape.of(n, tk, d)), dOut = rng.normal(arena, q.shape());
            float scale = (float) (1 / Math.sqrt(d));
            Tensor out = Tensor.zeros(arena, q.shape()), lse = Tensor.zeros(arena, n, tq);
            Tensor outS = Tensor.zeros(arena, q.shape()), lseS = Tensor.zeros(arena, n, tq);
            AttentionCpu.forward(two, out, lse, q, k, v, scale, bq, bk, true);
            AttentionCpu.forward(null, outS, lseS, q, k, v, scale, bq, bk, false);
            check(Compare.of(outS, out, TWIN_ATOL, TWIN_RTOL));
            check(Compare.of(lseS, lse, TWIN_ATOL, TWIN_RTOL));

            Reference ref = reference(q.toArray(), k.toArray(), v.toArray(), dOut.toArray(), n, tq, tk, d, scale);
            check(Compare.of(ref.out, Compare.toDouble(out.toArray()), REF_ATOL, REF_RTOL));
            check(Compare.of(ref.lse, Compare.toDouble(lse.toArray()), REF_ATOL, REF_RTOL));

            Tensor[] vec = grads(arena, q, k), sca = grads(arena, q, k);
            AttentionCpu.backward(two, vec[0], vec[1], vec[2], dOut, out, lse, q, k, v, scale, bq, bk, true);
            AttentionCpu.backward(null, sca[0], sca[1], sca[2], dOut, out, lse, q, k, v, scale, bq, bk, false);
            double[][] expected = {ref.dq, ref.dk, ref.dv};
            for (int g = 0; g < 3; g++) {
                check(Compare.of(sca[g], vec[g], TWIN_ATOL * 10, TWIN_RTOL * 10)); // the backward sums Tk more terms
                check(Compare.of(expected[g], Compare.toDouble(vec[g].toArray()), GRAD_ATOL, GRAD_RTOL));
            }
        }
    }

    @Test
    void backwardAccumulatesAndSkipsNullGradients() {
        try (Arena arena = Arena.ofShared()) {
            int n = 2, t = 9, d = 17;
            Rng rng = new Rng(11);
            Tensor q = rng.normal(arena, Shape.of(n, t, d)), k = rng.normal(arena, q.shape()), v = rng.normal(arena,
                    q.shape());
            Tensor dOut = rng.normal(arena, q.shape()), out = Tensor.zeros(arena, q.shape()), lse = Tensor.zeros(arena,
                    n, t);
            AttentionCpu.forward(two, out, lse, q, k, v, 0.3f);
            Tensor[] fromZero = grads(arena, q, k);
            AttentionCpu.backward(two, fromZero[0], fromZero[1], fromZero[2], dOut, out, lse, q, k, v, 0.3f);
            Tensor init = rng.normal(arena, q.shape()), acc = Tensor.zeros(arena, q.shape()),
                    onlyDv = Tensor.zeros(arena, q.shape());
            acc.copyFrom(init);
            AttentionCpu.backward(two, acc, null, null, dOut, out, lse, q, k, v, 0.3f);
            AttentionCpu.backward(two, null, null, onlyDv, dOut, out, lse, q, k, v, 0.3f);
            float[] expected = init.toArray(), dq = fromZero[0].toArray();
            for (int i = 0; i < expected.length; i++) expected[i] += dq[i];
            check(Compare.of(expected, acc.toArray(), 1e-6, 1e-6));
            check(Compare.of(fromZero[2], onlyDv, 0, 0));
        }
    }

    @Test
    void handWorked() {
        try (Arena arena = Arena.ofShared()) {
            // One query q = 1 against keys ln 3 and 0 (d = 1, scale 1): p = [3/4, 1/4]; v = [1, 3] gives
            // out = 3/4 + 3/4 = 1.5 and logsumexp = log(3 + 1). With dOut = 1: D = 1.5, dv = p = [3/4, 1/4],
            // dS = p ⊙ (v − D) = [−3/8, 3/8], dq = dS·k = −3/8·ln 3, dk = dS·q = [−3/8, 3/8].
            Tensor q = Tensor.of(arena, Shape.of(1, 1, 1), 1f), k = Tensor.of(arena, Shape.of(1, 2, 1),
                    (float) Math.log(3), 0f);
            Tensor v = Tensor.of(arena, Shape.of(1, 2, 1), 1f, 3f), dOut = Tensor.of(arena, Shape.of(1, 1, 1), 1f);
            Tensor out = Tensor.zeros(arena, q.shape()), lse = Tensor.zeros(arena, 1, 1);
            AttentionCpu.forward(one, out, lse, q, k, v, 1f);
            assertEquals(1.5f, out.get(0), 1e-6f);
            assertEquals((float) Math.log(4), lse.get(0), 1e-6f);
            Tensor dq = Tensor.zeros(arena, q.shape()), dk = Tensor.zeros(arena, k.shape()), dv = Tensor.zeros(arena,
                    k.shape());
            AttentionCpu.backward(one, dq, dk, dv, dOut, out, lse, q, k, v, 1f);
            check(Compare.of(new float[] {(float) (-0.375 * Math.log(3))}, dq.toArray(), 1e-6, 1e-6));
            check(Compare.of(new float[] {-0.375f, 0.375f}, dk.toArray(), 1e-6, 1e-6));
            check(Compare.of(new float[] {0.75f, 0.25f}, dv.toArray(), 1e-6, 1e-6));
        }
    }

    @Test
    void largeScoresStayFinite() {
        try (Arena arena = Arena.ofShared()) {
            int n = 1, t = 70, d = 16;  // two key blocks: the running max must rescale across them
            Rng rng = new Rng(3);
            Tensor q = rng.normal(arena, Shape.of(n, t, d), 0f, 30f), k = rng.normal(arena, q.shape(), 0f, 30f);
            Tensor v = rng.normal(arena, q.shape()), out = Tensor.zeros(arena, q.shape()), lse = Tensor.zeros(arena, n,
                    t);
            AttentionCpu.forward(two, out, lse, q, k, v, 1f); // scores ~ ±1e4
            Reference ref = reference(q.toArray(), k.toArray(), v.toArray(), new float[n * t * d], n, t, t, d, 1f);
            for (float f : out.toArray()) assertTrue(Float.isFinite(f));
            // Scores of 1e4 carry float rounding of ~1e-3, which moves near-tied probabilities: absolute tolerance.
            check(Compare.of(ref.out, Compare.toDouble(out.toArray()), 2e-2, 0));
        }
    }

    @Test
    void badShapesAreRejectedWithTheArgumentNamed() {
        try (Arena arena = Arena.ofShared()) {
            Tensor q = Tensor.zeros(arena, 2, 5, 8), k = Tensor.zeros(arena, 2, 7, 8), lse = Tensor.zeros(arena, 2, 5);
            Tensor out = Tensor.zeros(arena, q.shape());
            var e = assertThrows(IllegalArgumentException.class,
                    () -> AttentionCpu.forward(one, out, lse, q, Tensor.zeros(arena, 2, 7, 9), Tensor.zeros(arena, 2,
                            7, 9), 1f));
            assertTrue(e.getMessage().contains("k:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> AttentionCpu.forward(one, out, lse, q, k, Tensor.zeros(arena, 2, 6, 8), 1f));
            assertTrue(e.getMessage().contains("v:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> AttentionCpu.forward(one, out, Tensor.zeros(arena, 2, 7), q, k, k, 1f));
            assertTrue(e.getMessage().contains("logsumexp: expected (2, 5)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> AttentionCpu.forward(one, q, lse, q, k, k, 1f));
            assertTrue(e.getMessage().contains("overlapping"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the f64 reference: the table of rules

    record Reference(double[] out, double[] lse, double[] dq, double[] dk, double[] dv) {}

    /** out and the gradients from the table; lse_i = s_ij − log_softmax(s)_ij (any j) from the table's pieces. */
    static Reference reference(float[] q, float[] k, float[] v, float[] dOut, int n, int tq, int tk, int d,
            double scale) {
        double[] q64 = Compare.toDouble(q), k64 = Compare.toDouble(k), v64 = Compare.toDouble(v);
        double[] s = Reference64.scale(Reference64.batchedMatmul(q64, k64, n, tq, d, tk, MatmulForm.NT), scale);
        double[] logP = Reference64.logSoftmax(s, n * tq, tk), lse = new double[n * tq];
        for (int row = 0; row < n * tq; row++) lse[row] = s[row * tk] - logP[row * tk];
        double[][] g = Reference64.attentionBackward(Compare.toDouble(dOut), q64, k64, v64, n, tq, tk, d, scale, false);
        return new Reference(Reference64.attention(q64, k64, v64, n, tq, tk, d, scale, false), lse, g[0], g[1], g[2]);
    }

    private static Tensor[] grads(Arena arena, Tensor q, Tensor k) {
        return new Tensor[] {Tensor.zeros(arena, q.shape()), Tensor.zeros(arena, k.shape()), Tensor.zeros(arena,
                k.shape())};
    }

    private static void check(Compare c) { assertTrue(c.ok(), c::describe); }
}
