package dev.posenc.models.train;

import dev.posenc.core.io.RgbImage;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.nn.ParameterStore;

/**
 * The memory one {@link ImageFit} of an encoding holds at its peak, estimated before anything is allocated,
 * so that a run too big for the machine is refused with a reason instead of dying in an allocation.
 *
 * <p>Parameters are counted exactly: the model's tensors are declared on a {@link ParameterStore} that is never
 * allocated. Activations follow the tape: with N = (size/2)² training rows, every op's output (N × width) and,
 * in backward, its gradient of the same shape live in the step's slab, so a step holds
 * 4·N·2·Σ widths bytes, Σ over the ops of the encoding and the MLP (for Tancik's 3 × 256 MLP and a 512-wide
 * encoding that is about 16 KiB per row, 64 MiB at the default 128²; 64 GiB at --size 4096). {@code FitMemoryTest}
 * holds the estimate against the slab a real step grew.
 *
 * @param parameterBytes values, gradients and Adam's two moments
 * @param stepBytes      one training step's activations and their gradients (the tape's slab)
 * @param evalBytes      the evaluation tape (forward only, {@link ImageFit#EVAL_CHUNK_ROWS} rows at a time) and the
 *                       train/test positions, targets and predictions
 * @param imageBytes     the image, its resized copy and the reconstruction kept for the grid (heap)
 */
public record FitMemory(long parameterBytes, long stepBytes, long evalBytes, long imageBytes) {
    /** Rows of loss, inputs and targets per training row (mse's difference, positions, colours): small, fixed. */
    private static final int SMALL_PER_ROW = 16;

    public long total() { return parameterBytes + stepBytes + evalBytes + imageBytes; }

    /** Trainable floats above this cannot be laid out in one slab (int-indexed): refused before any other check. */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE;

    /**
     * The estimate for {@code encoding} under {@code config}.
     *
     * @throws IllegalArgumentException if the encoding has more than {@link #MAX_PARAMETERS} parameters
     */
    public static FitMemory estimate(FitConfig config, String encoding) {
        long params = 0, trainable = 0, widths;
        try (ParameterStore store = new ParameterStore()) {       // declared only: allocates nothing
            Encoding enc = Encodings.create(encoding, config.encodingParams(), store);
            Mlp.tancik(store, "mlp", enc.outputDims(), Mlp.TANCIK_HIDDEN);
            for (ParameterStore.Parameter p : store.all()) {
                params += p.shape().size();
                if (p.trainable()) trainable += p.shape().size();
            }
            widths = encodingWidths(encoding, config, enc.outputDims());
        }
        if (trainable > MAX_PARAMETERS) throw new IllegalArgumentException(
                "%s: %d parameters, more than the %d one model can hold".formatted(encoding, trainable, MAX_PARAMETERS));
        for (int h : Mlp.TANCIK_HIDDEN) widths += 2L * h;          // linear + relu
        widths += 2 * 3;                                           // linear + sigmoid
        long n = (long) config.size() / 2 * (config.size() / 2);
        long step = Float.BYTES * n * (2 * widths + SMALL_PER_ROW);
        long eval = Float.BYTES * (Math.min(n, ImageFit.EVAL_CHUNK_ROWS) * widths + n * 16);
        long pixels = (long) config.size() * config.size() * RgbImage.CHANNELS * Float.BYTES;
        return new FitMemory(Float.BYTES * (params + 3 * trainable), step, eval, 3 * pixels);
    }

    /** Σ of the widths of the encoding's op outputs per position (what its forward writes for one row). */
    private static long encodingWidths(String encoding, FitConfig c, int outputDims) {
        long f = c.fourierDims(), h = c.hidden(), d = c.outputDims(), g = c.groups();
        return switch (encoding) {
            case "none" -> 0;
            case "lff" -> g * (f + 2 * h) + d;                     // features, linear, gelu; linear
            case "lff-only" -> g * f;
            case "mlp" -> g * 2 * h + d;
            default -> outputDims;                                 // basic, positional, gaussian: one fused op
        };
    }
}
