package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convolution, depthwise, pooling and batch-norm kernels against their scalar twins (1 and 2 threads, odd
 * sizes so vector tails and image edges run), a hand-worked case, and the bad-input errors.
 */
class ConvCpuTest {
    /** im2col + blocked matmul sums K ≤ 45 products in another order than the twin: a few float ulps of Σ|w·x|. */
    static final double ATOL = 1e-5, RTOL = 1e-5;
    /** Weight gradients sum B·Ho·Wo ≈ 500 O(1) products in float in another order: up to 500 ulps of 1 apart. */
    static final double REDUCE_ATOL = 1e-4;

    static Parallel one, two;
    static CpuConvKernels k1, k2;

    @BeforeAll static void start() {
        one = new Parallel(1);
        two = new Parallel(2);
        k1 = new CpuConvKernels(one);
        k2 = new CpuConvKernels(two);
    }

    @AfterAll static void stop() {
        k1.close();
        k2.close();
        one.close();
        two.close();
    }

    static Stream<ConvGeometry> geometries() {
        return Stream.of(ConvGeometry.of(3, 1, 1), ConvGeometry.of(1, 1, 0), ConvGeometry.of(3, 1, 0), ConvGeometry.of(3, 2, 1),
                new ConvGeometry(3, 1, 2, 2), ConvGeometry.of(5, 1, 2), new ConvGeometry(3, 2, 0, 2), ConvGeometry.of(2, 2, 0));
    }

    @ParameterizedTest @MethodSource("geometries")
    void convMatchesTwinForwardAndBackward(ConvGeometry g) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(3);
            int b = 5, c = 3, o = 7, h = 9, w = 11;
            Tensor x = rng.normal(arena, Shape.of(b, c, h, w)), wt = rng.normal(arena, Shape.of(o, c, g.kernel(), g.kernel()));
            Shape os = g.outShape(x, o);
            Tensor ref = Tensor.zeros(arena, os), dOut = rng.normal(arena, os);
            ConvCpu.forwardScalar(ref, x, wt, g);
            Tensor dxRef = rng.normal(arena, x.shape()), dwRef = rng.normal(arena, wt.shape());
            Tensor dx0 = copy(arena, dxRef), dw0 = copy(arena, dwRef);
            ConvCpu.backwardScalar(dxRef, dwRef, dOut, x, wt, g);
            for (CpuConvKernels k : new CpuConvKernels[] {k1, k2}) {
                Tensor out = Tensor.full(arena, os, Float.NaN);
                k.conv2d(out, x, wt, g);
                assertClose("out " + g, ref, out);
                Tensor dx = copy(arena, dx0), dw = copy(arena, dw0);
                k.conv2dBackward(dx, dw, dOut, x, wt, g);
                assertClose("dx " + g, dxRef, dx);
                assertClose("dw " + g, dwRef, dw, REDUCE_ATOL);
            }
        }
    }

    /** The toy's own planes: full 4 × 4 register blocks, 14-wide rows that cross vectors, 7 × 7 planes of 4 vectors. */
    @ParameterizedTest @CsvSource({"16, 7", "8, 14"})
    void convMatchesTwinOnTheToysPlanes(int c, int side) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(13);
            ConvGeometry g = ConvGeometry.of(3, 1, 1);
            Tensor x = rng.normal(arena, Shape.of(3, c, side, side)), wt = rng.normal(arena, Shape.of(c, c, 3, 3));
            Tensor ref = Tensor.zeros(arena, x.shape()), dOut = rng.normal(arena, x.shape());
            ConvCpu.forwardScalar(ref, x, wt, g);
            Tensor dxRef = Tensor.zeros(arena, x.shape()), dwRef = Tensor.zeros(arena, wt.shape());
            ConvCpu.backwardScalar(dxRef, dwRef, dOut, x, wt, g);
            for (CpuConvKernels k : new CpuConvKernels[] {k1, k2}) {
                Tensor out = Tensor.full(arena, x.shape(), Float.NaN), dx = Tensor.zeros(arena, x.shape()), dw = Tensor.zeros(arena, wt.shape());
                k.conv2d(out, x, wt, g);
                k.conv2dBackward(dx, dw, dOut, x, wt, g);
                assertClose("out", ref, out);
                assertClose("dx", dxRef, dx);
                assertClose("dw", dwRef, dw, REDUCE_ATOL);
            }
        }
    }

    /**
     * {@link ConvWeightLanes} (output channels in the lanes): two blocks of L output channels, an odd input channel
     * count (the last channel pair repeats), batch 37 (two dW chunks), plain and dilated taps; against the twin,
     * and bit for bit on 1 and 2 threads.
     */
    @ParameterizedTest @CsvSource({"1, 1", "2, 2"})
    void weightGradWithOutputChannelLanesMatchesTwin(int dilation, int padding) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(17);
            ConvGeometry g = new ConvGeometry(3, 1, padding, dilation);
            int o = 2 * PlaneTaps.L;
            Tensor x = rng.normal(arena, Shape.of(37, 5, 7, 9)), wt = rng.normal(arena, Shape.of(o, 5, 3, 3));
            Tensor dOut = rng.normal(arena, Shape.of(37, o, 7, 9));
            Tensor dxRef = Tensor.zeros(arena, x.shape()), dwRef = Tensor.zeros(arena, wt.shape());
            ConvCpu.backwardScalar(dxRef, dwRef, dOut, x, wt, g);
            float[][] dws = new float[2][];
            CpuConvKernels[] ks = {k1, k2};
            for (int i = 0; i < 2; i++) {
                Tensor dw = Tensor.zeros(arena, wt.shape());
                ks[i].conv2dBackward(null, dw, dOut, x, wt, g);
                assertClose("dw", dwRef, dw, REDUCE_ATOL);
                dws[i] = dw.toArray();
            }
            assertArrayEquals(dws[0], dws[1]);
        }
    }

    @ParameterizedTest @MethodSource("geometries")
    void depthwiseMatchesTwin(ConvGeometry g) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(4);
            int b = 3, c = 5, h = 9, w = 19;
            Tensor x = rng.normal(arena, Shape.of(b, c, h, w)), wt = rng.normal(arena, Shape.of(c, g.kernel(), g.kernel()));
            Shape os = g.outShape(x, c);
            Tensor ref = Tensor.zeros(arena, os), dOut = rng.normal(arena, os);
            DepthwiseCpu.forwardScalar(ref, x, wt, g);
            Tensor dxRef = Tensor.zeros(arena, x.shape()), dwRef = Tensor.zeros(arena, wt.shape());
            DepthwiseCpu.backwardScalar(dxRef, dwRef, dOut, x, wt, g);
            for (CpuConvKernels k : new CpuConvKernels[] {k1, k2}) {
                Tensor out = Tensor.full(arena, os, Float.NaN);
                k.depthwiseConv2d(out, x, wt, g);
                assertClose("out " + g, ref, out);
                Tensor dx = Tensor.zeros(arena, x.shape()), dw = Tensor.zeros(arena, wt.shape());
                k.depthwiseConv2dBackward(dx, dw, dOut, x, wt, g);
                assertClose("dx " + g, dxRef, dx);
                assertClose("dw " + g, dwRef, dw, REDUCE_ATOL);
            }
        }
    }

    @Test
    void poolingMatchesTwinAndHandWorkedCase() {
        try (Arena arena = Arena.ofShared()) {
            for (ConvGeometry g : new ConvGeometry[] {ConvGeometry.of(3, 1, 1), ConvGeometry.of(3, 2, 1), ConvGeometry.of(2, 2, 0)}) {
                Tensor x = new Rng(5).normal(arena, Shape.of(2, 3, 7, 19));
                Shape os = g.outShape(x, 3);
                Tensor avgRef = Tensor.zeros(arena, os), maxRef = Tensor.zeros(arena, os);
                PoolCpu.avgForwardScalar(avgRef, x, g);
                PoolCpu.maxForwardScalar(maxRef, x, g);
                Tensor avg = Tensor.zeros(arena, os), max = Tensor.zeros(arena, os);
                k2.avgPool2d(avg, x, g);
                k2.maxPool2d(max, x, g);
                assertClose("avg " + g, avgRef, avg);
                assertArrayEquals(maxRef.toArray(), max.toArray(), "max " + g);
                Tensor dOut = new Rng(6).normal(arena, os), avgDxRef = Tensor.zeros(arena, x.shape()), maxDxRef = Tensor.zeros(arena, x.shape());
                PoolCpu.avgBackwardScalar(avgDxRef, dOut, g);
                PoolCpu.maxBackwardScalar(maxDxRef, dOut, x, g);
                Tensor argRef = Tensor.zeros(arena, os), maxRef2 = Tensor.zeros(arena, os), argDxRef = Tensor.zeros(arena, x.shape());
                PoolCpu.maxForwardArgmaxScalar(maxRef2, argRef, x, g);
                PoolCpu.maxBackwardArgmaxScalar(argDxRef, dOut, argRef, g);
                assertArrayEquals(maxRef.toArray(), maxRef2.toArray(), "max twins " + g);
                assertArrayEquals(maxDxRef.toArray(), argDxRef.toArray(), "max dx twins, kept against found again " + g);
                for (CpuConvKernels k : new CpuConvKernels[] {k1, k2}) {
                    Tensor avgDx = Tensor.zeros(arena, x.shape()), maxDx = Tensor.zeros(arena, x.shape());
                    k.avgPool2dBackward(avgDx, dOut, g);
                    k.maxPool2dBackward(maxDx, dOut, x, g);
                    assertClose("avg dx " + g, avgDxRef, avgDx);
                    assertClose("max dx " + g, maxDxRef, maxDx);
                    Tensor kept = Tensor.full(arena, os, Float.NaN), arg = Tensor.full(arena, os, Float.NaN), keptDx = Tensor.zeros(arena, x.shape());
                    k.maxPool2dWithArgmax(kept, arg, x, g);
                    k.maxPool2dBackwardArgmax(keptDx, dOut, arg, g);
                    assertArrayEquals(maxRef.toArray(), kept.toArray(), "max with argmax " + g);
                    assertArrayEquals(argRef.toArray(), arg.toArray(), "argmax " + g);
                    assertClose("max dx from the kept argmax " + g, maxDxRef, keptDx);
                }
            }
            // ties: a constant plane routes each window to its first tap, as the twin does
            Tensor flat = Tensor.full(arena, Shape.of(1, 2, 5, 6), 1f), flatOut = Tensor.full(arena, flat.shape(), 1f);
            Tensor tieRef = Tensor.zeros(arena, flat.shape()), tie = Tensor.zeros(arena, flat.shape());
            PoolCpu.maxBackwardScalar(tieRef, flatOut, flat, ConvGeometry.of(3, 1, 1));
            k2.maxPool2dBackward(tie, flatOut, flat, ConvGeometry.of(3, 1, 1));
            assertArrayEquals(tieRef.toArray(), tie.toArray(), "max dx on ties");
            Tensor tieOut = Tensor.zeros(arena, flat.shape()), tieArg = Tensor.zeros(arena, flat.shape()), tieKept = Tensor.zeros(arena, flat.shape());
            k2.maxPool2dWithArgmax(tieOut, tieArg, flat, ConvGeometry.of(3, 1, 1));
            k2.maxPool2dBackwardArgmax(tieKept, flatOut, tieArg, ConvGeometry.of(3, 1, 1));
            assertArrayEquals(tieRef.toArray(), tieKept.toArray(), "max dx on ties, kept argmax");
            // on a flat plane a window's first inside tap wins: (0, 0) for an inner pixel, the centre (t = 4) for the corner
            assertEquals(0f, tieArg.get(7), "argmax of inner pixel (1, 1)");
            assertEquals(4f, tieArg.get(0), "argmax of corner pixel (0, 0)");
            // 3×3 avg with count_include_pad=False on [[1,2],[3,4]]: every window covers all four pixels → 2.5
            Tensor x = Tensor.of(arena, Shape.of(1, 1, 2, 2), 1, 2, 3, 4), out = Tensor.zeros(arena, Shape.of(1, 1, 2, 2));
            k2.avgPool2d(out, x, ConvGeometry.of(3, 1, 1));
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, out.toArray());
            Tensor dx = Tensor.zeros(arena, x.shape());
            k2.maxPool2d(out, x, ConvGeometry.of(3, 1, 1));
            k2.maxPool2dBackward(dx, Tensor.of(arena, out.shape(), 1, 1, 1, 1), x, ConvGeometry.of(3, 1, 1));
            assertArrayEquals(new float[] {0, 0, 0, 4}, dx.toArray(), "all four windows route to the 4");
        }
    }

    /** Batch 37 > ConvCpu.WEIGHT_CHUNK, so dW sums partials of two chunks; 1 and 2 threads must agree bit for bit. */
    @Test
    void sameGeometryKernelsGiveTheSameBitsOnOneAndTwoThreads() {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(11);
            ConvGeometry g = ConvGeometry.of(3, 1, 1);
            Tensor x = rng.normal(arena, Shape.of(37, 3, 7, 7)), wt = rng.normal(arena, Shape.of(5, 3, 3, 3));
            Tensor dOut = rng.normal(arena, Shape.of(37, 5, 7, 7)), wd = rng.normal(arena, Shape.of(3, 3, 3));
            Tensor dOut3 = rng.normal(arena, x.shape());
            float[][] results = new float[2][];
            CpuConvKernels[] ks = {k1, k2};
            for (int i = 0; i < 2; i++) {
                CpuConvKernels k = ks[i];
                Tensor out = Tensor.zeros(arena, dOut.shape()), dx = Tensor.zeros(arena, x.shape()), dw = Tensor.zeros(arena, wt.shape());
                k.conv2d(out, x, wt, g);
                k.conv2dBackward(dx, dw, dOut, x, wt, g);
                Tensor dOutD = Tensor.zeros(arena, x.shape()), dxD = Tensor.zeros(arena, x.shape()), dwD = Tensor.zeros(arena, wd.shape());
                k.depthwiseConv2d(dOutD, x, wd, g);
                k.depthwiseConv2dBackward(dxD, dwD, dOut3, x, wd, g);
                Tensor mx = Tensor.zeros(arena, x.shape()), dmx = Tensor.zeros(arena, x.shape());
                k.maxPool2d(mx, x, g);
                k.maxPool2dBackward(dmx, dOut3, x, g);
                Tensor bn = Tensor.zeros(arena, x.shape()), mean = Tensor.zeros(arena, 3), rstd = Tensor.zeros(arena, 3);
                Tensor dbn = Tensor.zeros(arena, x.shape());
                k.batchNorm2d(bn, mean, rstd, x, 1e-5f);
                k.batchNorm2dBackward(dbn, dOut3, bn, rstd);
                results[i] = concat(out, dx, dw, dOutD, dxD, dwD, mx, dmx, bn, dbn);
            }
            assertArrayEquals(results[0], results[1]);
        }
    }

    private static float[] concat(Tensor... ts) {
        int n = 0;
        for (Tensor t : ts) n += (int) t.shape().size();
        float[] all = new float[n];
        int at = 0;
        for (Tensor t : ts) {
            float[] a = t.toArray();
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }

    @Test
    void convHandWorkedCase() {
        try (Arena arena = Arena.ofShared()) {
            // x = [[1,2],[3,4]], w = all ones 3×3, padding 1: each output is the sum of its inside neighbours = 10
            Tensor x = Tensor.of(arena, Shape.of(1, 1, 2, 2), 1, 2, 3, 4), w = Tensor.full(arena, Shape.of(1, 1, 3, 3), 1f);
            Tensor out = Tensor.zeros(arena, Shape.of(1, 1, 2, 2));
            k2.conv2d(out, x, w, ConvGeometry.of(3, 1, 1));
            assertArrayEquals(new float[] {10, 10, 10, 10}, out.toArray());
        }
    }

    @Test
    void batchNormMatchesTwinAndNormalises() {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = new Rng(6).normal(arena, Shape.of(5, 3, 7, 9), 2f, 3f), dOut = new Rng(7).normal(arena, x.shape());
            Tensor out = Tensor.zeros(arena, x.shape()), ref = Tensor.zeros(arena, x.shape());
            Tensor m = Tensor.zeros(arena, 3), r = Tensor.zeros(arena, 3), mr = Tensor.zeros(arena, 3), rr = Tensor.zeros(arena, 3);
            k2.batchNorm2d(out, m, r, x, 1e-5f);
            BatchNormCpu.forwardScalar(ref, mr, rr, x, 1e-5f);
            assertClose("out", ref, out);
            assertClose("rstd", rr, r);
            double s = 0;
            for (int b = 0; b < 5; b++) for (int i = 0; i < 63; i++) s += out.get((b * 3 + 1) * 63L + i);
            assertEquals(0, s / 315, 1e-5, "channel 1 has mean 0 after normalising");
            Tensor dx = Tensor.zeros(arena, x.shape()), dxRef = Tensor.zeros(arena, x.shape());
            k2.batchNorm2dBackward(dx, dOut, out, r);
            BatchNormCpu.backwardScalar(dxRef, dOut, ref, rr);
            assertClose("dx", dxRef, dx);
        }
    }

    @Test
    void badInputNamesTheArgument() {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = Tensor.zeros(arena, Shape.of(1, 1, 2, 2));
            var e = assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(5, 1, 1).outSize(2));
            assertTrue(e.getMessage().startsWith("kernel: expected a window"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(3, 0, 1));
            assertEquals("stride: expected >= 1, got 0", e.getMessage());
            Tensor w = Tensor.zeros(arena, Shape.of(2, 3, 3, 3));
            e = assertThrows(IllegalArgumentException.class, () -> k2.conv2d(Tensor.zeros(arena, Shape.of(1, 2, 2, 2)), x, w, ConvGeometry.of(3, 1, 1)));
            assertTrue(e.getMessage().startsWith("conv2d: w: expected (O, 1, 3, 3)"), e.getMessage());
        }
    }

    private static Tensor copy(Arena arena, Tensor t) {
        Tensor c = Tensor.zeros(arena, t.shape());
        c.copyFrom(t);
        return c;
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) { assertClose(what, expected, actual, ATOL); }

    private static void assertClose(String what, Tensor expected, Tensor actual, double atol) {
        Compare cmp = Compare.of(expected, actual, atol, RTOL);
        assertTrue(cmp.ok(), () -> what + ": " + cmp.describe());
    }
}
