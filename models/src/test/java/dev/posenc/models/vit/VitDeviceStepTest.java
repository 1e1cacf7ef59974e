package dev.posenc.models.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.ops.Losses;
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
 * Issue 14: a ViT training step on a device backend copies its loss scalar to the host and nothing else (labels
 * live in backend memory with the training set; the learned tables gather through backend kernels with a resident
 * index), and it computes what the CPU computes, bit for bit. CAPE (cape2d) draws its augmentation on the host: its
 * positions go down and the augmented ones up once more per step.
 */
class VitDeviceStepTest {
    private static final int[] LABELS = {0, 1, 2, 3, 4};
    private static final TensorMemory.Copies LOSS_ONLY = new TensorMemory.Copies(0, 0, 1, Float.BYTES);
    /** cape2d: also its 49 positions down and the 5 × 49 augmented ones up (28/4 = 7, a 7 × 7 grid). */
    private static final TensorMemory.Copies CAPE = new TensorMemory.Copies(1, 5 * 49 * 2 * Float.BYTES, 2,
            Float.BYTES + 49 * 2 * Float.BYTES);
    private static final String[] ENCODINGS = {"sine2d", "lff", "mlp", "none", "embed1d", "embed2d", "cape2d"};

    @Test
    void aVitStepCopiesOnlyItsLossAndMatchesTheCpu() {
        for (String encoding : ENCODINGS) {
            VitConfig c = VitConfig.defaults(encoding).withModel(16, 2, 2, 32).withBatch(LABELS.length);
            try (Backend cpu = new CpuBackend(1); Backend device = DeviceFake.over(cpu)) {
                Run onCpu = run(cpu, c), onDevice = run(device, c);
                assertArrayEquals(onCpu.losses, onDevice.losses, 0, encoding);
                // another resolution (32 × 32: an 8 × 8 grid): the learned tables interpolate, on the device too
                assertArrayEquals(onCpu.logitsElsewhere, onDevice.logitsElsewhere, 0, encoding + " at 32 × 32");
            }
        }
    }

    /** The Tensor-label step gives the int[] step's bits on the CPU: the new route changes nothing there. */
    @Test
    void labelTensorsGiveTheIntLabelsBitsOnTheCpu() {
        VitConfig c = VitConfig.defaults("embed2d").withModel(16, 2, 2, 32).withBatch(LABELS.length);
        double[][] losses = new double[2][3];
        for (int route = 0; route < 2; route++) {
            try (Backend cpu = new CpuBackend(1); Arena arena = Arena.ofShared(); Vit model = new Vit(c);
                 Tape tape = new Tape(cpu); TensorMemory.Region region = cpu.memory().region();
                 Adam adam = new Adam(model.store(), AdamConfig.adam(1e-3f))) {
                Tensor images = new Rng(3).normal(arena, Shape.of(LABELS.length, 28, 28));
                Tensor labels = Losses.labels(cpu.memory(), region, LABELS, VitConfig.CLASSES);
                for (int step = 0; step < 3; step++) losses[route][step] = route == 0
                        ? VitTrainer.step(cpu, model, adam, tape, images, LABELS, VitTrainer.augmentRng(0, step))
                        : VitTrainer.step(cpu, model, adam, tape, images, labels, VitTrainer.augmentRng(0, step));
            }
        }
        assertArrayEquals(losses[0], losses[1], 0);
    }

    @Test
    void labelsOutOfRangeAreRejectedWhereTheyAreMade() {
        try (Backend cpu = new CpuBackend(1); TensorMemory.Region region = cpu.memory().region()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Losses.labels(cpu.memory(), region, new int[] {0, 10}, VitConfig.CLASSES));
            assertEquals("cross_entropy: labels[1]: expected in [0, 10), got 10", e.getMessage());
        }
    }

    private record Run(double[] losses, float[] logitsElsewhere) {}

    private static Run run(Backend backend, VitConfig c) {
        TensorMemory memory = backend.memory();
        try (Arena arena = Arena.ofShared(); TensorMemory.Region region = memory.region(); Vit model = new Vit(c);
             Tape tape = new Tape(backend)) {
            model.store().placeOn(memory);
            try (Adam adam = new Adam(model.store(), AdamConfig.adam(1e-3f))) {
                Tensor images = memory.resident(region, new Rng(3).normal(arena, Shape.of(LABELS.length, 28, 28)));
                Tensor labels = Losses.labels(memory, region, LABELS, VitConfig.CLASSES);
                double[] loss = new double[3];
                for (int step = 0; step < loss.length; step++) {
                    TensorMemory.Copies before = memory.copies();
                    loss[step] = VitTrainer.step(backend, model, adam, tape, images, labels, VitTrainer.augmentRng(0, step));
                    TensorMemory.Copies expected = c.encoding().equals("cape2d") ? CAPE : LOSS_ONLY;
                    if (memory.device() && step > 0) assertEquals(expected, memory.copies().minus(before),
                            c.encoding() + ": host↔device copies of training step " + (step + 1));
                }
                Tensor other = memory.resident(region, new Rng(4).normal(arena, Shape.of(2, 32, 32)));
                tape.reset();
                float[] logits;
                try (var _ = tape.noGrad()) {
                    model.forward(tape, tape.constant(other));   // the first pass looks the 8 × 8 grid up
                    tape.reset();
                    TensorMemory.Copies before = memory.copies();
                    Tensor out = model.forward(tape, tape.constant(other)).value();
                    // cape2d evaluates on the host too (its positions go down and back), as in training
                    if (memory.device() && !c.encoding().equals("cape2d")) assertEquals(TensorMemory.Copies.NONE,
                            memory.copies().minus(before), c.encoding() + ": a forward at a known grid copies nothing");
                    logits = memory.toArray(out);
                }
                return new Run(loss, logits);
            }
        }
    }
}
