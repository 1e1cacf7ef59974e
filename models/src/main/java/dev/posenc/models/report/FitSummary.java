package dev.posenc.models.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of fitting one encoding, as the report writers need it; plain values, so {@code report} does
 * not depend on the model classes.
 *
 * @param encoding  the encoding's name as the CLI spells it ({@code none}, {@code gaussian}, {@code lff}, ...)
 * @param trainPsnr PSNR on the training pixels after the last step, dB
 * @param testPsnr  PSNR on the test pixels after the last step, dB
 * @param steps     optimiser steps taken
 * @param seconds   wall time of those steps (warm-up excluded by the caller)
 * @param curve     test PSNR during training: each entry {@code {step, testPsnr}}, in step order; copied here
 */
public record FitSummary(String encoding, double trainPsnr, double testPsnr, int steps, double seconds,
                         List<double[]> curve) {
    public FitSummary {
        if (encoding == null || encoding.isBlank()) throw new IllegalArgumentException(
                "encoding: expected a name, got '%s'".formatted(encoding));
        if (steps < 0) throw new IllegalArgumentException("steps: expected >= 0, got %d".formatted(steps));
        if (!(seconds >= 0)) throw new IllegalArgumentException("seconds: expected >= 0, got %s".formatted(seconds));
        List<double[]> copy = new ArrayList<>(curve.size());
        for (int i = 0; i < curve.size(); i++) {
            double[] p = curve.get(i);
            if (p.length != 2) throw new IllegalArgumentException(
                    "curve[%d]: expected {step, testPsnr}, got %d values".formatted(i, p.length));
            copy.add(p.clone()); // the caller may reuse its arrays
        }
        curve = List.copyOf(copy);
    }

    /** The same fit under another name (a progress line labels it with its image too). */
    public FitSummary withEncoding(String name) { return new FitSummary(name, trainPsnr, testPsnr, steps, seconds, curve); }

    /** Steps per second of wall time; NaN when no time was measured. */
    public double stepsPerSecond() { return seconds > 0 ? steps / seconds : Double.NaN; }
}
