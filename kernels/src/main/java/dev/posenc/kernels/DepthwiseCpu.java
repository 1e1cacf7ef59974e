package dev.posenc.kernels;

import dev.posenc.core.ConvGeometry;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Depthwise 2-D convolution (groups = channels, the first half of DARTS's separable and dilated convolutions):
 * <pre>
 *   out[b,c,y,x] = Σ_{ky,kx} w[c,ky,kx] · x[b, c, y·s − p + ky·d, x·s − p + kx·d]
 *   dx[b,c,iy,ix] += w[c,ky,kx]·dOut[b,c,y,x];   dw[c,ky,kx] += Σ_{b,y,x} dOut[b,c,y,x]·x[b,c,iy,ix]
 * </pre>
 * Too little work per pixel (k² multiply-adds) for im2col to pay, so taps are applied directly: for each tap and
 * output row, the output columns whose input lies inside the image form one run ({@link PixelRuns}), vectorised
 * at stride 1; stride-1 same geometries run in {@link DepthwiseSame} (masked taps on compact planes, the input
 * gradient as a gather). One task per channel (all samples): dw[c] has a single writer, so no partial sums are needed and
 * the result does not depend on the thread count. Twins: {@link #forwardScalar}, {@link #backwardScalar}.
 */
public final class DepthwiseCpu {
    private DepthwiseCpu() {}

    public static void forward(Parallel p, ConvCpu.Scratch scratch, Tensor out, Tensor x, Tensor w, ConvGeometry g) {
        int[] d = check(out, x, w, g);
        int bs = d[0], cs = d[1], h = d[2], wd = d[3], ho = d[4], wo = d[5];
        if (PlaneTaps.fits(g)) {
            PlaneTaps pt = PlaneTaps.of(g, h, wd);
            float[] wv = w.toArray();
            int planes = bs * cs;
            p.forEach((planes + PoolSame.PLANES - 1) / PoolSame.PLANES, t -> DepthwiseSame.forward(scratch, out.data(), x.data(), wv, cs, pt,
                    t * PoolSame.PLANES, Math.min(planes, (t + 1) * PoolSame.PLANES)));
            return;
        }
        if (g.stride() == 1) {
            int pad = g.padding(), ext = g.extent(), wp = wd + 2 * pad, n = ho * wp;
            p.forEach(cs, c -> {
                MemorySegment padded = scratch.segment(2, PaddedPlane.size(h, wd, pad, ext)), wide = scratch.segment(3, n);
                for (int b = 0; b < bs; b++) {
                    PaddedPlane.pad(padded, 0, x.data(), ((long) b * cs + c) * h * wd, h, wd, pad, ext, 0f);
                    wide.asSlice(0, (long) n * Float.BYTES).fill((byte) 0);
                    for (int ky = 0; ky < g.kernel(); ky++)
                        for (int kx = 0; kx < g.kernel(); kx++) {
                            PixelRuns.axpy(wide, 0, padded, PaddedPlane.shift(ky, kx, g.dilation(), wp), n,
                                    w.get(((long) c * g.kernel() + ky) * g.kernel() + kx));
                        }
                    PaddedPlane.compact(out.data(), ((long) b * cs + c) * ho * wo, wide, 0, ho, wo, wp);
                }
            });
            return;
        }
        p.forEach(cs, c -> {
            for (int b = 0; b < bs; b++) {
                long xo = ((long) b * cs + c) * h * wd, oo = ((long) b * cs + c) * ho * wo;
                out.data().asSlice(oo * Float.BYTES, (long) ho * wo * Float.BYTES).fill((byte) 0);
                forEachTap(g, h, wd, ho, wo, (y, iy, ky, kx, lo, hi, shiftX) -> {
                    float wv = w.get(((long) c * g.kernel() + ky) * g.kernel() + kx);
                    long o = oo + (long) y * wo, s = xo + (long) iy * wd;
                    if (g.stride() == 1) PixelRuns.axpy(out.data(), o + lo, x.data(), s + lo + shiftX, hi - lo, wv);
                    else for (int j = lo; j < hi; j++) out.set(o + j, out.get(o + j) + wv * x.get(s + (long) j * g.stride() + shiftX));
                });
            }
        });
    }

    public static void backward(Parallel p, ConvCpu.Scratch scratch, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w,
                                ConvGeometry g) {
        int[] d = check(dOut, x, w, g);
        if (dx != null) Shapes.same("depthwiseConv2dBackward", "dx", x, dx);
        if (dw != null) Shapes.same("depthwiseConv2dBackward", "dw", w, dw);
        int bs = d[0], cs = d[1], h = d[2], wd = d[3], ho = d[4], wo = d[5];
        MemorySegment xs = x.data(), gs = dOut.data();
        if (PlaneTaps.fits(g)) {
            PlaneTaps pt = PlaneTaps.of(g, h, wd), ptT = PlaneTaps.transposed(g, h, wd);
            float[] wv = w.toArray();
            p.forEach(cs, c -> DepthwiseSame.backward(scratch, dx == null ? null : dx.data(), dw == null ? null : dw.data(), gs, xs, wv, bs,
                    cs, c, pt, ptT));
            return;
        }
        if (g.stride() == 1) {
            int pad = g.padding(), ext = g.extent(), wp = wd + 2 * pad, n = ho * wp;
            long size = PaddedPlane.size(h, wd, pad, ext);
            p.forEach(cs, c -> {
                MemorySegment padded = scratch.segment(2, size), wide = scratch.segment(3, n), dpad = scratch.segment(4, size);
                for (int b = 0; b < bs; b++) {
                    long xo = ((long) b * cs + c) * h * wd;
                    PaddedPlane.widen(wide, 0, gs, ((long) b * cs + c) * ho * wo, ho, wo, wp);
                    if (dw != null) PaddedPlane.pad(padded, 0, xs, xo, h, wd, pad, ext, 0f);
                    if (dx != null) dpad.asSlice(0, size * Float.BYTES).fill((byte) 0);
                    for (int ky = 0; ky < g.kernel(); ky++)
                        for (int kx = 0; kx < g.kernel(); kx++) {
                            long wi = ((long) c * g.kernel() + ky) * g.kernel() + kx;
                            int shift = PaddedPlane.shift(ky, kx, g.dilation(), wp);
                            if (dw != null) dw.set(wi, dw.get(wi) + PixelRuns.dot(wide, 0, padded, shift, n));
                            if (dx != null) PixelRuns.axpy(dpad, shift, wide, 0, n, w.get(wi));
                        }
                    if (dx != null) PaddedPlane.addInterior(dx.data(), xo, dpad, 0, h, wd, pad);
                }
            });
            return;
        }
        p.forEach(cs, c -> {
            for (int b = 0; b < bs; b++) {
                long xo = ((long) b * cs + c) * h * wd, oo = ((long) b * cs + c) * ho * wo;
                forEachTap(g, h, wd, ho, wo, (y, iy, ky, kx, lo, hi, shiftX) -> {
                    long wi = ((long) c * g.kernel() + ky) * g.kernel() + kx;
                    long o = oo + (long) y * wo, s = xo + (long) iy * wd;
                    if (g.stride() == 1) {
                        if (dw != null) dw.set(wi, dw.get(wi) + PixelRuns.dot(gs, o + lo, xs, s + lo + shiftX, hi - lo));
                        if (dx != null) PixelRuns.axpy(dx.data(), s + lo + shiftX, gs, o + lo, hi - lo, w.get(wi));
                    } else {
                        float wv = w.get(wi), acc = 0f;
                        for (int j = lo; j < hi; j++) {
                            long i = s + (long) j * g.stride() + shiftX;
                            acc += dOut.get(o + j) * x.get(i);
                            if (dx != null) dx.set(i, dx.get(i) + wv * dOut.get(o + j));
                        }
                        if (dw != null) dw.set(wi, dw.get(wi) + acc);
                    }
                });
            }
        });
    }

    /** The twin of {@link #forward}: the formula as plain loops, taps in row-major order. */
    public static void forwardScalar(Tensor out, Tensor x, Tensor w, ConvGeometry g) {
        int[] d = check(out, x, w, g);
        int k = g.kernel();
        for (int b = 0; b < d[0]; b++)
            for (int c = 0; c < d[1]; c++)
                for (int y = 0; y < d[4]; y++)
                    for (int xx = 0; xx < d[5]; xx++) {
                        float s = 0f;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = y * g.stride() - g.padding() + ky * g.dilation();
                                int ix = xx * g.stride() - g.padding() + kx * g.dilation();
                                if (iy < 0 || iy >= d[2] || ix < 0 || ix >= d[3]) continue;
                                s += w.get(((long) c * k + ky) * k + kx) * x.get((((long) b * d[1] + c) * d[2] + iy) * d[3] + ix);
                            }
                        out.set((((long) b * d[1] + c) * d[4] + y) * d[5] + xx, s);
                    }
    }

    /** The twin of {@link #backward}. */
    public static void backwardScalar(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, ConvGeometry g) {
        int[] d = check(dOut, x, w, g);
        int k = g.kernel();
        for (int b = 0; b < d[0]; b++)
            for (int c = 0; c < d[1]; c++)
                for (int y = 0; y < d[4]; y++)
                    for (int xx = 0; xx < d[5]; xx++) {
                        float go = dOut.get((((long) b * d[1] + c) * d[4] + y) * d[5] + xx);
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = y * g.stride() - g.padding() + ky * g.dilation();
                                int ix = xx * g.stride() - g.padding() + kx * g.dilation();
                                if (iy < 0 || iy >= d[2] || ix < 0 || ix >= d[3]) continue;
                                long wi = ((long) c * k + ky) * k + kx, xi = (((long) b * d[1] + c) * d[2] + iy) * d[3] + ix;
                                if (dw != null) dw.set(wi, dw.get(wi) + go * x.get(xi));
                                if (dx != null) dx.set(xi, dx.get(xi) + go * w.get(wi));
                            }
                    }
    }

    /** One tap (ky, kx) on output row y, reading input row iy, over output columns [lo, hi). */
    @FunctionalInterface
    interface TapRun {
        void run(int y, int iy, int ky, int kx, int lo, int hi, int shiftX);
    }

    /** Calls {@code body} for every (output row, tap) whose input row and at least one input column are inside. */
    static void forEachTap(ConvGeometry g, int h, int w, int ho, int wo, TapRun body) {
        for (int y = 0; y < ho; y++)
            for (int ky = 0; ky < g.kernel(); ky++) {
                int iy = y * g.stride() - g.padding() + ky * g.dilation();
                if (iy < 0 || iy >= h) continue;
                for (int kx = 0; kx < g.kernel(); kx++) {
                    int shiftX = kx * g.dilation() - g.padding();
                    long range = PixelRuns.validRange(wo, g.stride(), shiftX, w);
                    if (PixelRuns.hi(range) > PixelRuns.lo(range)) {
                        body.run(y, iy, ky, kx, PixelRuns.lo(range), PixelRuns.hi(range), shiftX);
                    }
                }
            }
    }

    /** (B, C, H, W, Ho, Wo) after checking x (B, C, H, W), w (C, k, k) and out (B, C, Ho, Wo). */
    private static int[] check(Tensor out, Tensor x, Tensor w, ConvGeometry g) {
        String op = "depthwiseConv2d";
        Shapes.require(x.rank() == 4, op, "x", "a 4-D tensor (B, C, H, W)", x.shape());
        int c = x.shape().dim(1);
        Shapes.require(w.shape().equals(Shape.of(c, g.kernel(), g.kernel())), op, "w",
                Shape.of(c, g.kernel(), g.kernel()), w.shape());
        Shape expected = g.outShape(x, c);
        Shapes.require(out.shape().equals(expected), op, "out", expected, out.shape());
        return new int[] {x.shape().dim(0), c, x.shape().dim(2), x.shape().dim(3), expected.dim(2), expected.dim(3)};
    }
}
