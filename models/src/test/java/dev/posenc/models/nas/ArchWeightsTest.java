package dev.posenc.models.nas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.Test;

/** DARTS-PT's bookkeeping (spec §7.3's unit test): masking does not renormalise; projected edges are one-hot constants. */
class ArchWeightsTest {
    @Test
    void maskingZeroesOneCandidateAndLeavesTheOthersUnnormalised() {
        try (CpuBackend backend = new CpuBackend(1); ArchWeights arch = new ArchWeights(3, 4, 7); Tape tape = new Tape(backend)) {
            double[] p = arch.softmax(1);
            Var[] w = arch.weights(tape, 1, 2);
            float[] masked = w[1].value().toArray();
            assertEquals(0f, masked[2]);
            for (int i : new int[] {0, 1, 3}) assertEquals(p[i], masked[i], 1e-6, "candidate " + i + " keeps its softmax weight");
            double sum = 0;
            for (float v : masked) sum += v;
            assertEquals(1 - p[2], sum, 1e-6, "the weights now sum to 1 − p_removed, not 1");
            assertEquals(4, w[0].value().toArray().length);
            float[] other = w[0].value().toArray();
            double s0 = 0;
            for (float v : other) s0 += v;
            assertEquals(1, s0, 1e-6, "other edges are untouched");
        }
    }

    @Test
    void projectedEdgesAreOneHotConstants() {
        try (CpuBackend backend = new CpuBackend(1); ArchWeights arch = new ArchWeights(3, 4, 7); Tape tape = new Tape(backend)) {
            arch.project(2, 3);
            Var[] w = arch.weights(tape);
            assertArrayEquals(new float[] {0, 0, 0, 1}, w[2].value().toArray());
            assertFalse(w[2].requiresGrad(), "α of a projected edge no longer receives a gradient");
            assertEquals(3, arch.projected(2));
            assertEquals(-1, arch.projected(0));
        }
    }
}
