package dev.posenc.kernels;

import dev.posenc.core.ConvGeometry;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Average and max pooling over NCHW planes (DARTS's avg_pool_3x3 and max_pool_3x3):
 * <pre>
 *   avg:  out[y,x] = Σ_inside x[iy,ix] / n(y,x),  n(y,x) = (taps of the window inside the image)  (count_include_pad=False)
 *         dx[iy,ix] += dOut[y,x] / n(y,x) for every window containing (iy, ix)
 *   max:  out[y,x] = max_inside x[iy,ix];  dx[argmax] += dOut[y,x], argmax = the first maximal tap in row-major order
 * </pre>
 * The max backward either recomputes the argmax from x ({@link #maxBackward}) or takes the tap that
 * {@link #maxForwardArgmax} kept ({@link #maxBackwardArgmax}, what autograd uses, as PyTorch keeps indices).
 * n(y,x) factors into (valid rows)·(valid columns), since the window is a square cut by the image's edges.
 * Stride-1 same windows (DARTS's 3×3, padding 1) run in {@link PoolSame}: masked vector taps on compact planes,
 * the backwards as gathers. Other geometries: one task per plane (b, c); at stride 1 one window tap per row as a
 * vector run ({@link PixelRuns}), else scalar. Twins: {@link #avgForwardScalar}, {@link #maxForwardScalar},
 * {@link #avgBackwardScalar}, {@link #maxBackwardScalar}.
 */
public final class PoolCpu {
    private PoolCpu() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public static void avgForward(Parallel p, ConvCpu.Scratch scratch, Tensor out, Tensor x, ConvGeometry g) {
        int[] d = check(out, x, g);
        if (PlaneTaps.fits(g)) {
            same(p, scratch, out, x, null, g, d, false, false);
            return;
        }
        int h = d[2], w = d[3], ho = d[4], wo = d[5];
        int[] rows = validTaps(g, ho, h), cols = validTaps(g, wo, w);
        if (g.stride() == 1) {
            wideForward(p, scratch, out, x, g, d, 0f, false);
            p.forEach(d[0] * d[1], plane -> {
                long oo = (long) plane * ho * wo;
                for (int y = 0; y < ho; y++)
                    for (int j = 0; j < wo; j++) out.set(oo + (long) y * wo + j, out.get(oo + (long) y * wo + j) / (rows[y] * cols[j]));
            });
            return;
        }
        p.forEach(d[0] * d[1], plane -> {
            long xo = (long) plane * h * w, oo = (long) plane * ho * wo;
            out.data().asSlice(oo * Float.BYTES, (long) ho * wo * Float.BYTES).fill((byte) 0);
            DepthwiseCpu.forEachTap(g, h, w, ho, wo, (y, iy, ky, kx, lo, hi, shiftX) -> {
                long o = oo + (long) y * wo, s = xo + (long) iy * w;
                if (g.stride() == 1) PixelRuns.axpy(out.data(), o + lo, x.data(), s + lo + shiftX, hi - lo, 1f);
                else for (int j = lo; j < hi; j++) out.set(o + j, out.get(o + j) + x.get(s + (long) j * g.stride() + shiftX));
            });
            for (int y = 0; y < ho; y++)
                for (int j = 0; j < wo; j++) {
                    long o = oo + (long) y * wo + j;
                    out.set(o, out.get(o) / (rows[y] * cols[j]));
                }
        });
    }

    public static void avgBackward(Parallel p, ConvCpu.Scratch scratch, Tensor dx, Tensor dOut, ConvGeometry g) {
        int[] d = check(dOut, dx, g);
        if (PlaneTaps.fits(g)) {
            same(p, scratch, dx, dOut, null, g, d, false, true);
            return;
        }
        int h = d[2], w = d[3], ho = d[4], wo = d[5];
        int[] rows = validTaps(g, ho, h), cols = validTaps(g, wo, w);
        if (g.stride() == 1) {
            int pad = g.padding(), ext = g.extent(), wp = w + 2 * pad, n = ho * wp;
            long size = PaddedPlane.size(h, w, pad, ext);
            p.forEach(d[0] * d[1], plane -> {
                MemorySegment wide = scratch.segment(3, n), dpad = scratch.segment(4, size);
                PaddedPlane.widen(wide, 0, dOut.data(), (long) plane * ho * wo, ho, wo, wp);
                for (int y = 0; y < ho; y++)
                    for (int j = 0; j < wo; j++) {
                        long i = (long) y * wp + j;
                        wide.setAtIndex(F, i, wide.getAtIndex(F, i) / (rows[y] * cols[j]));
                    }
                dpad.asSlice(0, size * Float.BYTES).fill((byte) 0);
                for (int ky = 0; ky < g.kernel(); ky++)
                    for (int kx = 0; kx < g.kernel(); kx++) PixelRuns.axpy(dpad, PaddedPlane.shift(ky, kx, g.dilation(), wp), wide, 0, n, 1f);
                PaddedPlane.addInterior(dx.data(), (long) plane * h * w, dpad, 0, h, w, pad);
            });
            return;
        }
        p.forEach(d[0] * d[1], plane -> {
            long xo = (long) plane * h * w, oo = (long) plane * ho * wo;
            DepthwiseCpu.forEachTap(g, h, w, ho, wo, (y, iy, ky, kx, lo, hi, shiftX) -> {
                long o = oo + (long) y * wo, s = xo + (long) iy * w;
                for (int j = lo; j < hi; j++) {
                    long i = s + (long) j * g.stride() + shiftX;
                    dx.set(i, dx.get(i) + dOut.get(o + j) / (rows[y] * cols[j]));
                }
            });
        });
    }

    public static void maxForward(Parallel p, ConvCpu.Scratch scratch, Tensor out, Tensor x, ConvGeometry g) {
        int[] d = check(out, x, g);
        if (PlaneTaps.fits(g)) {
            same(p, scratch, out, x, null, g, d, true, false);
            return;
        }
        int h = d[2], w = d[3], ho = d[4], wo = d[5];
        if (g.stride() == 1) {
            wideForward(p, scratch, out, x, g, d, Float.NEGATIVE_INFINITY, true);
            return;
        }
        p.forEach(d[0] * d[1], plane -> {
            long xo = (long) plane * h * w, oo = (long) plane * ho * wo;
            for (long i = 0; i < (long) ho * wo; i++) out.set(oo + i, Float.NEGATIVE_INFINITY);
            DepthwiseCpu.forEachTap(g, h, w, ho, wo, (y, iy, ky, kx, lo, hi, shiftX) -> {
                long o = oo + (long) y * wo, s = xo + (long) iy * w;
                if (g.stride() == 1) PixelRuns.max(out.data(), o + lo, x.data(), s + lo + shiftX, hi - lo);
                else for (int j = lo; j < hi; j++) out.set(o + j, Math.max(out.get(o + j), x.get(s + (long) j * g.stride() + shiftX)));
            });
        });
    }

    public static void maxBackward(Parallel p, ConvCpu.Scratch scratch, Tensor dx, Tensor dOut, Tensor x, ConvGeometry g) {
        int[] d = check(dOut, x, g);
        Shapes.same("maxPool2dBackward", "dx", x, dx);
        if (PlaneTaps.fits(g)) same(p, scratch, dx, dOut, x, g, d, true, true);
        else p.forEach(d[0] * d[1], plane -> maxBackwardPlane(dx, dOut, x, g, d, plane));
    }

    /**
     * Max pooling that also writes arg (out's shape): each window's first maximal tap t = ky·k + kx as a float, kept
     * for {@link #maxBackwardArgmax} as PyTorch keeps its indices. Same windows by {@link PoolSame}, others by the
     * twin's loop per plane (no vector path: the toy has no other max pool).
     */
    public static void maxForwardArgmax(Parallel p, Tensor out, Tensor arg, Tensor x, ConvGeometry g) {
        int[] d = check(out, x, g);
        Shapes.same("maxPool2dWithArgmax", "arg", out, arg);
        int planes = d[0] * d[1];
        if (PlaneTaps.fits(g)) {
            PlaneTaps pt = PlaneTaps.of(g, d[2], d[3]);
            p.forEach((planes + PoolSame.PLANES - 1) / PoolSame.PLANES, t -> PoolSame.maxForwardArgmax(out.data(), arg.data(),
                    x.data(), pt, t * PoolSame.PLANES, Math.min(planes, (t + 1) * PoolSame.PLANES)));
        } else {
            p.forEach(planes, plane -> maxForwardArgmaxPlane(out, arg, x, g, d, plane));
        }
    }

    /** dx += each window's dOut at the tap that arg ({@link #maxForwardArgmax}) names. */
    public static void maxBackwardArgmax(Parallel p, Tensor dx, Tensor dOut, Tensor arg, ConvGeometry g) {
        int[] d = check(dOut, dx, g);
        Shapes.same("maxPool2dBackwardArgmax", "arg", dOut, arg);
        int planes = d[0] * d[1];
        if (PlaneTaps.fits(g)) {
            PlaneTaps pt = PlaneTaps.of(g, d[2], d[3]);
            p.forEach((planes + PoolSame.PLANES - 1) / PoolSame.PLANES, t -> PoolSame.maxBackwardArgmax(dx.data(), dOut.data(),
                    arg.data(), pt, t * PoolSame.PLANES, Math.min(planes, (t + 1) * PoolSame.PLANES)));
        } else {
            p.forEach(planes, plane -> maxBackwardArgmaxPlane(dx, dOut, arg, g, d, plane));
        }
    }

    /** The twin of {@link #maxForwardArgmax}. */
    public static void maxForwardArgmaxScalar(Tensor out, Tensor arg, Tensor x, ConvGeometry g) {
        int[] d = check(out, x, g);
        for (int plane = 0; plane < d[0] * d[1]; plane++) maxForwardArgmaxPlane(out, arg, x, g, d, plane);
    }

    /** The twin of {@link #maxBackwardArgmax}. */
    public static void maxBackwardArgmaxScalar(Tensor dx, Tensor dOut, Tensor arg, ConvGeometry g) {
        int[] d = check(dOut, dx, g);
        for (int plane = 0; plane < d[0] * d[1]; plane++) maxBackwardArgmaxPlane(dx, dOut, arg, g, d, plane);
    }

    private static void maxForwardArgmaxPlane(Tensor out, Tensor arg, Tensor x, ConvGeometry g, int[] d, int plane) {
        for (int y = 0; y < d[4]; y++)
            for (int j = 0; j < d[5]; j++) {
                long o = ((long) plane * d[4] + y) * d[5] + j, i = argmax(x, g, d, plane, y, j);
                out.set(o, x.get(i));
                int iy = (int) (i / d[3] % d[2]), ix = (int) (i % d[3]);
                int ky = (iy - y * g.stride() + g.padding()) / g.dilation(), kx = (ix - j * g.stride() + g.padding()) / g.dilation();
                arg.set(o, ky * g.kernel() + kx);
            }
    }

    private static void maxBackwardArgmaxPlane(Tensor dx, Tensor dOut, Tensor arg, ConvGeometry g, int[] d, int plane) {
        for (int y = 0; y < d[4]; y++)
            for (int j = 0; j < d[5]; j++) {
                long o = ((long) plane * d[4] + y) * d[5] + j;
                int t = (int) arg.get(o), ky = t / g.kernel(), kx = t % g.kernel();
                int iy = y * g.stride() - g.padding() + ky * g.dilation(), ix = j * g.stride() - g.padding() + kx * g.dilation();
                long i = ((long) plane * d[2] + iy) * d[3] + ix;
                dx.set(i, dx.get(i) + dOut.get(o));
            }
    }

    /** Stride-1 same pooling by {@link PoolSame}, {@link PoolSame#PLANES} planes per task. */
    private static void same(Parallel p, ConvCpu.Scratch scratch, Tensor dst, Tensor src, Tensor x, ConvGeometry g, int[] d, boolean max, boolean backward) {
        PlaneTaps pt = PlaneTaps.of(g, d[2], d[3]);
        float[] count = PoolSame.counts(pt);
        int planes = d[0] * d[1];
        if (backward) {
            PlaneTaps ptT = PlaneTaps.transposed(g, d[2], d[3]);
            p.forEach((planes + PoolSame.PLANES - 1) / PoolSame.PLANES, t -> PoolSame.backward(scratch, dst.data(), src.data(),
                    x == null ? null : x.data(), pt, ptT, count, t * PoolSame.PLANES, Math.min(planes, (t + 1) * PoolSame.PLANES), max));
        } else {
            p.forEach((planes + PoolSame.PLANES - 1) / PoolSame.PLANES, t -> PoolSame.forward(scratch, dst.data(), src.data(), pt, count,
                    t * PoolSame.PLANES, Math.min(planes, (t + 1) * PoolSame.PLANES), max));
        }
    }

    /** The twin of {@link #avgBackward}: dx += dOut / count at every inside tap of every window. */
    public static void avgBackwardScalar(Tensor dx, Tensor dOut, ConvGeometry g) {
        int[] d = check(dOut, dx, g);
        for (int plane = 0; plane < d[0] * d[1]; plane++)
            for (int y = 0; y < d[4]; y++)
                for (int j = 0; j < d[5]; j++) {
                    int n = 0;
                    for (int pass = 0; pass < 2; pass++)
                        for (int ky = 0; ky < g.kernel(); ky++)
                            for (int kx = 0; kx < g.kernel(); kx++) {
                                int iy = y * g.stride() - g.padding() + ky * g.dilation(), ix = j * g.stride() - g.padding() + kx * g.dilation();
                                if (iy < 0 || iy >= d[2] || ix < 0 || ix >= d[3]) continue;
                                if (pass == 0) n++;
                                else {
                                    long i = ((long) plane * d[2] + iy) * d[3] + ix;
                                    dx.set(i, dx.get(i) + dOut.get(((long) plane * d[4] + y) * d[5] + j) / n);
                                }
                            }
                }
    }

    /** The twin of {@link #maxBackward}: each window's gradient goes to its first maximal tap. */
    public static void maxBackwardScalar(Tensor dx, Tensor dOut, Tensor x, ConvGeometry g) {
        int[] d = check(dOut, x, g);
        for (int plane = 0; plane < d[0] * d[1]; plane++) maxBackwardPlane(dx, dOut, x, g, d, plane);
    }

    /**
     * Stride 1 in the {@link PaddedPlane} layout: every tap is one run of Ho·Wp floats over the plane padded with
     * {@code fill} (0 for sums, −∞ for maxima), summed or maxed into the wide output, then compacted into out.
     */
    private static void wideForward(Parallel p, ConvCpu.Scratch scratch, Tensor out, Tensor x, ConvGeometry g, int[] d, float fill,
                                    boolean max) {
        int h = d[2], w = d[3], ho = d[4], wo = d[5], pad = g.padding(), ext = g.extent(), wp = w + 2 * pad, n = ho * wp;
        p.forEach(d[0] * d[1], plane -> {
            MemorySegment padded = scratch.segment(2, PaddedPlane.size(h, w, pad, ext)), wide = scratch.segment(3, n);
            PaddedPlane.pad(padded, 0, x.data(), (long) plane * h * w, h, w, pad, ext, fill);
            MemorySegment.copy(padded, 0, wide, 0, (long) n * Float.BYTES);    // tap (0, 0)
            for (int ky = 0; ky < g.kernel(); ky++)
                for (int kx = 0; kx < g.kernel(); kx++) {
                    if (ky == 0 && kx == 0) continue;
                    int shift = PaddedPlane.shift(ky, kx, g.dilation(), wp);
                    if (max) PixelRuns.max(wide, 0, padded, shift, n);
                    else PixelRuns.axpy(wide, 0, padded, shift, n, 1f);
                }
            PaddedPlane.compact(out.data(), (long) plane * ho * wo, wide, 0, ho, wo, wp);
        });
    }

    /** The twin of {@link #avgForward}: the window sum over inside taps, divided by their count. */
    public static void avgForwardScalar(Tensor out, Tensor x, ConvGeometry g) {
        int[] d = check(out, x, g);
        for (int plane = 0; plane < d[0] * d[1]; plane++)
            for (int y = 0; y < d[4]; y++)
                for (int j = 0; j < d[5]; j++) {
                    float s = 0f;
                    int n = 0;
                    for (int ky = 0; ky < g.kernel(); ky++)
                        for (int kx = 0; kx < g.kernel(); kx++) {
                            int iy = y * g.stride() - g.padding() + ky * g.dilation(), ix = j * g.stride() - g.padding() + kx * g.dilation();
                            if (iy < 0 || iy >= d[2] || ix < 0 || ix >= d[3]) continue;
                            s += x.get(((long) plane * d[2] + iy) * d[3] + ix);
                            n++;
                        }
                    out.set(((long) plane * d[4] + y) * d[5] + j, s / n);
                }
    }

    /** The twin of {@link #maxForward}. */
    public static void maxForwardScalar(Tensor out, Tensor x, ConvGeometry g) {
        int[] d = check(out, x, g);
        for (int plane = 0; plane < d[0] * d[1]; plane++)
            for (int y = 0; y < d[4]; y++)
                for (int j = 0; j < d[5]; j++) out.set(((long) plane * d[4] + y) * d[5] + j, x.get(argmax(x, g, d, plane, y, j)));
    }

    private static void maxBackwardPlane(Tensor dx, Tensor dOut, Tensor x, ConvGeometry g, int[] d, int plane) {
        for (int y = 0; y < d[4]; y++)
            for (int j = 0; j < d[5]; j++) {
                long i = argmax(x, g, d, plane, y, j);
                dx.set(i, dx.get(i) + dOut.get(((long) plane * d[4] + y) * d[5] + j));
            }
    }

    /** The index in x of window (y, j)'s first maximal inside tap, row-major (NaN wins, as in PyTorch). */
    private static long argmax(Tensor x, ConvGeometry g, int[] d, int plane, int y, int j) {
        long best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int ky = 0; ky < g.kernel(); ky++)
            for (int kx = 0; kx < g.kernel(); kx++) {
                int iy = y * g.stride() - g.padding() + ky * g.dilation(), ix = j * g.stride() - g.padding() + kx * g.dilation();
                if (iy < 0 || iy >= d[2] || ix < 0 || ix >= d[3]) continue;
                long i = ((long) plane * d[2] + iy) * d[3] + ix;
                float v = x.get(i);
                if (best < 0 || v > bestValue || Float.isNaN(v) && !Float.isNaN(bestValue)) {
                    best = i;
                    bestValue = v;
                }
            }
        return best;
    }

    /** For each output position along an axis, how many of the window's taps land inside the input. */
    static int[] validTaps(ConvGeometry g, int outSize, int inSize) {
        int[] n = new int[outSize];
        for (int o = 0; o < outSize; o++)
            for (int k = 0; k < g.kernel(); k++) {
                int i = o * g.stride() - g.padding() + k * g.dilation();
                if (i >= 0 && i < inSize) n[o]++;
            }
        return n;
    }

    /** (B, C, H, W, Ho, Wo) after checking x (B, C, H, W) and out (B, C, Ho, Wo); every window must touch the input. */
    private static int[] check(Tensor out, Tensor x, ConvGeometry g) {
        Shapes.require(x.rank() == 4, "pool2d", "x", "a 4-D tensor (B, C, H, W)", x.shape());
        if (g.padding() > g.kernel() / 2) {   // formatted only on failure (it ran on every call)
            Shapes.require(false, "pool2d", "padding",
                    "at most half the kernel (%d), as PyTorch requires, so that every window touches the input".formatted(g.kernel() / 2),
                    g.padding());
        }
        Shape expected = g.outShape(x, x.shape().dim(1));
        Shapes.require(out.shape().equals(expected), "pool2d", "out", expected, out.shape());
        return new int[] {x.shape().dim(0), x.shape().dim(1), x.shape().dim(2), x.shape().dim(3), expected.dim(2), expected.dim(3)};
    }
}
