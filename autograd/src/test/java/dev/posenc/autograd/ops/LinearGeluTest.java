package dev.posenc.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused layer gives the numbers of Linear then GELU, forward and every gradient, bit for bit, on 1 and 2
 * threads: at 37 × 19 → 67 (the blocked product, GELU in its epilogue) and at 37 × 19 → 3 (the narrow product, GELU
 * as a pass after it). Its gradient check against central differences is the {@code linear_gelu} case of
 * GradCheckSuite. The harness is LinearReluTest's (x an op's output: its gradient a fresh step-local one).
 */
class LinearGeluTest {
    @ParameterizedTest
    @CsvSource({"1, 67", "2, 67", "1, 3", "2, 3", "2, 600"})
    void equalsLinearThenGeluBitForBit(int threads, int out) {
        float[][] fused = LinearReluTest.run(threads, out, (t, v) -> LinearGelu.apply(t, v[0], v[1], v[2]));
        float[][] unfused = LinearReluTest.run(threads, out, (t, v) -> Activations.gelu(t, Linear.apply(t, v[0], v[1], v[2])));
        for (int i = 0; i < fused.length; i++) assertArrayEquals(unfused[i], fused[i], "result " + i);
    }
}
