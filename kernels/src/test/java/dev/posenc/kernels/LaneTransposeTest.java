package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LaneTranspose against its scalar twin, bit for bit, at odd strides and offsets; a hand-worked 2 × 2 corner. */
class LaneTransposeTest {
    private static final int L = LaneTranspose.L;

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** shift 0: one destination; shift 1: even and odd columns into two arrays. Strides 17 and 37 are ragged. */
    @ParameterizedTest(name = "shift {0}")
    @ValueSource(ints = {0, 1})
    void equalsScalarTwin(int shift) {
        int srcStride = L + 17, dstStride = L + 37, srcOff = 3, dstOff = 5, size = 2 * L * dstStride + 64;
        float[] src = random(srcOff + L * srcStride, shift);
        float[] even = new float[size], odd = shift == 0 ? even : new float[size];
        float[] refEven = new float[size], refOdd = shift == 0 ? refEven : new float[size];
        LaneTranspose.transpose(src, srcOff, srcStride, even, odd, dstOff, dstStride, shift);
        LaneTranspose.transposeScalar(src, srcOff, srcStride, refEven, refOdd, dstOff, dstStride, shift, L, L);
        assertArrayEquals(refEven, even);
        assertArrayEquals(refOdd, odd);
        float[] stagedEven = new float[size], stagedOdd = shift == 0 ? stagedEven : new float[size];
        LaneTranspose.transposeStaged(src, srcOff, srcStride, stagedEven, stagedOdd, dstOff, dstStride, shift);
        assertArrayEquals(refEven, stagedEven);
        assertArrayEquals(refOdd, stagedOdd);
    }

    @Test
    void registerKernelEqualsStaged() {
        assumeTrue(L == 16, "transpose16 runs only where the preferred float species has 16 lanes (AVX-512); here " + L);
        float[] src = random(L * 21, 3), a = new float[L * 19 + 7], b = new float[a.length];
        LaneTranspose.transpose16(src, 2, 21, a, a, 7, 19, 0);
        LaneTranspose.transposeStaged(src, 2, 21, b, b, 7, 19, 0);
        assertArrayEquals(b, a);
    }

    /** The twin itself: [[1, 2], [3, 4]] (rows) becomes [[1, 3], [2, 4]]. */
    @Test
    void handWorkedCorner() {
        float[] src = {1, 2, 3, 4}, dst = new float[4];
        LaneTranspose.transposeScalar(src, 0, 2, dst, dst, 0, 2, 0, 2, 2);
        assertArrayEquals(new float[] {1, 3, 2, 4}, dst);
    }
}
