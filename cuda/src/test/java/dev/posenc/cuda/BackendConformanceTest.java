package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Backend} op, run on a subject backend and on the reference (the CPU backend on one thread),
 * compared under |a − b| ≤ atol + rtol·|ref|. Subjects: the CPU backend on 3 threads (always, so this test
 * itself runs in CI), CUDA fp32 and CUDA TF32 (skipped with the probe's reason where there is no GPU).
 * Inputs are seeded and rebuilt for each backend; sizes are odd and span several tiles and vector tails.
 */
class BackendConformanceTest {
    /** add, sub, mul, scale, axpy, fill: one rounding each; FMA vs mul+add may differ by 1 ulp. */
    static final double EXACT_ATOL = 1e-7, EXACT_RTOL = 1e-6;
    /** exp, tanh, erf, sin...: CUDA's libdevice (≤ 2 ulp) vs posenc's polynomials and the Vector API's tanh and log. */
    static final double TRANSCENDENTAL_ATOL = 1e-6, TRANSCENDENTAL_RTOL = 1e-5;
    /** Sums of up to ~100 terms of size ~1 in a different order (warp trees vs vector lanes). */
    static final double REDUCTION_ATOL = 2e-5, REDUCTION_RTOL = 1e-5;
    /** fp32 matmul with K ≤ 130: different blocking changes the summation order. */
    static final double MATMUL_ATOL = 1e-4, MATMUL_RTOL = 1e-4;
    /** TF32 rounds inputs to 10 mantissa bits (2⁻¹¹ ≈ 5e-4 relative per product); K = 130 terms of N(0,1)². */
    static final double TF32_ATOL = 3e-2, TF32_RTOL = 1e-2;
    /** K = 5000 products of unit normals (|out| ~ 70), summed in slices on the GPU, in chunks on the CPU. */
    static final double SPLIT_K_ATOL = 2e-3;
    /** TF32's ~1e-3 relative error per product over K = 5000 (|out| ~ 70): a few tenths. */
    static final double SPLIT_K_TF32_ATOL = 0.5;
    /** Fourier: z = x·wᵀ up to |z| ≈ 40 has an ulp of 4e-6, and sin/cos pass that error on, times scale. */
    static final double FOURIER_ATOL = 1e-5, FOURIER_RTOL = 1e-5;
    /** Fourier dw sums N = 301 terms, in chunk partials on the GPU, in another order on the CPU. */
    static final double FOURIER_GRAD_ATOL = 2e-4, FOURIER_GRAD_RTOL = 1e-4;
    /**
     * Toeplitz through an FFT: round-off of about ε·log₂L·‖w‖₂·‖x column‖₂ per output (≈ 6e-8·10·17·17 for
     * n = 301 of N(0, 1) x and w in [0.5, 1.5]), and the same for dw with ‖dOut column‖₂ in place of ‖w‖₂.
     */
    static final double TOEPLITZ_ATOL = 2e-3, TOEPLITZ_RTOL = 1e-4;

    /** The Toeplitz atol at length n: ‖w‖₂·‖x column‖₂ grows as n, so the bound above scales with n / 301. */
    static double toeplitzAtol(int n) { return TOEPLITZ_ATOL * Math.max(1, n / 301.0); }

    record Subject(String name, Backend backend, String reason, boolean tf32) {
        @Override public String toString() { return name; }
    }

    private static Backend reference;
    private static final List<Subject> SUBJECTS = new ArrayList<>();

    @BeforeAll static void open() {
        if (!SUBJECTS.isEmpty()) return;
        reference = new CpuBackend(1);
        SUBJECTS.add(new Subject("cpu-3-threads", new CpuBackend(3), "", false));
        for (boolean tf32 : new boolean[] {false, true}) {
            String name = tf32 ? "cuda-tf32" : "cuda-fp32";
            SUBJECTS.add(switch (CudaBackend.open(tf32, Boolean.getBoolean("posenc.cuda.sync"))) {
                case CudaBackend.Opened o -> new Subject(name, HostStaged.over(o.backend()), "", tf32);
                case CudaBackend.Unavailable u -> new Subject(name, null, u.reason(), tf32);
            });
        }
    }

    @AfterAll static void close() {
        reference.close();
        for (Subject s : SUBJECTS) if (s.backend() != null) s.backend().close();
        SUBJECTS.clear();
    }

    static Stream<Subject> subjects() {
        open();   // already done by @BeforeAll in practice; idempotent
        return SUBJECTS.stream();
    }

    /** Runs {@code op} (which builds seeded inputs and returns its outputs) on both backends and compares. */
    private static void agree(Subject s, String what, double atol, double rtol, BiFunction<Backend, Arena, float[]> op) {
        assumeTrue(s.backend() != null, () -> s.name() + " not available: " + s.reason());
        try (Arena arena = Arena.ofShared()) {
            float[] expected = op.apply(reference, arena), actual = op.apply(s.backend(), arena);
            Compare c = Compare.of(expected, actual, atol, rtol);
            assertTrue(c.ok(), () -> s.name() + " " + what + ": " + c.describe());
        }
    }

    private static float[] concat(Tensor... ts) {
        int n = 0;
        for (Tensor t : ts) n += (int) t.size();
        float[] all = new float[n];
        int at = 0;
        for (Tensor t : ts) {
            float[] a = t.toArray();
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }

    private static Tensor normal(Arena arena, long seed, int... dims) { return new Rng(seed).normal(arena, Shape.of(dims)); }

    @ParameterizedTest @MethodSource("subjects")
    void matmulEveryFormAndAccumulate(Subject s) {
        double atol = s.tf32() ? TF32_ATOL : MATMUL_ATOL, rtol = s.tf32() ? TF32_RTOL : MATMUL_RTOL;
        int m = 70, n = 65, k = 130;   // two 64-tiles each way, ragged edges, K not a multiple of 16
        for (MatmulForm form : MatmulForm.values()) {
            for (boolean acc : new boolean[] {false, true}) {
                agree(s, "matmul " + form + " accumulate=" + acc, atol, rtol, (b, arena) -> {
                    Tensor a = form == MatmulForm.TN ? normal(arena, 1, k, m) : normal(arena, 1, m, k);
                    Tensor bb = form == MatmulForm.NT ? normal(arena, 2, n, k) : normal(arena, 2, k, n);
                    Tensor out = normal(arena, 3, m, n);
                    b.matmul(out, a, bb, form, acc);
                    return out.toArray();
                });
            }
        }
    }

    @ParameterizedTest @MethodSource("subjects")
    void batchedMatmul(Subject s) {
        double atol = s.tf32() ? TF32_ATOL : MATMUL_ATOL, rtol = s.tf32() ? TF32_RTOL : MATMUL_RTOL;
        agree(s, "batchedMatmul NT", atol, rtol, (b, arena) -> {
            Tensor q = normal(arena, 4, 3, 17, 33), kk = normal(arena, 5, 3, 19, 33), out = Tensor.zeros(arena, 3, 17, 19);
            b.batchedMatmul(out, q, kk, MatmulForm.NT, false);
            return out.toArray();
        });
    }

    @ParameterizedTest @MethodSource("subjects")
    void elementwise(Subject s) {
        agree(s, "add/sub/mul/addRowBroadcast/scale/axpy/fill", EXACT_ATOL, EXACT_RTOL, (b, arena) -> {
            Tensor x = normal(arena, 6, 17, 33), y = normal(arena, 7, 17, 33), row = normal(arena, 8, 33);
            Tensor add = Tensor.zeros(arena, 17, 33), sub = Tensor.zeros(arena, 17, 33), mul = Tensor.zeros(arena, 17, 33);
            Tensor bro = Tensor.zeros(arena, 17, 33), sc = Tensor.zeros(arena, 17, 33), ax = normal(arena, 9, 17, 33);
            Tensor fill = Tensor.zeros(arena, 5, 3);
            b.add(add, x, y);
            b.sub(sub, x, y);
            b.mul(mul, x, y);
            b.addRowBroadcast(bro, x, row);
            b.scale(sc, x, -1.75f);
            b.axpy(ax, 0.3f, x);
            b.fill(fill, 2.5f);
            return concat(add, sub, mul, bro, sc, ax, fill);
        });
    }

    @ParameterizedTest @MethodSource("subjects")
    void unaryForwardAndBackwardForEveryOp(Subject s) {
        for (UnaryOp f : UnaryOp.values()) {
            agree(s, "unary " + f, TRANSCENDENTAL_ATOL, TRANSCENDENTAL_RTOL, (b, arena) -> {
                // LOG needs positive inputs; the others see both signs and |x| up to ~4
                Tensor in = f == UnaryOp.LOG ? new Rng(10).uniform(arena, Shape.of(9, 37), 0.1f, 4f)
                        : new Rng(10).uniform(arena, Shape.of(9, 37), -4f, 4f);
                Tensor out = Tensor.zeros(arena, 9, 37), dIn = normal(arena, 11, 9, 37), dOut = normal(arena, 12, 9, 37);
                b.unary(f, out, in);
                b.unaryBackward(f, dIn, dOut, in, out);
                return concat(out, dIn);
            });
        }
    }

    @ParameterizedTest @MethodSource("subjects")
    void reductions(Subject s) {
        agree(s, "sumRows/sumCols", REDUCTION_ATOL, REDUCTION_RTOL, (b, arena) -> {
            Tensor in = normal(arena, 13, 301, 37);   // 301 rows: several row chunks on the GPU
            Tensor cs = normal(arena, 14, 37), rs = normal(arena, 15, 301), cs2 = Tensor.zeros(arena, 37);
            b.sumRows(cs, in, 0.5f, true);
            b.sumRows(cs2, in, 1f, false);
            b.sumCols(rs, in, 2f, true);
            return concat(cs, cs2, rs);
        });
        agree(s, "sum", REDUCTION_ATOL, REDUCTION_RTOL, (b, arena) -> new float[] {(float) b.sum(normal(arena, 16, 1001, 3))});
        assumeTrue(s.backend() != null, s.reason());
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = normal(arena, 17, 5, 301);
            assertTrue(s.backend().allFinite(t));
            t.set(1234, Float.POSITIVE_INFINITY);
            assertFalse(s.backend().allFinite(t));
            t.set(1234, Float.NaN);
            assertFalse(s.backend().allFinite(t));
        }
    }

    @ParameterizedTest @MethodSource("subjects")
    void softmaxAndLogSoftmax(Subject s) {
        agree(s, "softmax/logSoftmax and backwards", TRANSCENDENTAL_ATOL, TRANSCENDENTAL_RTOL, (b, arena) -> {
            Tensor in = new Rng(18).normal(arena, Shape.of(7, 301), 0f, 3f);
            Tensor sm = Tensor.zeros(arena, 7, 301), lsm = Tensor.zeros(arena, 7, 301), dOut = normal(arena, 19, 7, 301);
            Tensor d1 = normal(arena, 20, 7, 301), d2 = normal(arena, 21, 7, 301);
            b.softmax(sm, in);
            b.softmaxBackward(d1, dOut, sm);
            b.logSoftmax(lsm, in);
            b.logSoftmaxBackward(d2, dOut, lsm);
            return concat(sm, d1, lsm, d2);
        });
    }

    @ParameterizedTest @MethodSource("subjects")
    void layerNormForwardAndBackward(Subject s) {
        agree(s, "layerNorm", REDUCTION_ATOL, REDUCTION_RTOL, (b, arena) -> {
            Tensor in = new Rng(22).normal(arena, Shape.of(131, 37), 1f, 2f), gamma = normal(arena, 23, 37),
                    beta = normal(arena, 24, 37), out = Tensor.zeros(arena, 131, 37), mean = Tensor.zeros(arena, 131),
                    rstd = Tensor.zeros(arena, 131), dOut = normal(arena, 25, 131, 37), dIn = normal(arena, 26, 131, 37),
                    dGamma = normal(arena, 27, 37), dBeta = normal(arena, 28, 37);
            b.layerNorm(out, mean, rstd, in, gamma, beta, 1e-5f);
            b.layerNormBackward(dIn, dGamma, dBeta, dOut, in, mean, rstd, gamma);
            return concat(out, mean, rstd, dIn, dGamma, dBeta);
        });
    }

    @ParameterizedTest @MethodSource("subjects")
    void losses(Subject s) {
        int[] labels = {0, 4, 2, 36, 17, 5, 9};
        agree(s, "mse/crossEntropy and backwards", REDUCTION_ATOL, REDUCTION_RTOL, (b, arena) -> {
            Tensor pred = normal(arena, 29, 7, 37), target = normal(arena, 30, 7, 37), dPred = normal(arena, 31, 7, 37);
            Tensor dLogits = normal(arena, 32, 7, 37);
            double mse = b.mse(pred, target), ce = b.crossEntropy(pred, labels);
            b.mseBackward(dPred, pred, target, 0.7f);
            b.crossEntropyBackward(dLogits, pred, labels, 1.3f);
            float[] grads = concat(dPred, dLogits), all = new float[grads.length + 2];
            all[0] = (float) mse;
            all[1] = (float) ce;
            System.arraycopy(grads, 0, all, 2, grads.length);
            return all;
        });
    }

    @ParameterizedTest @MethodSource("subjects")
    void lossesKeptInBackendMemory(Subject s) {
        int[] labels = {0, 4, 2, 36, 17, 5, 9};
        agree(s, "mseTo/crossEntropyTo and backwards with a tensor dLoss", REDUCTION_ATOL, REDUCTION_RTOL, (b, arena) -> {
            Tensor pred = normal(arena, 29, 7, 37), target = normal(arena, 30, 7, 37), dPred = normal(arena, 31, 7, 37);
            Tensor dLogits = normal(arena, 32, 7, 37), mse = Tensor.zeros(arena, Shape.of()), ce = Tensor.zeros(arena, Shape.of());
            b.mseTo(mse, pred, target);
            b.crossEntropyTo(ce, pred, labels);
            b.mseBackward(dPred, pred, target, Tensor.of(arena, Shape.of(), 0.7f));
            b.crossEntropyBackward(dLogits, pred, labels, Tensor.of(arena, Shape.of(), 1.3f));
            return concat(mse, ce, dPred, dLogits);
        });
    }

    /** Labels as a tensor of float class indices in backend memory (loss.cu reads them there; issue 14). */
    @ParameterizedTest @MethodSource("subjects")
    void crossEntropyWithLabelTensor(Subject s) {
        float[] labels = {0, 4, 2, 36, 17, 5, 9};
        agree(s, "crossEntropyTo/Backward with a label tensor", REDUCTION_ATOL, REDUCTION_RTOL, (b, arena) -> {
            Tensor logits = normal(arena, 33, 7, 37), dLogits = normal(arena, 34, 7, 37);
            Tensor ce = Tensor.zeros(arena, Shape.of()), l = Tensor.of(arena, Shape.of(7), labels);
            b.crossEntropyTo(ce, logits, l);
            b.crossEntropyBackward(dLogits, logits, l, Tensor.of(arena, Shape.of(), 1.3f));
            return concat(ce, dLogits);
        });
    }

    /**
     * embedding.cu: a gather with repeated rows and its scatter-add. The scatter-add adds in index order on both
     * sides (each GPU thread owns an output element), so it must agree exactly; the gather only moves numbers.
     */
    @ParameterizedTest @MethodSource("subjects")
    void embeddingGatherAndScatterAdd(Subject s) {
        float[] index = {3, 0, 3, 16, 1, 3, 0, 16, 2};
        agree(s, "gatherRows and scatterAddRows", 0, 0, (b, arena) -> {
            Tensor table = normal(arena, 35, 17, 67), out = Tensor.zeros(arena, Shape.of(index.length, 67));
            Tensor dOut = normal(arena, 36, index.length, 67), dTable = normal(arena, 37, 17, 67);
            Tensor idx = Tensor.of(arena, Shape.of(index.length), index);
            b.gatherRows(out, table, idx);
            b.scatterAddRows(dTable, dOut, idx);
            return concat(out, dTable);
        });
    }

    /** A weight gradient's shape: a thin output over a long K, which the GPU splits (K = 5000: 9 slices and a tail). */
    @ParameterizedTest @MethodSource("subjects")
    void splitKWeightGradient(Subject s) {
        double atol = s.tf32() ? SPLIT_K_TF32_ATOL : SPLIT_K_ATOL, rtol = s.tf32() ? TF32_RTOL : MATMUL_RTOL;
        agree(s, "matmul TN accumulate, K = 5000", atol, rtol, (b, arena) -> {
            Tensor a = normal(arena, 40, 5000, 3), bb = normal(arena, 41, 5000, 70), out = normal(arena, 42, 3, 70);
            b.matmul(out, a, bb, MatmulForm.TN, true);
            return out.toArray();
        });
    }

    /**
     * A Gram-like NT product: a small output over a long K, split into column slices of rows K long (ldk); K = 5003:
     * 9 slices and a tail. Also the TN product with a tail, both accumulating and not.
     */
    @ParameterizedTest @MethodSource("subjects")
    void splitKNtProductAndTail(Subject s) {
        double atol = s.tf32() ? SPLIT_K_TF32_ATOL : SPLIT_K_ATOL, rtol = s.tf32() ? TF32_RTOL : MATMUL_RTOL;
        for (boolean accumulate : new boolean[] {false, true}) {
            agree(s, "matmul NT, K = 5003, accumulate " + accumulate, atol, rtol, (b, arena) -> {
                Tensor a = normal(arena, 43, 37, 5003), bb = normal(arena, 44, 70, 5003), out = normal(arena, 45, 37, 70);
                b.matmul(out, a, bb, MatmulForm.NT, accumulate);
                return out.toArray();
            });
        }
    }

    /** Split-K and the two-pass reductions add in a fixed order: the same call twice gives the same bits. */
    @ParameterizedTest @MethodSource("subjects")
    void reductionsAndSplitKAreDeterministic(Subject s) {
        assumeTrue(s.backend() != null, () -> s.name() + " not available: " + s.reason());
        try (Arena arena = Arena.ofShared()) {
            Backend be = s.backend();
            Tensor a = normal(arena, 46, 5003, 37), bb = normal(arena, 47, 5003, 70), x = normal(arena, 48, 4099, 67);
            float[][] first = null;
            for (int run = 0; run < 2; run++) {
                Tensor tn = Tensor.zeros(arena, Shape.of(37, 70)), rows = Tensor.zeros(arena, Shape.of(67));
                Tensor dg = Tensor.zeros(arena, Shape.of(67)), db = Tensor.zeros(arena, Shape.of(67));
                Tensor mean = Tensor.zeros(arena, Shape.of(4099)), rstd = Tensor.zeros(arena, Shape.of(4099));
                Tensor gamma = normal(arena, 49, 67), beta = normal(arena, 50, 67), y = Tensor.zeros(arena, x.shape());
                be.matmul(tn, a, bb, MatmulForm.TN, false);
                be.sumRows(rows, x, 1f, false);
                be.layerNorm(y, mean, rstd, x, gamma, beta, 1e-5f);
                be.layerNormBackward(null, dg, db, x, x, mean, rstd, gamma);
                double total = be.sum(x), mse = be.mse(x, y);
                float[][] now = {tn.toArray(), rows.toArray(), dg.toArray(), db.toArray(),
                        {(float) total, (float) (total - (float) total), (float) mse}};
                if (first == null) first = now;
                else for (int i = 0; i < now.length; i++) assertArrayEquals(first[i], now[i], 0f, s + " result " + i);
            }
        }
    }

    @ParameterizedTest @MethodSource("subjects")
    void copyRunsMovesAndAddsBack(Subject s) {
        // heads split of x (2, 5, 3·4) into (2, 3, 5, 4), then the transpose added back into a gradient
        RunLayout split = new RunLayout(new int[] {2, 3, 5}, 0, new long[] {60, 20, 4}, 0, new long[] {60, 4, 12}, 4);
        agree(s, "copyRuns and its accumulating transpose", EXACT_ATOL, EXACT_RTOL, (b, arena) -> {
            Tensor x = normal(arena, 43, 2, 5, 12), y = Tensor.zeros(arena, 2, 3, 5, 4), dx = normal(arena, 44, 2, 5, 12);
            b.copyRuns(y, x, split, false);
            b.copyRuns(dx, y, split.transposed(), true);
            return concat(y, dx);
        });
    }

    @ParameterizedTest @MethodSource("subjects")
    void fourierForwardAndBackward(Subject s) {
        int n = 301, m = 2, k = 17;
        float scale = (float) (1 / Math.sqrt(2.0 * k));
        agree(s, "fourierForward", FOURIER_ATOL, FOURIER_RTOL, (b, arena) -> {
            Tensor x = new Rng(33).uniform(arena, Shape.of(n, m), -4f, 4f), w = new Rng(34).normal(arena, Shape.of(k, m), 0f, 5f);
            Tensor out = Tensor.zeros(arena, n, 2 * k);
            b.fourierForward(out, x, w, scale);
            return out.toArray();
        });
        agree(s, "fourierBackward", FOURIER_GRAD_ATOL, FOURIER_GRAD_RTOL, (b, arena) -> {
            Tensor x = new Rng(33).uniform(arena, Shape.of(n, m), -4f, 4f), w = new Rng(34).normal(arena, Shape.of(k, m), 0f, 5f);
            Tensor dOut = normal(arena, 35, n, 2 * k), dx = normal(arena, 36, n, m), dw = normal(arena, 37, k, m);
            b.fourierBackward(dx, dw, dOut, x, w, scale);
            return concat(dx, dw);
        });
    }

    @ParameterizedTest @MethodSource("subjects")
    void toeplitzMultiplyAndWeightGrad(Subject s) {
        int heads = 3, c = 17;
        // n = 3000: its FFT length h = 3000 > 2048 takes fft.cu's stage-by-stage kernel, the others the shared-memory one
        for (int n : new int[] {1, 7, 301, 3000}) {
            agree(s, "toeplitz n=" + n, toeplitzAtol(n), TOEPLITZ_RTOL, (b, arena) -> {
                Tensor w = new Rng(50).uniform(arena, Shape.of(heads, 2 * n - 1), 0.5f, 1.5f);
                Tensor x = normal(arena, 51, heads, n, c), dOut = normal(arena, 52, heads, n, c);
                Tensor out = normal(arena, 53, heads, n, c), dw = normal(arena, 54, heads, 2 * n - 1);
                b.toeplitzMultiply(out, w, x);
                b.toeplitzWeightGradAccumulate(dw, dOut, x);
                return concat(out, dw);
            });
        }
    }

    @ParameterizedTest @MethodSource("subjects")
    void adamAndAdamW(Subject s) {
        for (AdamConfig c : List.of(AdamConfig.adam(1e-2f), AdamConfig.adamW(1e-2f, 0.1f),
                new AdamConfig(1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, false))) {
            agree(s, "adamStep " + c, 1e-6, 1e-5, (b, arena) -> {
                Tensor p = normal(arena, 38, 5, 37), m = Tensor.zeros(arena, 5, 37), v = Tensor.zeros(arena, 5, 37);
                for (int step = 1; step <= 3; step++) b.adamStep(p, normal(arena, 38 + step, 5, 37), m, v, c, step);
                return concat(p, m, v);
            });
        }
    }

    @ParameterizedTest @MethodSource("subjects")
    void namesItself(Subject s) {
        assumeTrue(s.backend() != null, () -> s.name() + " not available: " + s.reason());
        assertEquals(s.name().startsWith("cuda") ? "cuda" : "cpu", s.backend().name());
        assertFalse(s.backend().describe().isBlank());
    }
}
