package dev.posenc.models.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.autograd.Tape;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.optim.Adam;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FitMemory}'s estimate against what a real step and model allocate (issue 10: the memory budget). */
class FitMemoryTest {
    /** The activation estimate counts op outputs and their gradients, not every scratch buffer: a factor 2 either way. */
    private static final double STEP_FACTOR = 2;
    /** Parameters are counted from the declared shapes: only the 64-byte alignment padding differs. */
    private static final double PARAMETER_TOLERANCE = 0.1;

    @Test
    void estimateIsCloseToWhatAStepAndTheModelAllocate() {
        FitConfig c = FitConfig.defaults().withSize(16).withLff(16, 24, 8, 1);
        try (Backend backend = new CpuBackend(1); Arena arena = Arena.ofShared()) {
            ImageFit.Split data = ImageFit.Split.of(arena, BuiltinImages.byName("astronaut", 16, 0));
            for (String encoding : List.of("none", "gaussian", "positional", "lff")) {
                FitMemory estimate = FitMemory.estimate(c, encoding);
                try (CoordinateModel model = CoordinateModel.create(encoding, c.encodingParams(), Mlp.TANCIK_HIDDEN,
                        new Rng(0)); Tape tape = new Tape(backend);
                     Adam adam = new Adam(model.store(), AdamConfig.adam(1e-3f))) {
                    ImageFit.trainStep(backend, model, adam, tape, data);
                    tape.reset();                                   // folds the step's buffers into one slab
                    long step = tape.stepMemoryBytes();
                    double ratio = (double) estimate.stepBytes() / step;
                    assertTrue(ratio > 1 / STEP_FACTOR && ratio < STEP_FACTOR, () -> "%s: step estimated %d bytes, "
                            + "measured %d".formatted(encoding, estimate.stepBytes(), step));
                    long params = 0;
                    for (ParameterStore.Parameter p : model.store().all()) params += p.value().size();
                    long trainable = model.store().trainableValues().size();
                    long measured = Float.BYTES * (params + trainable + adam.firstMoment().size()
                            + adam.secondMoment().size());
                    double pr = (double) estimate.parameterBytes() / measured;
                    assertTrue(Math.abs(pr - 1) < PARAMETER_TOLERANCE, () -> "%s: parameters estimated %d bytes, "
                            + "measured %d".formatted(encoding, estimate.parameterBytes(), measured));
                }
            }
        }
    }

    @Test
    void theDefaultSizeNeedsLittleAndTheLargestAGreatDeal() {
        long small = FitMemory.estimate(FitConfig.defaults(), "lff").total();
        long large = FitMemory.estimate(FitConfig.defaults().withSize(4096), "lff").total();
        assertTrue(small < (1L << 30), "the defaults fit any machine: " + small);
        assertTrue(large > (32L << 30), "4096² trains on 2048² rows at once: " + large);
    }
}
