package dev.posenc.models.vit;

import dev.posenc.autograd.Tape;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.optim.Adam;

import java.lang.foreign.Arena;

/**
 * One {@code train-vit} step ({@link VitTrainer#step}: forward, cross-entropy, backward, Adam) on a batch of
 * seeded noise images, recorded on a tape that is then shown: {@code posenc tape vit}. The tape's ops, shapes and
 * bytes depend on the configuration, not on the pixels, so no data set is needed.
 */
public final class VitStepTape {
    private VitStepTape() {}

    /** What the tape held after the step: {@link Tape#describe()}, {@link Tape#toDot()} and the step's loss. */
    public record Recorded(String table, String dot, double loss) {}

    public static Recorded record(Backend backend, VitConfig config) {
        Rng rng = new Rng(config.seed());
        int[] labels = new int[config.batch()];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(VitConfig.CLASSES);
        try (Vit model = new Vit(config); Arena arena = Arena.ofShared(); Tape tape = new Tape(backend);
             Adam adam = new Adam(model.store(), AdamConfig.adam((float) config.lr()))) {
            Tensor images = rng.uniform(arena, Shape.of(config.batch(), config.imageSize(), config.imageSize()), 0f, 1f);
            double loss = VitTrainer.step(backend, model, adam, tape, images, labels, VitTrainer.augmentRng(config.seed(), 1));
            return new Recorded(tape.describe(), tape.toDot(), loss);
        }
    }
}
