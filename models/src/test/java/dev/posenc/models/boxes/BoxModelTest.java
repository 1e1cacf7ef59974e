package dev.posenc.models.boxes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.Test;

class BoxModelTest {
    @Test void sineChannelsAreTheOctavesOfEachCoordinate() {
        try (var backend = new CpuBackend(1); Tape tape = new Tape(backend)) {
            Tensor boxes = tape.alloc(1, 4);
            float[] b = {0.1f, 0.2f, 0.3f, 0.7f};
            for (int c = 0; c < 4; c++) boxes.set(0, c, b[c]);
            Tensor s = BoxModel.sine(tape, boxes, 32);
            assertEquals(Math.sin(2 * Math.PI * 0.3f), s.get(0, 16), 1e-6);        // coordinate 2, k 0, sin
            assertEquals(Math.cos(2 * Math.PI * 4 * 0.7f), s.get(0, 24 + 5), 1e-5); // coordinate 3, k 2, cos
        }
    }

    /** A short run must beat guessing: the majority class is under 50 % of widgets (ScreensTest). */
    @Test void lffLearnsAboveTheMajorityClass() {
        try (var backend = new CpuBackend(2)) {
            var config = new BoxTrainer.Config(16, 1, 2, 0.1, 0.01, 16, 150, 150, 60);
            BoxTrainer.Result r = BoxTrainer.train(backend, new BoxVariant("lff", 2), config, 0, (s, l, a) -> {});
            assertTrue(r.accuracy() > 0.6, "accuracy " + r.accuracy());
            assertEquals(1, r.curve().size());
        }
    }
}
