package dev.posenc.models.analysis.toy1d;

import dev.posenc.core.Backend;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toy's fit, small: the paper's claim in miniature, and seeds that fix the result. */
class SignalFitTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** 64 points, every other one trains (Nyquist 16), K = 15; a 2-hidden-layer width-32 MLP on 16 frequencies. */
    private static final Toy1dConfig SMALL = new Toy1dConfig(64, 2, 15, List.of(1.0), 1, 200, 32, 3, 16, 3e-3, 0);

    private static SignalFit.Result fit(double sigma) {
        double[] s = PowerLawSignal.generate(64, 1, 15, 2).values();
        return SignalFit.fit(backend, "gaussian", sigma, SMALL, s, Split.everyKth(64, 2), 5);
    }

    @Test
    void testPsnrIsAnInvertedUInSigmaWhileTrainRises() {
        SignalFit.Result small = fit(0.125), middle = fit(2), large = fit(64);
        String all = "σ 0.125: %s, σ 2: %s, σ 64: %s".formatted(small, middle, large);
        assertTrue(middle.testPsnr() > small.testPsnr() + 1, all);    // too small a σ underfits
        assertTrue(middle.testPsnr() > large.testPsnr() + 1, all);    // too large a σ overfits
        assertTrue(large.trainPsnr() > middle.trainPsnr() && middle.trainPsnr() > small.trainPsnr(), all);
    }

    @Test
    void oneSeedOneResult() {
        assertEquals(fit(2), fit(2));
    }
}
