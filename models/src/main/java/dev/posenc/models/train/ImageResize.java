package dev.posenc.models.train;

import dev.posenc.core.io.Resample;
import dev.posenc.core.io.RgbImage;

/**
 * Makes an image size × size for the fit: a centred square crop of the shorter side (no stretching), then
 * {@link Resample}'s tent filter (PIL's BILINEAR: anti-aliased when shrinking, bilinear when enlarging), the
 * same filter as the PyTorch twin {@code bench/pytorch/fit_image.py}, so that both fit exactly the same pixels.
 * An image already size × size is returned as it is.
 */
public final class ImageResize {
    private ImageResize() {}

    public static RgbImage toSquare(RgbImage image, int size) {
        if (size <= 0) throw new IllegalArgumentException("resize: size: expected > 0, got " + size);
        if (image.height() == size && image.width() == size) return image;
        int side = Math.min(image.height(), image.width());
        RgbImage square = crop(image, (image.height() - side) / 2, (image.width() - side) / 2, side);
        return side == size ? square : Resample.resize(square, size, size);
    }

    private static RgbImage crop(RgbImage image, int top, int left, int side) {
        if (side == image.height() && side == image.width()) return image;
        float[] p = new float[side * side * RgbImage.CHANNELS];
        for (int y = 0; y < side; y++) {
            System.arraycopy(image.pixels(), ((top + y) * image.width() + left) * RgbImage.CHANNELS, p,
                    y * side * RgbImage.CHANNELS, side * RgbImage.CHANNELS);
        }
        return new RgbImage(side, side, p);
    }
}
