package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.Compare;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AdamCpu: the first two steps worked out by hand for each variant, the vector kernel against its twin, bad input. */
class AdamCpuTest {
    /** float32 arithmetic on O(1) values over two steps; the expected values are exact in double. */
    private static final double HAND_ATOL = 1e-6;

    private static final float LR = 0.1f;
    private static final float[] P0 = {1f, -2f};
    private static final float[][] GRADS = {{0.5f, 0.1f}, {-0.25f, 0.3f}};

    // Worked by hand (β1 = 0.9, β2 = 0.999, ε = 1e-8). Adam, element 0, step 1: m = 0.05, v = 0.00025,
    // m̂ = 0.5, √v̂ = 0.5, p = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002. Step 2: m = 0.045 − 0.025 = 0.02,
    // v = 0.00024975 + 0.0000625 = 0.00031225, m̂ = 0.02/0.19, √v̂ = √(0.00031225/0.001999) = 0.3952252,
    // p = 0.9 − 0.1·0.1052632/0.3952252 = 0.8733663. L2 (wd = 0.1) feeds g + 0.1·p into the moments;
    // AdamW (wd = 0.1) first shrinks p by 1 − lr·wd = 0.99, e.g. step 1: p = 0.99 − 0.1 = 0.89.
    private static final double[][] ADAM = {{0.900000002, -2.09999999}, {0.8733662987, -2.1917780978}};
    private static final double[][] ADAM_L2 = {{0.9000000017, -1.90000001}, {0.8544413675, -1.9100134863}};
    private static final double[][] ADAMW = {{0.890000002, -2.07999999}, {0.8544662987, -2.1509780979}};

    @Test
    void adamFirstTwoStepsMatchHandComputation() {
        checkTwoSteps(AdamConfig.adam(LR), ADAM);
    }

    @Test
    void adamWithL2WeightDecayFirstTwoStepsMatchHandComputation() {
        checkTwoSteps(new AdamConfig(LR, 0.9f, 0.999f, 1e-8f, 0.1f, false), ADAM_L2);
    }

    @Test
    void adamWFirstTwoStepsMatchHandComputation() {
        checkTwoSteps(AdamConfig.adamW(LR, 0.1f), ADAMW);
    }

    private static void checkTwoSteps(AdamConfig config, double[][] expected) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor param = Tensor.of(arena, Shape.of(2), P0);
            Tensor m = Tensor.zeros(arena, 2), v = Tensor.zeros(arena, 2);
            for (int step = 1; step <= 2; step++) {
                AdamCpu.step(p, param, Tensor.of(arena, Shape.of(2), GRADS[step - 1]), m, v, config, step);
                int done = step;
                Compare c = Compare.of(expected[step - 1], Compare.toDouble(param.toArray()), HAND_ATOL, 0);
                assertTrue(c.ok(), () -> "step " + done + ": " + c.describe());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 1000, 67 * 131, 40_003})
    void vectorKernelEqualsScalarTwinBitForBit(int n) {
        for (AdamConfig config : new AdamConfig[] {AdamConfig.adam(1e-3f), AdamConfig.adamW(1e-3f, 0.01f),
                new AdamConfig(3e-4f, 0.8f, 0.99f, 1e-6f, 0.05f, false)}) {
            try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(3)) {
                Rng rng = new Rng(11);
                Tensor param = rng.normal(arena, Shape.of(n)), twin = Tensor.zeros(arena, Shape.of(n));
                twin.copyFrom(param);
                Tensor m = Tensor.zeros(arena, n), v = Tensor.zeros(arena, n);
                Tensor mTwin = Tensor.zeros(arena, n), vTwin = Tensor.zeros(arena, n);
                for (int step = 1; step <= 3; step++) {
                    Tensor grad = rng.normal(arena, Shape.of(n));
                    AdamCpu.step(p, param, grad, m, v, config, step);
                    AdamCpu.stepScalar(twin, grad, mTwin, vTwin, config, step);
                }
                // the same float operations in the same order: bit-equal, not merely close
                assertArrayEquals(twin.toArray(), param.toArray(), "param " + config);
                assertArrayEquals(mTwin.toArray(), m.toArray(), "m " + config);
                assertArrayEquals(vTwin.toArray(), v.toArray(), "v " + config);
            }
        }
    }

    @Test
    void badInputIsRejectedWithOpArgumentExpectedAndActual() {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            Tensor param = Tensor.zeros(arena, 3, 5), ok = Tensor.zeros(arena, 3, 5), bad = Tensor.zeros(arena, 5, 3);
            AdamConfig c = AdamConfig.adam(1e-3f);
            var e = assertThrows(IllegalArgumentException.class, () -> AdamCpu.step(p, param, bad, ok, ok, c, 1));
            assertEquals("adamStep: grad: expected (3, 5), got (5, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> AdamCpu.stepScalar(param, ok, ok, bad, c, 1));
            assertEquals("adamStep: v: expected (3, 5), got (5, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> AdamCpu.step(p, param, ok, ok, ok, c, 0));
            assertEquals("adamStep: step: expected >= 1 (steps count from 1), got 0", e.getMessage());
        }
    }
}
