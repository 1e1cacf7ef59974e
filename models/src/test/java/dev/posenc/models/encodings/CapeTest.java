package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** CAPE: equal to the sinusoids with augmentation off; the augmentation's ranges and laws; bad options. */
class CapeTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** float32 sin/cos of arguments up to ~17 rad against a double formula. */
    private static final float SINUSOID_ATOL = 2e-6f;
    /** Tolerance of a sample mean or variance over this many draws: several standard errors. */
    private static final int DRAWS = 4000;

    private static EncodingParams params(int m, double shift, double local, double scaling, boolean normalize) {
        return EncodingParams.defaults(m).toBuilder().outputDims(12).cape(shift, local, scaling, normalize).build();
    }

    private static final EncodingParams OFF_1D = params(1, 0, 0, 1, false), OFF_2D = params(2, 0, 0, 1, false);

    /** Positions (t, 2) on a 3 × 5 grid, or (t, 1) tokens 0..16. */
    private static Tensor grid(Tape tape, int m) {
        if (m == 1) {
            Tensor x = tape.alloc(17, 1);
            for (int i = 0; i < 17; i++) x.set(i, 0, i);
            return x;
        }
        Tensor x = tape.alloc(15, 2);
        for (int i = 0; i < 15; i++) {
            x.set(i, 0, i / 5);
            x.set(i, 1, i % 5);
        }
        return x;
    }

    private static float[] evaluate(String name, EncodingParams p, boolean training, int batch) {
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend)) {
            Encoding enc = Encodings.create(name, p, store);
            store.allocate(new Rng(1));
            var x = tape.constant(grid(tape, p.positionDims()));
            return (training ? ((AugmentedEncoding) enc).applyTraining(tape, x, batch, new Rng(5)) : enc.apply(tape, x))
                    .value().toArray();
        }
    }

    @Test
    void withAugmentationOffCape1dIsSine1dAndCape2dIsSine2dBitForBit() {
        float[] sine1 = evaluate("sine1d", OFF_1D, false, 1), sine2 = evaluate("sine2d", OFF_2D, false, 1);
        assertArrayEquals(sine1, evaluate("cape1d", OFF_1D, false, 1), 0f);
        assertArrayEquals(sine2, evaluate("cape2d", OFF_2D, false, 1), 0f);
        float[] trained = evaluate("cape2d", OFF_2D, true, 3);       // training draws, but every range is empty
        for (int b = 0; b < 3; b++) {
            float[] copy = new float[sine2.length];
            System.arraycopy(trained, b * sine2.length, copy, 0, sine2.length);
            assertArrayEquals(sine2, copy, 0f, "sequence " + b);
        }
    }

    @Test
    void sine1dIsVaswanisSinusoidInOurChannelOrder() {
        float[] ours = evaluate("sine1d", OFF_1D, false, 1);
        int d = 12;
        for (int t = 0; t < 17; t++) {
            for (int k = 0; k < d / 2; k++) {
                double w = Math.exp(-2.0 * k * Math.log(1e4) / d);   // spec §4.1: ω_c, c = 2k and 2k+1
                assertEquals(Math.sin(t * w + Math.PI / 2), ours[t * d + k], SINUSOID_ATOL, "cos channel " + k);
                assertEquals(Math.sin(t * w), ours[t * d + d / 2 + k], SINUSOID_ATOL, "sin channel " + k);
            }
        }
        // by hand, D 4, x 1: ω = (1, 0.01) → [cos 1, cos 0.01, sin 1, sin 0.01]
        float[] hand = EncodingsTest.encode("sine1d", OFF_1D.toBuilder().outputDims(4).build(), 1f);
        assertArrayEquals(new float[] {0.5403023f, 0.99995f, 0.84147096f, 0.00999983f}, hand, 1e-6f);
    }

    @Test
    void evaluationIsDeterministicAndNormalizeCentresThePositions() {
        EncodingParams p = params(2, 0.5, 1, 1.4, true);
        float[] once = evaluate("cape2d", p, false, 1);
        assertArrayEquals(once, evaluate("cape2d", p, false, 1), 0f);
        // the 3 × 5 grid centred: rows −1..1, cols −2..2
        float[] centred = EncodingsTest.encode("sine2d", OFF_2D, -1f, -2f);
        float[] first = new float[centred.length];
        System.arraycopy(once, 0, first, 0, centred.length);
        assertArrayEquals(centred, first, 0f);
        assertFalse(java.util.Arrays.equals(once, evaluate("cape2d", p, true, 1)), "training mode augments");
    }

    /** Augmented positions of {@code DRAWS} sequences of the 3 × 5 grid (or 17 tokens). */
    private static Tensor augmented(Tape tape, int m, double shift, double local, double scaling, boolean normalize,
                                    long seed) {
        Tensor x = grid(tape, m);
        Tensor out = tape.alloc(DRAWS * x.rows(), m);
        CapeAugmentation.of("cape", params(m, shift, local, scaling, normalize)).augment(x, DRAWS, new Rng(seed), out);
        return out;
    }

    @Test
    void globalShiftIsOneUniformDrawPerSequenceAndAxis() {
        try (Tape tape = new Tape(backend)) {
            Tensor x = grid(tape, 2), out = augmented(tape, 2, 2, 0, 1, false, 3);
            int t = x.rows();
            double sum = 0, sumSq = 0, corr = 0;
            for (int b = 0; b < DRAWS; b++) {
                double dy = out.get(b * t, 0) - x.get(0, 0), dx = out.get(b * t, 1) - x.get(0, 1);
                for (int i = 0; i < t; i++) {   // the same shift for every position of the sequence
                    assertEquals(dy, out.get(b * t + i, 0) - x.get(i, 0), 1e-5);
                    assertEquals(dx, out.get(b * t + i, 1) - x.get(i, 1), 1e-5);
                }
                assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "within ±Δmax");
                sum += dy;
                sumSq += dy * dy;
                corr += dx * dy;
            }
            assertEquals(0, sum / DRAWS, 0.1);                 // U[−2, 2]: mean 0, sd of the mean 0.018
            assertEquals(4.0 / 3, sumSq / DRAWS, 0.1);         // variance Δmax²/3
            assertEquals(0, corr / DRAWS, 0.1, "the axes draw independently");
        }
    }

    @Test
    void localShiftIsIndependentPerPositionWithinEpsilon() {
        try (Tape tape = new Tape(backend)) {
            Tensor x = grid(tape, 1), out = augmented(tape, 1, 0, 0.5, 1, false, 4);
            double sumSq = 0, neighbours = 0;
            int n = 0;
            for (int b = 0; b < DRAWS; b++) {
                for (int i = 0; i < 17; i++) {
                    double e = out.get(b * 17 + i, 0) - i;
                    assertTrue(Math.abs(e) <= 0.5 + 1e-6, "within ±εmax");
                    sumSq += e * e;
                    if (i > 0) neighbours += e * (out.get(b * 17 + i - 1, 0) - (i - 1));
                    n++;
                }
            }
            assertEquals(0.25 / 3, sumSq / n, 0.005);          // variance εmax²/3 = 0.0833
            assertEquals(0, neighbours / n, 0.005, "neighbours draw independently");
        }
    }

    @Test
    void globalScalingIsLogUniformSharedByTheAxesAndAppliedAfterTheShift() {
        try (Tape tape = new Tape(backend)) {
            Tensor x = grid(tape, 2), out = augmented(tape, 2, 0.5, 0, 1.4, false, 6);
            int t = x.rows();
            double logMax = Math.log(1.4), sum = 0, sumSq = 0;
            for (int b = 0; b < DRAWS; b++) {
                // positions 0 → (0,0), 1 → (0,1), 5 → (1,0): a unit step in each axis scales by the same λ
                double lambdaCol = out.get(b * t + 1, 1) - out.get(b * t, 1);
                double lambdaRow = out.get(b * t + 5, 0) - out.get(b * t, 0);
                assertEquals(lambdaCol, lambdaRow, 1e-5, "one λ for both axes");
                double log = Math.log(lambdaCol);
                assertTrue(Math.abs(log) <= logMax + 1e-5, "λ within [1/λmax, λmax]");
                // shift before scaling: x' = (x + Δ)·λ, so x'/λ − x = Δ ∈ [−Δmax, Δmax] at every position
                assertTrue(Math.abs(out.get(b * t, 0) / lambdaCol) <= 0.5 + 1e-5);
                sum += log;
                sumSq += log * log;
            }
            assertEquals(0, sum / DRAWS, 0.01);
            assertEquals(logMax * logMax / 3, sumSq / DRAWS, 0.005, "log λ uniform: variance (log λmax)²/3");
        }
    }

    @Test
    void positionsStayWithinTheSpecBoundAndTheDrawsFollowTheSeed() {
        try (Tape tape = new Tape(backend)) {
            // spec §4.5: a centred grid of half-width 2 stays within ±(2 + Δmax + εmax)·λmax
            Tensor out = augmented(tape, 2, 0.5, 1, 1.4, true, 8);
            double bound = (2 + 0.5 + 1) * 1.4, reached = 0;
            for (float v : out.toArray()) {
                assertTrue(Math.abs(v) <= bound + 1e-5, "position " + v + " beyond " + bound);
                reached = Math.max(reached, Math.abs(v));
            }
            assertTrue(reached > 0.8 * bound, "the ranges are used, not shrunk: reached " + reached);
            assertArrayEquals(out.toArray(), augmented(tape, 2, 0.5, 1, 1.4, true, 8).toArray(), 0f);
            assertFalse(java.util.Arrays.equals(out.toArray(), augmented(tape, 2, 0.5, 1, 1.4, true, 9).toArray()));
        }
    }

    @Test
    void badOptionsAreRefusedByName() {
        try (ParameterStore store = new ParameterStore()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Encodings.create("cape2d", params(2, -1, 1, 1.4, false), store));
            assertTrue(e.getMessage().contains("cape2d: capeGlobalShift") && e.getMessage().contains("-1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Encodings.create("cape1d", params(1, 0, -0.5, 1.4, false), store));
            assertTrue(e.getMessage().contains("cape1d: capeLocalShift"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Encodings.create("cape1d", params(1, 0, 0, 0.9, false), store));
            assertTrue(e.getMessage().contains("capeGlobalScaling") && e.getMessage().contains(">= 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Encodings.create("cape1d", params(2, 0, 0, 1, false), store));
            assertTrue(e.getMessage().contains("cape1d: positionDims"), e.getMessage());
        }
    }
}
