package dev.posenc.models.vit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.autograd.Tape;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.optim.Adam;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** {@link VitMemory}'s step estimate against the slab a real training step grows (issue 10: the memory budget). */
class VitMemoryTest {
    /** The estimate counts op outputs by layer shape, not every scratch buffer: a factor 2 either way. */
    private static final double FACTOR = 2;

    @Test
    void stepEstimateIsWithinAFactorOfWhatAStepAllocates() {
        VitConfig c = VitConfig.defaults("lff").withModel(16, 2, 2, 32).withBatch(5);
        try (Backend backend = new CpuBackend(1); Arena arena = Arena.ofShared(); Vit model = new Vit(c);
             Tape tape = new Tape(backend); Adam adam = new Adam(model.store(), AdamConfig.adam(1e-3f))) {
            Tensor images = new Rng(3).normal(arena, Shape.of(5, 28, 28));
            VitTrainer.step(backend, model, adam, tape, images, new int[] {0, 1, 2, 3, 4}, VitTrainer.augmentRng(0, 0));
            tape.reset();
            long measured = tape.stepMemoryBytes(), estimated = VitMemory.estimate(c, 0).stepBytes();
            double ratio = (double) estimated / measured;
            assertTrue(ratio > 1 / FACTOR && ratio < FACTOR, "estimated %d bytes, measured %d".formatted(estimated, measured));
        }
    }
}
