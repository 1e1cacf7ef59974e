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

    /**
     * Training must take the loss under the class priors' entropy (about 1.05 nats for the shares of ScreensTest),
     * which only the geometry can do: the types carry no information about the class.
     */
    @Test void trainingTakesTheLossUnderTheClassPriors() {
        try (var backend = new CpuBackend(2)) {
            var config = new BoxTrainer.Config(32, 1, 2, 0.3, 0.005, 32, 300, 300, 20);
            double[] loss = new double[300];
            BoxTrainer.train(backend, new BoxVariant("lff", 2), config, 0, (s, l, a) -> loss[s - 1] = l);
            double last = java.util.Arrays.stream(loss, 250, 300).average().orElseThrow();
            assertTrue(last < 0.95, "mean loss of steps 251–300: " + last);
        }
    }
}
