package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ToeplitzCpu against a double-precision O(n²) reference (the definition, summed in double), a hand-worked
 * case, accumulation into dw and bad shapes. Tolerances are relative to Σ|terms| of each output element,
 * since signed sums can cancel to near zero.
 */
class ToeplitzCpuTest {
    /** float32 through the FFT: about ε·log₂L per element relative to Σ|terms|; 1e-4 is the spec's bar. */
    private static final double RTOL = 1e-4;

    private record Reference(double[] value, double[] magnitude) {}

    /** out[h,i,cc] = Σ_j w[h,i−j+n−1]·x[h,j,cc] in double, with Σ|terms| beside it. */
    private static Reference multiplyReference(float[] w, float[] x, int heads, int n, int c) {
        double[] v = new double[heads * n * c], mag = new double[v.length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < n; i++)
                for (int cc = 0; cc < c; cc++) {
                    int o = (h * n + i) * c + cc;
                    for (int j = 0; j < n; j++) {
                        double t = (double) w[h * (2 * n - 1) + i - j + n - 1] * x[(h * n + j) * c + cc];
                        v[o] += t;
                        mag[o] += Math.abs(t);
                    }
                }
        return new Reference(v, mag);
    }

    /** dw[h,k] = Σ_{i−j=k−(n−1)} Σ_cc dOut[h,i,cc]·x[h,j,cc] in double, with Σ|terms| beside it. */
    private static Reference gradReference(float[] dOut, float[] x, int heads, int n, int c) {
        double[] v = new double[heads * (2 * n - 1)], mag = new double[v.length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int cc = 0; cc < c; cc++) {
                        int o = h * (2 * n - 1) + i - j + n - 1;
                        double t = (double) dOut[(h * n + i) * c + cc] * x[(h * n + j) * c + cc];
                        v[o] += t;
                        mag[o] += Math.abs(t);
                    }
        return new Reference(v, mag);
    }

    private static void assertClose(String what, Reference ref, float[] actual, double[] base) {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double expected = ref.value[i] + (base == null ? 0 : base[i]);
            double err = Math.abs(actual[i] - expected) / Math.max(ref.magnitude[i] + (base == null ? 0 : Math.abs(base[i])),
                    Double.MIN_NORMAL);
            if (err > worst) { worst = err; at = i; }
        }
        double w = worst;
        int a = at;
        assertTrue(worst <= RTOL, () -> "%s: relative error %.3g at %d (> %.1g)".formatted(what, w, a, RTOL));
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 2, 7, 64, 1000, 1009})
    void multiplyAndGradMatchDoubleReference(int n) {
        int heads = 2;
        for (int c : new int[] {1, n <= 64 ? 17 : 5}) {   // 17: two vector chunks and a tail; fewer for the O(n²) reference
            try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(2)) {
                Rng rng = new Rng(31L * n + c);
                Tensor w = rng.uniform(arena, Shape.of(heads, 2 * n - 1), 0.1f, 3f);   // exp(b): positive weights
                Tensor x = rng.normal(arena, Shape.of(heads, n, c)), dOut = rng.normal(arena, Shape.of(heads, n, c));
                Tensor out = rng.normal(arena, Shape.of(heads, n, c)), dw = rng.normal(arena, Shape.of(heads, 2 * n - 1));
                float[] dwBefore = dw.toArray();
                double[] base = new double[dwBefore.length];
                for (int i = 0; i < base.length; i++) base[i] = dwBefore[i];
                ToeplitzCpu.multiply(p, out, w, x);
                ToeplitzCpu.weightGradAccumulate(p, dw, dOut, x);
                int heads1 = heads;
                assertClose("multiply n=%d c=%d".formatted(n, c),
                        multiplyReference(w.toArray(), x.toArray(), heads1, n, c), out.toArray(), null);
                assertClose("weight grad n=%d c=%d".formatted(n, c),
                        gradReference(dOut.toArray(), x.toArray(), heads1, n, c), dw.toArray(), base);
            }
        }
    }

    /**
     * The fused backward shares transforms but must give exactly the separate calls' bits (the same float operations
     * in the same order), on 1 and 2 threads, for every subset of its outputs; c = 65 is kernel-rpe's 32 + 32 + 1.
     */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 64, 1000})
    void backwardEqualsSeparateCallsBitForBit(int n) {
        int heads = 2;
        for (int c : new int[] {1, 17, n <= 64 ? 65 : 33}) {
            try (Arena arena = Arena.ofShared(); Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
                Rng rng = new Rng(7L * n + c);
                Tensor w = rng.uniform(arena, Shape.of(heads, 2 * n - 1), 0.1f, 3f), wRev = Tensor.zeros(arena, heads, 2 * n - 1);
                for (int h = 0; h < heads; h++) for (int k = 0; k < 2 * n - 1; k++) wRev.set(h, k, w.get(h, 2 * n - 2 - k));
                Tensor x = rng.normal(arena, Shape.of(heads, n, c)), dOut = rng.normal(arena, Shape.of(heads, n, c));
                Tensor dwStart = rng.normal(arena, Shape.of(heads, 2 * n - 1));
                Tensor y = Tensor.zeros(arena, heads, n, c), dx = Tensor.zeros(arena, heads, n, c), dw = Tensor.of(arena, dwStart.shape(), dwStart.toArray());
                ToeplitzCpu.multiply(two, y, w, x);
                ToeplitzCpu.multiply(two, dx, wRev, dOut);
                ToeplitzCpu.weightGradAccumulate(two, dw, dOut, x);
                for (Parallel p : new Parallel[] {one, two}) {
                    for (int mask = 1; mask < 8; mask++) {
                        Tensor fy = (mask & 1) != 0 ? Tensor.zeros(arena, heads, n, c) : null;
                        Tensor fdx = (mask & 2) != 0 ? Tensor.zeros(arena, heads, n, c) : null;
                        Tensor fdw = (mask & 4) != 0 ? Tensor.of(arena, dwStart.shape(), dwStart.toArray()) : null;
                        ToeplitzCpu.backward(p, fy, fdx, fdw, w, wRev, x, dOut);
                        String at = "n=%d c=%d threads=%d mask=%d".formatted(n, c, p.threads(), mask);
                        if (fy != null) assertArrayEquals(y.toArray(), fy.toArray(), "y " + at);
                        if (fdx != null) assertArrayEquals(dx.toArray(), fdx.toArray(), "dx " + at);
                        if (fdw != null) assertArrayEquals(dw.toArray(), fdw.toArray(), "dw " + at);
                    }
                }
            }
        }
    }

    /** n = 2, w = [1, 10, 100] (offsets −1, 0, 1): T = [[10, 1], [100, 10]]. */
    @Test
    void handWorkedTwoByTwo() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor w = Tensor.of(arena, Shape.of(1, 3), 1, 10, 100);
            Tensor x = Tensor.of(arena, Shape.of(1, 2, 1), 1, 2), out = Tensor.zeros(arena, 1, 2, 1);
            ToeplitzCpu.multiply(p, out, w, x);
            assertArrayEquals(new float[] {12, 120}, out.toArray(), 1e-5f);
            // dOut = [1, 3]: offset −1 → dOut[0]·x[1] = 2; offset 0 → 1·1 + 3·2 = 7; offset 1 → dOut[1]·x[0] = 3
            Tensor dOut = Tensor.of(arena, Shape.of(1, 2, 1), 1, 3), dw = Tensor.of(arena, Shape.of(1, 3), 1, 1, 1);
            ToeplitzCpu.weightGradAccumulate(p, dw, dOut, x);
            assertArrayEquals(new float[] {3, 8, 4}, dw.toArray(), 1e-5f);
        }
    }

    @Test
    void badShapesNameTheArgument() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor x = Tensor.zeros(arena, 2, 5, 3), out = Tensor.zeros(arena, 2, 5, 3);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ToeplitzCpu.multiply(p, out, Tensor.zeros(arena, 2, 10), x));
            assertTrue(e.getMessage().contains("w: expected (2, 9)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ToeplitzCpu.multiply(p, Tensor.zeros(arena, 2, 5, 4), Tensor.zeros(arena, 2, 9), x));
            assertTrue(e.getMessage().contains("out: expected (2, 5, 3)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ToeplitzCpu.weightGradAccumulate(p, Tensor.zeros(arena, 2, 9), out, Tensor.zeros(arena, 2, 0, 3)));
            assertTrue(e.getMessage().contains("x: expected a 3-D tensor"), e.getMessage());
        }
    }
}
