package dev.posenc.models.vit;

/**
 * The memory a {@link VitTrainer} run holds at its peak, estimated from the configuration before anything is
 * allocated. Rougher than {@code FitMemory}: per token and block the forward writes about 14·D + 2·M + 2·h·T
 * floats (norms, q, k, v and their head-split copies, the materialised scores and their softmax, the merge,
 * projection, residuals, the MLP and its GELU), and backward a gradient of each; the data sets are copied
 * off-heap whole (Fashion-MNIST's 60,000 and 10,000 images at most). Parameters are counted from the shapes
 * {@link Vit} declares; the encoding's own few thousand are left out.
 *
 * @param parameterBytes values, gradients and Adam's two moments
 * @param stepBytes      one training step's activations and gradients
 * @param evalBytes      the evaluation tape ({@link VitTrainer#EVAL_CHUNK} images at a time, forward only)
 * @param dataBytes      training, test and unseen-resolution images
 */
public record VitMemory(long parameterBytes, long stepBytes, long evalBytes, long dataBytes) {
    /** Fashion-MNIST's training and test images: a limit above them loads no more. */
    static final int TRAIN_IMAGES = 60_000, TEST_IMAGES = 10_000;

    public long total() { return parameterBytes + stepBytes + evalBytes + dataBytes; }

    /** The estimate for {@code c}; {@code unseenSize} is compare-pe's extra test resolution (0: none). */
    public static VitMemory estimate(VitConfig c, int unseenSize) {
        long d = c.dim(), m = c.mlpHidden(), h = c.heads(), p = c.patch();
        long tokens = (long) c.grid() * c.grid() + 1;
        long perBlock = 4 * (d * d + d) + 4 * d + 2 * d * m + m + d;
        long params = c.depth() * perBlock + (p * p + 1) * d + d + 2 * d + 10 * (d + 1);
        long perToken = c.depth() * (14 * d + 2 * m + 2 * h * tokens) + 4 * d + p * p;
        long step = 2 * Float.BYTES * c.batch() * tokens * perToken;
        long eval = (long) Float.BYTES * Math.min(VitTrainer.EVAL_CHUNK, c.testLimit()) * tokens * perToken;
        long side = c.imageSize(), test = Math.min(c.testLimit(), TEST_IMAGES);
        long data = Float.BYTES * (Math.min(c.trainLimit(), TRAIN_IMAGES) * side * side + test * side * side
                + test * (long) unseenSize * unseenSize);
        return new VitMemory(4L * Float.BYTES * params, step, eval, data);
    }

    /** The option that shrinks the largest part. */
    public String lever() {
        return dataBytes > stepBytes ? "--train-limit or --test-limit" : "--batch";
    }
}
