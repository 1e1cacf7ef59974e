package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.posenc.core.Compare;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FourierCpu: vector kernels against their scalar twins on awkward shapes with large frequencies, against a
 * double reference, hand-worked cases, accumulation, thread-count independence and bad shapes.
 */
class FourierCpuTest {
    /**
     * Against a double reference, the error is z's own float rounding: |z| reaches a few hundred here
     * (spacing 3e-5), and each of the M fma steps rounds once; sin/cos add 7e-8.
     */
    private static final double REFERENCE_ATOL = 2e-4;
    /**
     * Backward sums (dw over N rows, dx over K frequencies) are added in other orders by the vector kernel
     * (chunked partials, lane-wise) than by the twin (row by row); float error grows like eps·Σ|term|, so
     * errors are measured relative to Σ|term| of each output element.
     */
    private static final double SUM_RTOL = 1e-5;
    private static final float SCALE = 0.0625f;   // 1/√(2K) for K = 128: the usual normalisation

    static Stream<Arguments> shapes() {
        List<Arguments> all = new ArrayList<>();
        for (int n : new int[] {1, 3, 17, 67, 1000}) {
            for (int m : new int[] {1, 2, 3}) {
                for (int k : new int[] {1, 5, 16, 17, 128}) all.add(Arguments.of(n, m, k));
            }
        }
        return all.stream();
    }

    /** Positions in [0, 1), frequencies ~ N(0, 10²): |z| in the hundreds, the hard case for sin/cos. */
    private static Tensor[] inputs(Arena arena, int n, int m, int k, long seed) {
        Rng rng = new Rng(seed);
        return new Tensor[] {rng.uniform(arena, Shape.of(n, m), 0f, 1f), rng.normal(arena, Shape.of(k, m), 0f, 10f)};
    }

    @ParameterizedTest(name = "N={0} M={1} K={2}")
    @MethodSource("shapes")
    void forwardEqualsTwinAndDoubleReference(int n, int m, int k) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(3)) {
            Tensor[] xw = inputs(arena, n, m, k, 1000L * n + 10L * m + k);
            Tensor x = xw[0], w = xw[1];
            Tensor out = Tensor.zeros(arena, n, 2 * k), twin = Tensor.zeros(arena, n, 2 * k);
            FourierCpu.forward(p, out, x, w, SCALE);
            FourierCpu.forwardScalar(twin, x, w, SCALE);
            // same fma chain for z, same SinCos operations: bit-equal, not merely close
            assertArrayEquals(twin.toArray(), out.toArray());
            Compare c = Compare.of(Reference64.fourier(Compare.toDouble(x.toArray()), Compare.toDouble(w.toArray()),
                    x.rows(), x.cols(), w.rows(), SCALE), Compare.toDouble(out.toArray()), REFERENCE_ATOL * SCALE, 0);
            assertTrue(c.ok(), c::describe);
        }
    }

    @ParameterizedTest(name = "N={0} M={1} K={2}")
    @MethodSource("shapes")
    void backwardAccumulatesLikeTwin(int n, int m, int k) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(3)) {
            Tensor[] xw = inputs(arena, n, m, k, 7000L * n + 10L * m + k);
            Tensor x = xw[0], w = xw[1];
            Rng rng = new Rng(5);
            Tensor dOut = rng.normal(arena, Shape.of(n, 2 * k));
            // gradients start non-zero: the kernels must add to them, not overwrite
            Tensor dx = rng.normal(arena, Shape.of(n, m)), dw = rng.normal(arena, Shape.of(k, m));
            Tensor dxTwin = copy(arena, dx), dwTwin = copy(arena, dw), dwNoDx = copy(arena, dw);
            double[][] magnitude = termMagnitudes(dx, dw, dOut, x, w, SCALE);
            FourierCpu.backward(p, dx, dw, dOut, x, w, SCALE);
            FourierCpu.backwardScalar(dxTwin, dwTwin, dOut, x, w, SCALE);
            assertSumsAgree("dx", dxTwin, dx, magnitude[0]);
            assertSumsAgree("dw", dwTwin, dw, magnitude[1]);
            FourierCpu.backward(p, null, dwNoDx, dOut, x, w, SCALE);
            assertArrayEquals(dw.toArray(), dwNoDx.toArray(), "dw must not depend on whether dx is wanted");
        }
    }

    /**
     * The backward given the forward's output: at scale 1 it reads cos z and sin z from it, bit for bit what the
     * recomputing backward gives (dx and dw, 1 and 3 threads); at another scale it recomputes (the same call).
     */
    @ParameterizedTest(name = "N={0} M={1} K={2}")
    @MethodSource("shapes")
    void backwardFromTheKeptOutputEqualsRecomputing(int n, int m, int k) {
        try (Arena arena = Arena.ofShared(); Parallel one = new Parallel(1); Parallel three = new Parallel(3)) {
            Tensor[] xw = inputs(arena, n, m, k, 9000L * n + 10L * m + k);
            Tensor x = xw[0], w = xw[1];
            Tensor dOut = new Rng(6).normal(arena, Shape.of(n, 2 * k));
            for (float scale : new float[] {1f, SCALE}) {
                Tensor out = Tensor.zeros(arena, n, 2 * k);
                FourierCpu.forward(three, out, x, w, scale);
                Tensor dx = Tensor.zeros(arena, n, m), dw = Tensor.zeros(arena, k, m);
                FourierCpu.backward(three, dx, dw, dOut, x, w, scale);
                for (Parallel p : new Parallel[] {one, three}) {
                    Tensor dxKept = Tensor.zeros(arena, n, m), dwKept = Tensor.zeros(arena, k, m);
                    FourierCpu.backward(p, dxKept, dwKept, dOut, x, w, out, scale);
                    assertArrayEquals(dx.toArray(), dxKept.toArray(), "dx, scale " + scale);
                    assertArrayEquals(dw.toArray(), dwKept.toArray(), "dw, scale " + scale);
                }
            }
        }
    }

    @Test
    void dwIsTheSameForAnyThreadCount() {
        int n = 5003, m = 2, k = 37;
        try (Arena arena = Arena.ofShared(); Parallel one = new Parallel(1); Parallel three = new Parallel(3)) {
            Tensor[] xw = inputs(arena, n, m, k, 3);
            Tensor dOut = new Rng(4).normal(arena, Shape.of(n, 2 * k));
            Tensor dw1 = Tensor.zeros(arena, k, m), dw3 = Tensor.zeros(arena, k, m);
            FourierCpu.backward(one, null, dw1, dOut, xw[0], xw[1], SCALE);
            FourierCpu.backward(three, null, dw3, dOut, xw[0], xw[1], SCALE);
            assertArrayEquals(dw1.toArray(), dw3.toArray());
        }
    }

    /**
     * A perf smoke test for toolchain.md's JIT cliffs: once C2 has compiled them, the kernels must not box
     * vectors: boxed, these calls allocate about 30 MB each and run 3x slower. Allowed: the per-call buffers,
     * about 200 KB here (w transposed; per chunk, 64 of them, four K-float row buffers and a K×M partial dw).
     * Gives C2 up to 10 s on a loaded machine.
     */
    @Test
    void compiledKernelsDoNotBoxVectors() {
        int n = 4096, m = 2, k = 128;
        long allowed = 512 * 1024;
        var threadBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor[] xw = inputs(arena, n, m, k, 9);
            Tensor out = Tensor.zeros(arena, n, 2 * k), dw = Tensor.zeros(arena, k, m);
            long forward = Long.MAX_VALUE, backward = Long.MAX_VALUE, deadline = System.nanoTime() + 10_000_000_000L;
            while ((forward > allowed || backward > allowed) && System.nanoTime() < deadline) {
                long before = threadBean.getCurrentThreadAllocatedBytes();
                FourierCpu.forward(p, out, xw[0], xw[1], SCALE);
                long between = threadBean.getCurrentThreadAllocatedBytes();
                FourierCpu.backward(p, null, dw, out, xw[0], xw[1], SCALE);
                forward = between - before;
                backward = threadBean.getCurrentThreadAllocatedBytes() - between;
            }
            assertTrue(forward <= allowed, "forward still allocates " + forward + " bytes per call: boxed vectors?");
            assertTrue(backward <= allowed, "backward still allocates " + backward + " bytes per call: boxed vectors?");
        }
    }

    @Test
    void handWorkedForward() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            // z = 0.5·π = π/2: cos z = 0, sin z = 1 (float π/2 is 4.4e-8 above π/2, so cos gives −4.4e-8)
            Tensor out = Tensor.zeros(arena, 1, 2);
            FourierCpu.forward(p, out, Tensor.of(arena, Shape.of(1, 1), 0.5f),
                    Tensor.of(arena, Shape.of(1, 1), (float) Math.PI), 2f);
            assertArrayEquals(new float[] {0f, 2f}, out.toArray(), 1e-7f);
            // x = (1, 2), w = ((0.25, 0.5), (1, 0)): z = (0.25 + 1, 1) = (1.25, 1);
            // cos 1.25 = 0.31532236, cos 1 = 0.54030231, sin 1.25 = 0.94898462, sin 1 = 0.84147098
            Tensor out2 = Tensor.zeros(arena, 1, 4);
            FourierCpu.forward(p, out2, Tensor.of(arena, Shape.of(1, 2), 1f, 2f),
                    Tensor.of(arena, Shape.of(2, 2), 0.25f, 0.5f, 1f, 0f), 1f);
            assertArrayEquals(new float[] {0.31532236f, 0.54030231f, 0.94898462f, 0.84147098f}, out2.toArray(), 1e-7f);
        }
    }

    @Test
    void handWorkedBackward() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            // z = 0.5·π = π/2, dOut = [dC ‖ dS] = [1 ‖ 0], scale 1: g = dS·cos z − dC·sin z = −1;
            // dx += g·w = −π onto 10, dw += g·x = −0.5 onto 1
            Tensor x = Tensor.of(arena, Shape.of(1, 1), 0.5f), w = Tensor.of(arena, Shape.of(1, 1), (float) Math.PI);
            Tensor dx = Tensor.of(arena, Shape.of(1, 1), 10f), dw = Tensor.of(arena, Shape.of(1, 1), 1f);
            FourierCpu.backward(p, dx, dw, Tensor.of(arena, Shape.of(1, 2), 1f, 0f), x, w, 1f);
            assertEquals(10 - Math.PI, dx.get(0), 1e-6);
            assertEquals(0.5, dw.get(0), 1e-7);
        }
    }

    @Test
    void badShapesAreRejectedWithOpArgumentExpectedAndActual() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor x = Tensor.zeros(arena, 5, 2), w = Tensor.zeros(arena, 3, 2), out = Tensor.zeros(arena, 5, 6);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> FourierCpu.forward(p, out, x, Tensor.zeros(arena, 3, 3), 1f));
            assertEquals("fourierForward: w: expected (K, 2), got (3, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> FourierCpu.forwardScalar(Tensor.zeros(arena, 5, 3), x, w, 1f));
            assertEquals("fourierForward: out: expected (5, 6), got (5, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> FourierCpu.forward(p, out, Tensor.zeros(arena, 10), w, 1f));
            assertEquals("fourierForward: x: expected a 2-D tensor, got (10,)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> FourierCpu.backward(p, null, Tensor.zeros(arena, 2, 3), out, x, w, 1f));
            assertEquals("fourierBackward: dw: expected (3, 2), got (2, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> FourierCpu.backward(p, Tensor.zeros(arena, 5, 3), Tensor.zeros(arena, 3, 2), out, x, w, 1f));
            assertEquals("fourierBackward: dx: expected (5, 2), got (5, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> FourierCpu.backwardScalar(null, Tensor.zeros(arena, 3, 2), Tensor.zeros(arena, 5, 5), x, w, 1f));
            assertEquals("fourierBackward: dOut: expected (5, 6), got (5, 5)", e.getMessage());
        }
    }

    // ---- references ----

    /** Σ|term| of each dx and dw element (its starting value included): the scale of float rounding in the sum. */
    private static double[][] termMagnitudes(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, float scale) {
        int n = x.rows(), m = x.cols(), k = w.rows();
        double[] mx = new double[n * m], mw = new double[k * m];
        for (int i = 0; i < mx.length; i++) mx[i] = Math.abs(dx.get(i));
        for (int i = 0; i < mw.length; i++) mw[i] = Math.abs(dw.get(i));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double g = (Math.abs(dOut.get(i, j)) + Math.abs(dOut.get(i, k + j))) * scale;   // bounds |g|
                for (int c = 0; c < m; c++) {
                    mx[i * m + c] += g * Math.abs(w.get(j, c));
                    mw[j * m + c] += g * Math.abs(x.get(i, c));
                }
            }
        }
        return new double[][] {mx, mw};
    }

    private static void assertSumsAgree(String name, Tensor expected, Tensor actual, double[] magnitude) {
        double[] e = Compare.toDouble(expected.toArray()), a = Compare.toDouble(actual.toArray());
        for (int i = 0; i < e.length; i++) {
            e[i] /= magnitude[i];
            a[i] /= magnitude[i];
        }
        Compare c = Compare.of(e, a, SUM_RTOL, 0);
        assertTrue(c.ok(), () -> name + " (relative to Σ|term|): " + c.describe());
    }

    private static Tensor copy(Arena arena, Tensor t) {
        Tensor c = Tensor.zeros(arena, t.shape());
        c.copyFrom(t);
        return c;
    }
}
