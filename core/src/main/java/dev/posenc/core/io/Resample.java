package dev.posenc.core.io;

/**
 * Image resizing with a separable triangle (tent) filter whose support widens with the reduction factor, the
 * filter of PIL's {@code Image.resize(..., BILINEAR)}: plain bilinear interpolation when enlarging, and an
 * anti-aliased average over the covered input pixels when shrinking (so a 2× reduction does not alias the
 * way point sampling would). Values are filtered as stored (sRGB-encoded, no linearisation), like PIL.
 *
 * <p>Output pixel i has its centre at input coordinate {@code c = (i + ½)·s}, with {@code s = in/out}; with
 * half-width {@code r = max(s, 1)}, input pixel j gets weight {@code max(0, 1 − |j + ½ − c| / r)}. Taps that fall
 * outside the image are dropped and the rest renormalised, so edges are not darkened. At {@code in == out} the
 * only tap is j = i with weight 1, so resizing to the same size is the identity, exactly.
 * Twin: {@code bench/pytorch/fit_image.py}'s {@code resize_triangle}.
 */
public final class Resample {
    private Resample() {}

    /** A new image of {@code height × width}; {@code image} is not modified. */
    public static RgbImage resize(RgbImage image, int height, int width) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException(
                "resize: expected a positive height and width, got %d × %d".formatted(height, width));
        if ((long) height * width * RgbImage.CHANNELS > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(
                "resize: %d × %d is too large for one float array".formatted(height, width));
        if (height == image.height() && width == image.width()) {
            return new RgbImage(height, width, image.pixels().clone());
        }
        int c = RgbImage.CHANNELS;
        // horizontal pass: image.height × width
        Taps tx = taps(image.width(), width);
        float[] mid = new float[image.height() * width * c];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int k = 0; k < tx.count[x]; k++) sum += tx.weight[x][k] * image.get(y, tx.first[x] + k, ch);
                    mid[(y * width + x) * c + ch] = (float) sum;
                }
            }
        }
        // vertical pass: height × width
        Taps ty = taps(image.height(), height);
        float[] out = new float[height * width * c];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int k = 0; k < ty.count[y]; k++) {
                        sum += ty.weight[y][k] * mid[((ty.first[y] + k) * width + x) * c + ch];
                    }
                    out[(y * width + x) * c + ch] = (float) sum;
                }
            }
        }
        return new RgbImage(height, width, out);
    }

    /** For each output index: the first input index, the number of taps and their normalised weights. */
    private record Taps(int[] first, int[] count, double[][] weight) {}

    private static Taps taps(int in, int out) {
        double scale = (double) in / out, radius = Math.max(scale, 1.0);
        int[] first = new int[out], count = new int[out];
        double[][] weight = new double[out][];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(centre - radius));
            int hi = Math.min(in, (int) Math.ceil(centre + radius));
            double[] w = new double[hi - lo];
            double total = 0;
            for (int j = lo; j < hi; j++) total += w[j - lo] = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / radius);
            for (int k = 0; k < w.length; k++) w[k] /= total;
            first[i] = lo;
            count[i] = w.length;
            weight[i] = w;
        }
        return new Taps(first, count, weight);
    }
}
