package dev.posenc.kernels;

import dev.posenc.core.ConvGeometry;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 2-D convolution (groups = 1) on the CPU by im2col and the engine's matrix product, per sample:
 * <pre>
 *   cols (K = C·k·k, N = Ho·Wo):  cols[(c·k + ky)·k + kx, y·Wo + x] = x[c, y·s − p + ky·d, x·s − p + kx·d]  (0 outside)
 *   forward:   out_b (O, N)  = W (O, K) · cols
 *   backward:  dW += dOut_b · colsᵀ  (per chunk of samples, summed in chunk order);  dcols = Wᵀ · dOut_b → col2im → dx_b
 * </pre>
 * Stride-1 same geometries (2·padding = dilation·(k − 1): the DARTS toy's 3×3 and 1×1) skip im2col and run
 * {@link ConvDirect}'s kernels on padded planes instead; everything below describes the other geometries.
 * Samples are spread over the threads in fixed chunks of {@link #CHUNK}; each chunk keeps its own dW partial,
 * and the partials are added in chunk order, so the result does not depend on how many threads ran.
 * The im2col buffers are per thread ({@link Scratch}), grown on demand. Twins: {@link #forwardScalar},
 * {@link #backwardScalar} (the formula as seven plain loops).
 */
public final class ConvCpu {
    private ConvCpu() {}

    /** Samples per task: small enough to feed 2–16 threads at batch 64, fixed so sums do not follow the thread count. */
    static final int CHUNK = 4;
    /**
     * Samples per dW task of the direct backward: each task folds its block sums once over all its pixels, and
     * at 7 × 7 (4 vectors per image) a chunk of 16 spent half its time in that fold; 32 gives 2 tasks at batch 64.
     */
    static final int WEIGHT_CHUNK = 32;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Overwrites out (B, O, Ho, Wo) with the convolution of x (B, C, H, W) by w (O, C, k, k). */
    public static void forward(Parallel p, Scratch scratch, Tensor out, Tensor x, Tensor w, ConvGeometry g) {
        Dims d = Dims.check(out, x, w, g);
        Tensor w2 = w.reshape(d.o, d.k);
        if (PlaneTaps.fits(g)) {
            ConvDirect.Layout lay = ConvDirect.layout(g, d.h, d.w);
            float[] wp = ConvDirect.pack(w.data(), d.o, d.c, lay.taps, false);
            p.forEach(ceilDiv(d.b, CHUNK), t -> {
                int b0 = t * CHUNK, b1 = Math.min(d.b, b0 + CHUNK);
                ConvDirect.apply(out.data(), x.data(), wp, d.c, d.o, lay, false, b0, b1, false,
                        scratch.segment(5, lay.floats((b1 - b0) * d.c)));
            });
            return;
        }
        if (g.stride() == 1) {
            forwardWide(p, scratch, out, x, w2, g, d);
            return;
        }
        p.forEach(ceilDiv(d.b, CHUNK), t -> {
            Tensor cols = scratch.tensor(0, d.k, d.n);
            for (int b = t * CHUNK; b < Math.min(d.b, (t + 1) * CHUNK); b++) {
                im2col(cols.data(), x.data(), (long) b * d.c * d.h * d.w, d, g);
                MatmulBlocked.multiply(p, false, plane(out, b, d.o, d.n), w2, cols, MatmulForm.NN, false, d.o, d.n, d.k);
            }
        });
    }

    /** dx += ∂/∂x, dw += ∂/∂w (either may be null) of Σ out ⊙ dOut. */
    public static void backward(Parallel p, Scratch scratch, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w,
                                ConvGeometry g) {
        Dims d = Dims.check(dOut, x, w, g);
        if (dx != null) Shapes.same("conv2dBackward", "dx", x, dx);
        if (dw != null) Shapes.same("conv2dBackward", "dw", w, dw);
        Tensor w2 = w.reshape(d.o, d.k);
        int tasks = ceilDiv(d.b, CHUNK);
        if (PlaneTaps.fits(g)) {
            backwardDirect(p, scratch, dx, dw, dOut, x, w, g, d);
            return;
        }
        try (Arena arena = Arena.ofShared()) {
            Tensor partial = dw == null ? null : Tensor.zeros(arena, Shape.of(tasks, d.o, d.k));
            if (g.stride() == 1) backwardWide(p, scratch, dx, partial, dOut, x, w2, g, d);
            else p.forEach(tasks, t -> {
                Tensor cols = scratch.tensor(0, d.k, d.n), dcols = scratch.tensor(1, d.k, d.n);
                for (int b = t * CHUNK; b < Math.min(d.b, (t + 1) * CHUNK); b++) {
                    Tensor dOutB = plane(dOut, b, d.o, d.n);
                    if (dw != null) {
                        im2col(cols.data(), x.data(), (long) b * d.c * d.h * d.w, d, g);
                        MatmulBlocked.multiply(p, false, plane(partial, t, d.o, d.k), dOutB, cols, MatmulForm.NT, true,
                                d.o, d.k, d.n);
                    }
                    if (dx != null) {
                        MatmulBlocked.multiply(p, false, dcols, w2, dOutB, MatmulForm.TN, false, d.k, d.n, d.o);
                        col2im(dx.data(), (long) b * d.c * d.h * d.w, dcols.data(), d, g);
                    }
                }
            });
            if (dw != null) {
                long size = (long) d.o * d.k;
                for (int t = 0; t < tasks; t++) PixelRuns.axpy(dw.data(), 0, partial.data(), t * size, (int) size, 1f);
            }
        }
    }

    /**
     * Stride-1 same convolutions by {@link ConvDirect}, dx as the transposed convolution of dOut in tasks of
     * {@link #CHUNK} images, dW per chunk of {@link #WEIGHT_CHUNK} images into its own partial, the partials then
     * added in chunk order.
     */
    private static void backwardDirect(Parallel p, Scratch scratch, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w,
                                       ConvGeometry g, Dims d) {
        ConvDirect.Layout lay = ConvDirect.layout(g, d.h, d.w);
        float[] wT = dx == null ? null : ConvDirect.pack(w.data(), d.c, d.o, lay.taps, true);
        int weightTasks = dw == null ? 0 : ceilDiv(d.b, WEIGHT_CHUNK), inputTasks = dx == null ? 0 : ceilDiv(d.b, CHUNK);
        float[][] partial = new float[weightTasks][d.o * d.k];
        boolean lanesOverO = ConvWeightLanes.fits(d.o, lay.taps);
        // the long dW tasks first, so the short dx tasks fill in behind them
        p.forEach(weightTasks + inputTasks, t -> {
            if (t < weightTasks) {
                int b0 = t * WEIGHT_CHUNK, b1 = Math.min(d.b, b0 + WEIGHT_CHUNK);
                if (lanesOverO) ConvWeightLanes.weightGrad(partial[t], dOut.data(), x.data(), d.c, d.o, lay, b0, b1);
                else ConvDirect.weightGrad(partial[t], dOut.data(), x.data(), d.c, d.o, lay, b0, b1,
                        scratch.segment(5, lay.floats((b1 - b0) * d.c)), scratch.segment(6, lay.floats((b1 - b0) * d.o)));
            } else {
                int b0 = (t - weightTasks) * CHUNK, b1 = Math.min(d.b, b0 + CHUNK);
                ConvDirect.apply(dx.data(), dOut.data(), wT, d.o, d.c, lay, true, b0, b1, true,
                        scratch.segment(6, lay.floats((b1 - b0) * d.o)));
            }
        });
        for (float[] part : partial)
            for (int i = 0; i < part.length; i++) dw.set(i, dw.get(i) + part[i]);
    }

    /**
     * Stride 1 in the {@link PaddedPlane} layout: each im2col row is one copy of Ho·Wp floats from the padded
     * plane, the product is (O, Ho·Wp) wide, and its first Wo columns per row are the output.
     */
    private static void forwardWide(Parallel p, Scratch scratch, Tensor out, Tensor x, Tensor w2, ConvGeometry g, Dims d) {
        int pad = g.padding(), ext = g.extent(), wp = d.w + 2 * pad, n = d.ho * wp;
        long plane = PaddedPlane.size(d.h, d.w, pad, ext);
        p.forEach(ceilDiv(d.b, CHUNK), t -> {
            Tensor cols = scratch.tensor(0, d.k, n), wide = scratch.tensor(3, d.o, n);
            MemorySegment padded = scratch.segment(2, d.c * plane);
            for (int b = t * CHUNK; b < Math.min(d.b, (t + 1) * CHUNK); b++) {
                wideCols(cols.data(), padded, x.data(), b, d, g, plane, wp, n);
                MatmulBlocked.multiply(p, false, wide, w2, cols, MatmulForm.NN, false, d.o, n, d.k);
                for (int o = 0; o < d.o; o++) {
                    PaddedPlane.compact(out.data(), ((long) b * d.o + o) * d.ho * d.wo, wide.data(), (long) o * n, d.ho, d.wo, wp);
                }
            }
        });
    }

    /** The backward of {@link #forwardWide}: dOut widened with zero junk columns, then the same two products. */
    private static void backwardWide(Parallel p, Scratch scratch, Tensor dx, Tensor partial, Tensor dOut, Tensor x, Tensor w2,
                                     ConvGeometry g, Dims d) {
        int pad = g.padding(), ext = g.extent(), wp = d.w + 2 * pad, n = d.ho * wp;
        long plane = PaddedPlane.size(d.h, d.w, pad, ext);
        p.forEach(ceilDiv(d.b, CHUNK), t -> {
            Tensor cols = scratch.tensor(0, d.k, n), dcols = scratch.tensor(1, d.k, n), wide = scratch.tensor(3, d.o, n);
            MemorySegment padded = scratch.segment(2, d.c * plane), dpad = scratch.segment(4, d.c * plane);
            for (int b = t * CHUNK; b < Math.min(d.b, (t + 1) * CHUNK); b++) {
                for (int o = 0; o < d.o; o++) {
                    PaddedPlane.widen(wide.data(), (long) o * n, dOut.data(), ((long) b * d.o + o) * d.ho * d.wo, d.ho, d.wo, wp);
                }
                if (partial != null) {
                    wideCols(cols.data(), padded, x.data(), b, d, g, plane, wp, n);
                    MatmulBlocked.multiply(p, false, plane(partial, t, d.o, d.k), wide, cols, MatmulForm.NT, true, d.o, d.k, n);
                }
                if (dx != null) {
                    MatmulBlocked.multiply(p, false, dcols, w2, wide, MatmulForm.TN, false, d.k, n, d.o);
                    dpad.asSlice(0, d.c * plane * Float.BYTES).fill((byte) 0);
                    for (int c = 0; c < d.c; c++)
                        for (int ky = 0; ky < g.kernel(); ky++)
                            for (int kx = 0; kx < g.kernel(); kx++) {
                                long row = (long) ((c * g.kernel() + ky) * g.kernel() + kx) * n;
                                PixelRuns.axpy(dpad, c * plane + PaddedPlane.shift(ky, kx, g.dilation(), wp), dcols.data(), row, n, 1f);
                            }
                    for (int c = 0; c < d.c; c++) {
                        PaddedPlane.addInterior(dx.data(), ((long) b * d.c + c) * d.h * d.w, dpad, c * plane, d.h, d.w, pad);
                    }
                }
            }
        });
    }

    /** Wide im2col of sample b: pad every channel, then row (c, ky, kx) = padded plane c from the tap's shift on. */
    private static void wideCols(MemorySegment cols, MemorySegment padded, MemorySegment x, int b, Dims d, ConvGeometry g,
                                 long plane, int wp, int n) {
        for (int c = 0; c < d.c; c++) {
            PaddedPlane.pad(padded, c * plane, x, ((long) b * d.c + c) * d.h * d.w, d.h, d.w, g.padding(), g.extent(), 0f);
        }
        for (int c = 0; c < d.c; c++)
            for (int ky = 0; ky < g.kernel(); ky++)
                for (int kx = 0; kx < g.kernel(); kx++) {
                    long row = (long) ((c * g.kernel() + ky) * g.kernel() + kx) * n;
                    MemorySegment.copy(padded, (c * plane + PaddedPlane.shift(ky, kx, g.dilation(), wp)) * Float.BYTES, cols,
                            row * Float.BYTES, (long) n * Float.BYTES);
                }
    }

    /** The twin of {@link #forward}: out[b,o,y,x] = Σ_{c,ky,kx} w·x in float, c then ky then kx ascending. */
    public static void forwardScalar(Tensor out, Tensor x, Tensor w, ConvGeometry g) {
        Dims d = Dims.check(out, x, w, g);
        for (int b = 0; b < d.b; b++)
            for (int o = 0; o < d.o; o++)
                for (int y = 0; y < d.ho; y++)
                    for (int xo = 0; xo < d.wo; xo++) {
                        float s = 0f;
                        for (int c = 0; c < d.c; c++)
                            for (int ky = 0; ky < g.kernel(); ky++)
                                for (int kx = 0; kx < g.kernel(); kx++) {
                                    int iy = y * g.stride() - g.padding() + ky * g.dilation();
                                    int ix = xo * g.stride() - g.padding() + kx * g.dilation();
                                    if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w) continue;
                                    s += w.get(((long) (o * d.c + c) * g.kernel() + ky) * g.kernel() + kx)
                                            * x.get(((long) (b * d.c + c) * d.h + iy) * d.w + ix);
                                }
                        out.set(((long) (b * d.o + o) * d.ho + y) * d.wo + xo, s);
                    }
    }

    /** The twin of {@link #backward}: every tap of every output pixel adds its two products. */
    public static void backwardScalar(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, ConvGeometry g) {
        Dims d = Dims.check(dOut, x, w, g);
        for (int b = 0; b < d.b; b++)
            for (int o = 0; o < d.o; o++)
                for (int y = 0; y < d.ho; y++)
                    for (int xo = 0; xo < d.wo; xo++) {
                        float go = dOut.get(((long) (b * d.o + o) * d.ho + y) * d.wo + xo);
                        for (int c = 0; c < d.c; c++)
                            for (int ky = 0; ky < g.kernel(); ky++)
                                for (int kx = 0; kx < g.kernel(); kx++) {
                                    int iy = y * g.stride() - g.padding() + ky * g.dilation();
                                    int ix = xo * g.stride() - g.padding() + kx * g.dilation();
                                    if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w) continue;
                                    long wi = ((long) (o * d.c + c) * g.kernel() + ky) * g.kernel() + kx;
                                    long xi = ((long) (b * d.c + c) * d.h + iy) * d.w + ix;
                                    if (dw != null) dw.set(wi, dw.get(wi) + go * x.get(xi));
                                    if (dx != null) dx.set(xi, dx.get(xi) + go * w.get(wi));
                                }
                    }
    }

    /** cols (K, N) of one sample starting at float {@code xOff} of x. Stride 1 rows are bulk copies. */
    static void im2col(MemorySegment cols, MemorySegment x, long xOff, Dims d, ConvGeometry g) {
        int k = g.kernel();
        for (int c = 0; c < d.c; c++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    long row = (long) ((c * k + ky) * k + kx) * d.n;
                    int shiftX = kx * g.dilation() - g.padding();
                    long range = PixelRuns.validRange(d.wo, g.stride(), shiftX, d.w);
                    int lo = PixelRuns.lo(range), hi = Math.max(lo, PixelRuns.hi(range));
                    for (int y = 0; y < d.ho; y++) {
                        long dst = row + (long) y * d.wo;
                        int iy = y * g.stride() - g.padding() + ky * g.dilation();
                        if (iy < 0 || iy >= d.h) {
                            cols.asSlice(dst * Float.BYTES, (long) d.wo * Float.BYTES).fill((byte) 0);
                            continue;
                        }
                        long src = xOff + ((long) c * d.h + iy) * d.w;
                        for (int xo = 0; xo < lo; xo++) cols.setAtIndex(F, dst + xo, 0f);
                        if (g.stride() == 1) {
                            MemorySegment.copy(x, (src + lo + shiftX) * Float.BYTES, cols, (dst + lo) * Float.BYTES,
                                    (long) (hi - lo) * Float.BYTES);
                        } else {
                            for (int xo = lo; xo < hi; xo++) cols.setAtIndex(F, dst + xo, x.getAtIndex(F, src + (long) xo * g.stride() + shiftX));
                        }
                        for (int xo = hi; xo < d.wo; xo++) cols.setAtIndex(F, dst + xo, 0f);
                    }
                }
    }

    /** The transpose of {@link #im2col}: dx (one sample at {@code dxOff}) += each cols entry at its pixel. */
    static void col2im(MemorySegment dx, long dxOff, MemorySegment cols, Dims d, ConvGeometry g) {
        int k = g.kernel();
        for (int c = 0; c < d.c; c++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    long row = (long) ((c * k + ky) * k + kx) * d.n;
                    int shiftX = kx * g.dilation() - g.padding();
                    long range = PixelRuns.validRange(d.wo, g.stride(), shiftX, d.w);
                    int lo = PixelRuns.lo(range), hi = PixelRuns.hi(range);
                    if (hi <= lo) continue;
                    for (int y = 0; y < d.ho; y++) {
                        int iy = y * g.stride() - g.padding() + ky * g.dilation();
                        if (iy < 0 || iy >= d.h) continue;
                        long dst = dxOff + ((long) c * d.h + iy) * d.w, src = row + (long) y * d.wo;
                        if (g.stride() == 1) {
                            PixelRuns.axpy(dx, dst + lo + shiftX, cols, src + lo, hi - lo, 1f);
                        } else {
                            for (int xo = lo; xo < hi; xo++) {
                                long i = dst + (long) xo * g.stride() + shiftX;
                                dx.setAtIndex(F, i, dx.getAtIndex(F, i) + cols.getAtIndex(F, src + xo));
                            }
                        }
                    }
                }
    }

    /** Sample (or chunk) e of a tensor whose first axis is the batch, as a (rows, cols) matrix view. */
    private static Tensor plane(Tensor t, int e, int rows, int cols) {
        return new Tensor(Shape.of(rows, cols), t.data().asSlice((long) e * rows * cols * Float.BYTES,
                (long) rows * cols * Float.BYTES));
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    /** Checked sizes of a convolution: x (B, C, H, W), w (O, C, k, k), out (B, O, Ho, Wo); K = C·k·k, N = Ho·Wo. */
    record Dims(int b, int c, int h, int w, int o, int ho, int wo, int k, int n) {
        static Dims check(Tensor out, Tensor x, Tensor w, ConvGeometry g) {
            String op = "conv2d";
            Shapes.require(x.rank() == 4, op, "x", "a 4-D tensor (B, C, H, W)", x.shape());
            // the message is formatted only on failure: formatting it on every call cost ~1 % of a 7² backward
            if (!(w.rank() == 4 && w.shape().dim(1) == x.shape().dim(1) && w.shape().dim(2) == g.kernel()
                    && w.shape().dim(3) == g.kernel())) {
                Shapes.require(false, op, "w", "(O, %d, %d, %d)".formatted(x.shape().dim(1), g.kernel(), g.kernel()), w.shape());
            }
            int o = w.shape().dim(0);
            Shape expected = g.outShape(x, o);
            Shapes.require(out.shape().equals(expected), op, "out", expected, out.shape());
            int c = x.shape().dim(1);
            return new Dims(x.shape().dim(0), c, x.shape().dim(2), x.shape().dim(3), o, expected.dim(2), expected.dim(3),
                    c * g.kernel() * g.kernel(), expected.dim(2) * expected.dim(3));
        }
    }

    /**
     * Per-thread native buffers (im2col columns and their gradient; slots 5 and 6: {@link ConvDirect}'s padded
     * planes), grown on demand and kept for the next call:
     * a fresh buffer per call would zero megabytes each time. Freed when the owning backend closes.
     */
    public static final class Scratch implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final ThreadLocal<MemorySegment[]> slots = ThreadLocal.withInitial(() -> new MemorySegment[11]);
        /** The slots of {@link PlaneTaps#haloCopy}'s buffers (an edge plane's inputs and output). */
        static final int HALO_IN = 7, HALO_OUT = 8, HALO_X = 9;
        /** Where a kernel stores vector accumulators to fold them with {@link Lanes#sum(MemorySegment, long)}. */
        static final int LANE_SUMS = 10;

        /** This thread's buffer number {@code slot} as a (rows, cols) tensor; its contents are stale. */
        Tensor tensor(int slot, int rows, int cols) {
            long bytes = (long) rows * cols * Float.BYTES;
            MemorySegment[] mine = slots.get();
            if (mine[slot] == null || mine[slot].byteSize() < bytes) mine[slot] = grow(Math.max(bytes, 64));
            return new Tensor(Shape.of(rows, cols), mine[slot].asSlice(0, bytes));
        }

        /** This thread's buffer number {@code slot}, at least {@code floats} long; its contents are stale. */
        MemorySegment segment(int slot, long floats) {
            long bytes = floats * Float.BYTES;
            MemorySegment[] mine = slots.get();
            if (mine[slot] == null || mine[slot].byteSize() < bytes) mine[slot] = grow(Math.max(bytes, 64));
            return mine[slot];
        }

        private synchronized MemorySegment grow(long bytes) { return arena.allocate(bytes, Tensor.ALIGNMENT); }

        @Override public void close() { arena.close(); }
    }
}
