package dev.posenc.models.train;

import dev.posenc.models.nn.CoordinateModel;

import java.util.List;

/**
 * The outcome of one {@link ImageFit}. Owns the trained model: close the result (or the model) when done.
 *
 * @param encoding       the encoding's name
 * @param config         the settings of the run
 * @param learningRate   the rate Adam used
 * @param trainPsnr      final PSNR on the training (even-even) pixels, dB, after the last step
 * @param testPsnr       final PSNR on the test (odd-odd) pixels, dB
 * @param curve          PSNRs at every evaluation, in step order, ending with the final one
 * @param seconds        wall time of the whole fit (set-up, steps and evaluations)
 * @param stepsPerSecond training steps per second, evaluations excluded
 * @param allocationsAfterWarmup native allocations by the training tape after the first step (0: buffers reused)
 * @param model          the trained network
 */
public record FitResult(String encoding, FitConfig config, double learningRate, double trainPsnr, double testPsnr,
                        List<CurvePoint> curve, double seconds, double stepsPerSecond, int allocationsAfterWarmup,
                        CoordinateModel model) implements AutoCloseable {
    /**
     * PSNRs (dB) at {@code step}: train from the full-batch loss of step {@code step}'s forward pass (before its
     * update, as the loop sees it for free), test on the odd-odd pixels after {@code step} updates.
     */
    public record CurvePoint(int step, double trainPsnr, double testPsnr) {}

    public FitResult {
        curve = List.copyOf(curve);
    }

    @Override public void close() { model.close(); }
}
