package dev.posenc.core.io;

import java.util.Arrays;

/**
 * An RGB image as the models see it: {@code height × width × 3} floats in [0, 1], row-major, channels last
 * (the layout of a PNG scanline and of a NumPy image). Heap-backed on purpose: images are read once, then
 * copied into tensors; the array is not copied here, so the caller gives up ownership.
 */
public record RgbImage(int height, int width, float[] pixels) {
    public static final int CHANNELS = 3;

    public RgbImage {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException(
                "image: expected a positive height and width, got %d × %d".formatted(height, width));
        long expected = (long) height * width * CHANNELS;
        if (pixels.length != expected) throw new IllegalArgumentException(
                "image: pixels: expected %d floats for %d × %d × 3, got %d".formatted(expected, height, width, pixels.length));
    }

    /** Channel {@code c} of pixel (y, x). */
    public float get(int y, int x, int c) { return pixels[(y * width + x) * CHANNELS + c]; }

    @Override public boolean equals(Object o) {
        return o instanceof RgbImage other && height == other.height && width == other.width
                && Arrays.equals(pixels, other.pixels);
    }

    @Override public int hashCode() { return 31 * (31 * height + width) + Arrays.hashCode(pixels); }

    @Override public String toString() { return "RgbImage[%d × %d]".formatted(height, width); }
}
