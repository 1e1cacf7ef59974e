package dev.posenc.models.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posenc.autograd.Tape;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.testing.DeviceFake;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a ViT training step on a device backend copies its loss scalar to the host and its labels (an
 * {@code int[]}, crossEntropy's argument) to the device, and nothing else; it computes what the CPU computes.
 * CAPE (cape2d) draws its augmentation on the host: its positions go down and up once more per step. The learned
 * tables (embed1d, embed2d) compute their interpolation weights on the host and so do not run on a device yet:
 * they fail loudly there (a host read of a device tensor), which is why they are not in this list.
 */
class VitDeviceStepTest {
    private static final int[] LABELS = {0, 1, 2, 3, 4};
    private static final TensorMemory.Copies LOSS_AND_LABELS =
            new TensorMemory.Copies(2, 2L * LABELS.length * Integer.BYTES, 1, Float.BYTES);   // forward and backward
    /** cape2d: also its 49 positions down and the 5 × 49 augmented ones up (28/4 = 7, a 7 × 7 grid). */
    private static final TensorMemory.Copies CAPE = new TensorMemory.Copies(3,
            2L * LABELS.length * Integer.BYTES + 5 * 49 * 2 * Float.BYTES, 2, Float.BYTES + 49 * 2 * Float.BYTES);

    @Test
    void aVitStepCopiesOnlyItsLossAndLabelsAndMatchesTheCpu() {
        for (String encoding : new String[] {"sine2d", "lff", "cape2d", "mlp", "none"}) {
            VitConfig c = VitConfig.defaults(encoding).withModel(16, 2, 2, 32).withBatch(LABELS.length);
            try (Backend cpu = new CpuBackend(1); Backend device = DeviceFake.over(cpu)) {
                double[] onCpu = losses(cpu, c), onDevice = losses(device, c);
                for (int i = 0; i < onCpu.length; i++) assertEquals(onCpu[i], onDevice[i], 0, encoding + " step " + i);
            }
        }
    }

    private static double[] losses(Backend backend, VitConfig c) {
        TensorMemory memory = backend.memory();
        try (Arena arena = Arena.ofShared(); TensorMemory.Region region = memory.region(); Vit model = new Vit(c);
             Tape tape = new Tape(backend)) {
            model.store().placeOn(memory);
            try (Adam adam = new Adam(model.store(), AdamConfig.adam(1e-3f))) {
                Tensor images = memory.resident(region, new Rng(3).normal(arena, Shape.of(LABELS.length, 28, 28)));
                double[] loss = new double[3];
                for (int step = 0; step < loss.length; step++) {
                    TensorMemory.Copies before = memory.copies();
                    loss[step] = VitTrainer.step(backend, model, adam, tape, images, LABELS, VitTrainer.augmentRng(0, step));
                    TensorMemory.Copies expected = c.encoding().equals("cape2d") ? CAPE : LOSS_AND_LABELS;
                    if (memory.device() && step > 0) assertEquals(expected, memory.copies().minus(before),
                            c.encoding() + ": host↔device copies of training step " + (step + 1));
                }
                return loss;
            }
        }
    }
}
