package dev.posenc.models.train;

import dev.posenc.core.io.RgbImage;

/**
 * Makes an image size × size for the fit: a centred square crop of the shorter side (no stretching), then
 * area averaging when shrinking (each output pixel is the exact area-weighted mean of the input pixels it
 * covers, so no aliasing) or bilinear interpolation with half-pixel centres when enlarging (OpenCV's and
 * PyTorch's align_corners=False convention). An image already size × size is returned as it is.
 */
public final class ImageResize {
    private ImageResize() {}

    public static RgbImage toSquare(RgbImage image, int size) {
        if (size <= 0) throw new IllegalArgumentException("resize: size: expected > 0, got " + size);
        if (image.height() == size && image.width() == size) return image;
        int side = Math.min(image.height(), image.width());
        RgbImage square = crop(image, (image.height() - side) / 2, (image.width() - side) / 2, side);
        return side >= size ? area(square, size) : bilinear(square, size);
    }

    private static RgbImage crop(RgbImage image, int top, int left, int side) {
        if (side == image.height() && side == image.width()) return image;
        float[] p = new float[side * side * 3];
        for (int y = 0; y < side; y++) {
            System.arraycopy(image.pixels(), ((top + y) * image.width() + left) * 3, p, y * side * 3, side * 3);
        }
        return new RgbImage(side, side, p);
    }

    /** Box filter over the exact footprint [o·s, (o+1)·s) of each output pixel, s = in/out ≥ 1. */
    static RgbImage area(RgbImage in, int size) {
        int n = in.height();
        double s = (double) n / size;
        float[] out = new float[size * size * 3];
        double[] acc = new double[3];
        for (int oy = 0; oy < size; oy++) {
            double y0 = oy * s, y1 = y0 + s;
            for (int ox = 0; ox < size; ox++) {
                double x0 = ox * s, x1 = x0 + s;
                acc[0] = acc[1] = acc[2] = 0;
                for (int y = (int) y0; y < Math.min(n, Math.ceil(y1)); y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) x0; x < Math.min(n, Math.ceil(x1)); x++) {
                        double w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
                        for (int c = 0; c < 3; c++) acc[c] += w * in.get(y, x, c);
                    }
                }
                for (int c = 0; c < 3; c++) out[(oy * size + ox) * 3 + c] = (float) (acc[c] / (s * s));
            }
        }
        return new RgbImage(size, size, out);
    }

    /** Output pixel o samples the input at (o + ½)·in/out − ½, clamped to the edge. */
    static RgbImage bilinear(RgbImage in, int size) {
        int n = in.height();
        double s = (double) n / size;
        float[] out = new float[size * size * 3];
        for (int oy = 0; oy < size; oy++) {
            double fy = Math.clamp((oy + 0.5) * s - 0.5, 0, n - 1);
            int y0 = (int) fy, y1 = Math.min(n - 1, y0 + 1);
            double ty = fy - y0;
            for (int ox = 0; ox < size; ox++) {
                double fx = Math.clamp((ox + 0.5) * s - 0.5, 0, n - 1);
                int x0 = (int) fx, x1 = Math.min(n - 1, x0 + 1);
                double tx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = in.get(y0, x0, c) * (1 - tx) + in.get(y0, x1, c) * tx;
                    double bottom = in.get(y1, x0, c) * (1 - tx) + in.get(y1, x1, c) * tx;
                    out[(oy * size + ox) * 3 + c] = (float) (top * (1 - ty) + bottom * ty);
                }
            }
        }
        return new RgbImage(size, size, out);
    }
}
