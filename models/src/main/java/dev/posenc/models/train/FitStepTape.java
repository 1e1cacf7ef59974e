package dev.posenc.models.train;

import dev.posenc.autograd.Tape;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.io.RgbImage;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.optim.Adam;

import java.lang.foreign.Arena;

/**
 * One {@code fit-image} training step (the same {@link ImageFit#trainStep} the fit runs: forward, loss,
 * backward, Adam), recorded on a tape that is then shown instead of thrown away: {@code posenc tape fit-image}.
 */
public final class FitStepTape {
    private FitStepTape() {}

    /** What the tape held after the step: {@link Tape#describe()}, {@link Tape#toDot()} and the step's loss. */
    public record Recorded(String table, String dot, double loss) {}

    /** Runs one step of {@code encoding} on {@code image} (resized to config.size()) and describes its tape. */
    public static Recorded record(Backend backend, RgbImage image, String encoding, FitConfig config) {
        RgbImage img = ImageResize.toSquare(image, config.size());
        try (CoordinateModel model = CoordinateModel.create(encoding, config.encodingParams(), Mlp.TANCIK_HIDDEN,
                     new Rng(config.seed()));
             Arena arena = Arena.ofShared(); Tape tape = new Tape(backend);
             Adam adam = new Adam(model.store(), AdamConfig.adam((float) config.learningRate(encoding)))) {
            double loss = ImageFit.trainStep(backend, model, adam, tape, ImageFit.Split.of(arena, img));
            return new Recorded(tape.describe(), tape.toDot(), loss);
        }
    }
}
