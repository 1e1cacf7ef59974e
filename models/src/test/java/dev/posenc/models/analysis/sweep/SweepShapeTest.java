package dev.posenc.models.analysis.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepShapeTest {
    private static final double[] SCALES = {1, 2, 4, 8, 16};

    @Test
    void anInvertedUWithRisingTrain() {
        double[] train = {20, 25, 40, 140, 139.5}, test = {18, 24, 30, 22, 10};
        SweepShape s = SweepShape.of(SCALES, train, test);
        assertEquals(2, s.peak());
        assertTrue(s.invertedU());
        assertEquals(12, s.rise(), 1e-12);
        assertEquals(20, s.fall(), 1e-12);
        assertTrue(s.trainRises(), "140 to 139.5: both at the float32 floor");
        String d = s.describe("σ", 64);
        assertTrue(d.startsWith("best test PSNR 30.00 dB at σ = 4 (0.0625 × the training Nyquist 64); inverted U: yes"), d);
        assertTrue(d.endsWith("train PSNR keeps rising: yes"), d);
    }

    @Test
    void aPeakAtTheEdgeOrAFlatTopIsNoInvertedU() {
        assertFalse(SweepShape.of(SCALES, SCALES, new double[] {30, 29, 25, 20, 10}).invertedU());
        assertFalse(SweepShape.of(SCALES, SCALES, new double[] {10, 20, 25, 28, 30}).invertedU());
        SweepShape flat = SweepShape.of(SCALES, SCALES, new double[] {29.5, 29.8, 30, 29.7, 29.6});
        assertFalse(flat.invertedU(), "0.5 dB either side is within noise");
        assertTrue(flat.describe("s", 0).contains("inverted U: NO (the peak is too flat"));
    }

    @Test
    void trainDropsBelowTheFloorAreReported() {
        double[] train = {20, 30, 28.5, 29, 27}, test = {10, 20, 15, 12, 11};
        SweepShape s = SweepShape.of(SCALES, train, test);
        assertEquals(List.of(4.0, 16.0), s.trainDrops());
        assertTrue(s.describe("σ", 0).endsWith("train PSNR keeps rising: NO (it drops at σ = 4, σ = 16)"));
    }

    @Test
    void scalesMustAscend() {
        assertThrows(IllegalArgumentException.class, () -> SweepShape.of(new double[] {1, 1}, new double[2], new double[2]));
    }

    @Test
    void shortNumbers() {
        assertEquals("4", SweepShape.shortNumber(4));
        assertEquals("0.25", SweepShape.shortNumber(0.25));
        assertEquals("0.156", SweepShape.shortNumber(0.15625));
        assertEquals("2.5", SweepShape.shortNumber(2.5));
    }
}
