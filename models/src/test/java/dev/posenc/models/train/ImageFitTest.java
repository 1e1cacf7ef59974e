package dev.posenc.models.train;

import dev.posenc.core.Backend;
import dev.posenc.core.io.Resample;
import dev.posenc.core.io.RgbImage;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Tancik's protocol on tiny images: the split, resizing, validation, and that fitting learns. */
class ImageFitTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** A smooth image with a few cycles per unit: learnable from a 16 × 16 training grid. */
    static RgbImage smooth(int size) {
        float[] p = new float[size * size * 3];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                double x = (double) c / size, y = (double) r / size;
                p[(r * size + c) * 3] = (float) (0.5 + 0.4 * Math.sin(2 * Math.PI * (2 * x + y)));
                p[(r * size + c) * 3 + 1] = (float) (0.5 + 0.4 * Math.cos(2 * Math.PI * 3 * y));
                p[(r * size + c) * 3 + 2] = (float) (0.3 + 0.5 * x * y);
            }
        }
        return new RgbImage(size, size, p);
    }

    static FitConfig tiny() {
        return FitConfig.defaults().withSize(32).withSteps(50).withEvalEvery(10).withSigma(2).withScale(3);
    }

    @Test
    void tinyGaussianFitRaisesTestPsnrAndReusesItsBuffers() {
        List<Integer> steps = new ArrayList<>();
        try (FitResult r = ImageFit.fit(backend, smooth(32), "gaussian", tiny(), (s, loss, psnr) -> steps.add(s))) {
            assertEquals(50, steps.size());
            assertEquals(List.of(10, 20, 30, 40, 50), r.curve().stream().map(FitResult.CurvePoint::step).toList());
            double first = r.curve().getFirst().testPsnr(), last = r.testPsnr();
            assertTrue(last > first + 3, "test PSNR should rise by > 3 dB: %.2f -> %.2f".formatted(first, last));
            assertTrue(last > 18, "a smooth image is easy: got %.2f dB".formatted(last));
            assertEquals(last, r.curve().getLast().testPsnr());
            assertTrue(r.trainPsnr() >= last - 1, "train PSNR %.2f vs test %.2f".formatted(r.trainPsnr(), last));
            assertEquals(0, r.allocationsAfterWarmup(), "a training step after the first allocated native memory");
            assertEquals(1e-3, r.learningRate(), 0);
            assertTrue(r.stepsPerSecond() > 0 && r.seconds() > 0);
        }
    }

    @Test
    void learnedAndFixedEncodingsTrainAndTheSeedFixesTheResult() {
        FitConfig c = tiny().withSteps(4).withLff(16, 8, 8, 1);
        for (String enc : List.of("basic", "lff")) {     // gaussian: above; the rest: ModelFileTest
            try (FitResult a = ImageFit.fit(backend, smooth(32), enc, c, ImageFit.Progress.NONE);
                 FitResult b = ImageFit.fit(backend, smooth(32), enc, c, ImageFit.Progress.NONE)) {
                assertTrue(Double.isFinite(a.testPsnr()), enc);
                // bitwise: the first run's early steps ran in colder JIT tiers than the second's, and every kernel
                // gives the same bits in every tier (Exp for exp, Lanes.sum for lane sums)
                assertEquals(a.testPsnr(), b.testPsnr(), enc + ": same seed, same result");
                assertEquals(FitConfig.defaultLearningRate(enc), a.learningRate(), 0);
            }
        }
    }

    @Test
    void aFitResumedFromItsCheckpointEndsWithTheBitsOfOneWithoutABreak(@TempDir Path dir) throws Exception {
        FitConfig whole = tiny().withSteps(12).withEvalEvery(5).withLff(16, 8, 8, 1);
        Path file = dir.resolve("lff.safetensors");
        ImageFit.Checkpoints every4 = new ImageFit.Checkpoints(file, 4);
        try (FitResult first = ImageFit.fit(backend, smooth(32), "lff", whole.withSteps(7), false, every4,
                ImageFit.Progress.NONE)) {
            assertTrue(Files.exists(file));
        }
        List<Integer> stepsRun = new ArrayList<>();
        try (FitResult resumed = ImageFit.fit(backend, smooth(32), "lff", whole, false, every4,
                (s, loss, psnr) -> stepsRun.add(s));
             FitResult straight = ImageFit.fit(backend, smooth(32), "lff", whole, ImageFit.Progress.NONE)) {
            assertEquals(List.of(8, 9, 10, 11, 12), stepsRun, "the checkpoint after step 7 (the last) is where it goes on");
            assertEquals(List.of(5, 7, 10, 12), resumed.curve().stream().map(FitResult.CurvePoint::step).toList(),
                    "the interrupted run's evaluations stay in the curve");
            for (var p : straight.model().store().all()) {
                Tensor a = p.value(), b = resumed.model().store().get(p.name()).value();
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(Float.floatToIntBits(a.get(i)), Float.floatToIntBits(b.get(i)), p.name() + "[" + i + "]");
                }
            }
            assertEquals(straight.testPsnr(), resumed.testPsnr());
        }
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> ImageFit.fit(backend,
                smooth(32), "lff", whole.withLr(0.01), false, every4, ImageFit.Progress.NONE));
        assertTrue(other.getMessage().contains("fit.lr: checkpoint"), other.getMessage());
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class, () -> ImageFit.fit(backend,
                smooth(32), "lff", whole.withSteps(6), false, every4, ImageFit.Progress.NONE));
        assertTrue(shorter.getMessage().contains("steps_done: expected an integer in [0, 6]"), shorter.getMessage());
    }

    @Test
    void splitTakesEvenEvenForTrainingAndOddOddForTest() {
        RgbImage img = smooth(8);
        try (Arena arena = Arena.ofShared()) {
            ImageFit.Split s = ImageFit.Split.of(arena, img);
            assertEquals(16, s.trainXy().rows());
            assertEquals(2f / 8, s.trainXy().get(1, 0));       // row 0, column 2: x = 2/8, y = 0
            assertEquals(0f, s.trainXy().get(1, 1));
            assertEquals(2f / 8, s.trainXy().get(4, 1));       // row 2, column 0
            assertEquals(1f / 8, s.testXy().get(0, 0));
            assertEquals(1f / 8, s.testXy().get(0, 1));
            assertEquals(img.get(3, 5, 1), s.testRgb().get(4 + 2, 1));  // odd-odd pixel (3, 5) is test row 1·4 + 2
            assertEquals(img.get(2, 4, 2), s.trainRgb().get(4 + 2, 2));
        }
    }

    @Test
    void configValidationNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> FitConfig.defaults().withSize(96));
        assertTrue(e.getMessage().contains("size") && e.getMessage().contains("power of two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FitConfig.defaults().withSteps(0));
        assertThrows(IllegalArgumentException.class, () -> FitConfig.defaults().withLr(-1));
        var bad = assertThrows(IllegalArgumentException.class,
                () -> ImageFit.fit(backend, smooth(8), "gaussian", tiny().withSigma(-1), ImageFit.Progress.NONE));
        assertTrue(bad.getMessage().startsWith("gaussian: sigma:"), bad.getMessage());
        assertEquals(2.5, FitConfig.sigmaFor(128), 1e-12);
        assertEquals(4, FitConfig.scaleFor(128), 1e-12);
        assertEquals(6, FitConfig.scaleFor(512), 1e-12);
    }

    @Test
    void resizeCropsToTheCentredSquareThenUsesTheTentFilter() {
        float[] p = new float[4 * 4 * 3];
        for (int i = 0; i < 16; i++) p[i * 3] = i;                 // red = 0..15 row-major
        RgbImage square = new RgbImage(4, 4, p);
        assertEquals(Resample.resize(square, 2, 2), ImageResize.toSquare(square, 2), "the twin's filter, exactly");
        assertSame(square, ImageResize.toSquare(square, 4));
        float[] wide = new float[2 * 6 * 3];
        for (int x = 0; x < 6; x++) { wide[x * 3] = x; wide[(6 + x) * 3] = x; }
        RgbImage crop = ImageResize.toSquare(new RgbImage(2, 6, wide), 2);
        assertEquals(2f, crop.get(0, 0, 0), 0f, "centre crop keeps columns 2 and 3");
        assertEquals(3f, crop.get(1, 1, 0), 0f);
        RgbImage big = ImageResize.toSquare(new RgbImage(4, 6, new float[4 * 6 * 3]), 8);
        assertEquals(8, big.height());
        assertEquals(8, big.width());
    }
}
