package dev.posenc.cuda;

import dev.posenc.core.Shape;
import dev.posenc.core.FftPlan;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;

/**
 * Launch maths for toeplitz.cu on device-resident tensors; shapes are checked by {@link CudaBackend}. The
 * algorithm is ToeplitzCpu's (circulant of length 2h, h = smooth ≥ n; real transforms packed as complex ones of h),
 * with every column of every head in one batch of B = heads·c transforms ({@link FftCuda}). Up to
 * {@value #DIRECT_MAX_N} the direct O(n²) kernels run instead: cheaper there, and exact.
 * Argument order: outputs, inputs, sizes, as in the .cu and in {@link dev.posenc.kernels.ToeplitzCpu}.
 */
final class ToeplitzCuda {
    static final int DIRECT_MAX_N = 32;
    private final CudaContext cx;
    private final DeviceBuffers ops;
    private final FftCuda fft;

    ToeplitzCuda(CudaContext cx, DeviceBuffers ops) {
        this.cx = cx;
        this.ops = ops;
        this.fft = new FftCuda(cx, ops);
    }

    private static Pointer i(int v) { return Pointer.to(new int[] {v}); }

    /** Device scratch of one call, returned to the pool at the end (the stream orders the reuse). */
    private final class Scratch implements AutoCloseable {
        private final List<DeviceTensor> held = new ArrayList<>();

        DeviceTensor get(long floats) {
            DeviceTensor t = ops.allocate(Shape.of(Math.toIntExact(Math.max(1, floats))));
            held.add(t);
            return t;
        }

        @Override public void close() { for (DeviceTensor t : held) ops.release(t); }
    }

    /** out (heads, n, c) = T·x, overwritten. */
    void multiply(DeviceTensor out, DeviceTensor w, DeviceTensor x, int heads, int n, int c) {
        if (n <= DIRECT_MAX_N) {
            cx.launch("toeplitz_multiply_direct", LaunchConfig.gridStride((long) heads * n * c), out.arg(), w.arg(),
                    x.arg(), i(heads), i(n), i(c));
            return;
        }
        int h = FftPlan.smoothAtLeast(n), cols = Math.multiplyExact(heads, c);
        long size = (long) (h + 1) * cols;
        try (FftCuda.Tables t = fft.tables(h); Scratch s = new Scratch()) {
            DeviceTensor[] spec = spectrum(t, w, heads, n, h, s);
            DeviceTensor zr = s.get(size), zi = s.get(size), yr = s.get(size), yi = s.get(size);
            cx.launch("toeplitz_pack", LaunchConfig.gridStride((long) h * cols), zr.arg(), zi.arg(), x.arg(), i(heads),
                    i(n), i(c), i(h));
            boolean inY = fft.forward(t, zr, zi, yr, yi, cols);
            DeviceTensor ar = inY ? yr : zr, ai = inY ? yi : zi, br = inY ? zr : yr, bi = inY ? zi : yi;
            fft.realPost(br, bi, ar, ai, t, cols);
            cx.launch("toeplitz_mul_spectrum", LaunchConfig.gridStride(size), br.arg(), bi.arg(), spec[0].arg(),
                    spec[1].arg(), i(h), i(heads), i(c));
            fft.realPre(ar, ai, br, bi, t, cols, 1f / (2 * h));
            boolean back = fft.forward(t, ai, ar, bi, br, cols);   // the inverse: the forward of the swapped pair
            cx.launch("toeplitz_unpack", LaunchConfig.gridStride((long) heads * n * c), out.arg(),
                    (back ? br : ar).arg(), (back ? bi : ai).arg(), i(heads), i(n), i(c));
        }
    }

    /** dw (heads, 2n − 1) += the weight gradient. */
    void weightGradAccumulate(DeviceTensor dw, DeviceTensor dOut, DeviceTensor x, int heads, int n, int c) {
        if (n <= DIRECT_MAX_N) {
            cx.launch("toeplitz_weight_grad_direct", new LaunchConfig(2 * n - 1, heads, 1, LaunchConfig.BLOCK, 1, 1, 0),
                    dw.arg(), dOut.arg(), x.arg(), i(heads), i(n), i(c));
            return;
        }
        int h = FftPlan.smoothAtLeast(n), cols = Math.multiplyExact(heads, c);
        long size = (long) (h + 1) * cols;
        try (FftCuda.Tables t = fft.tables(h); Scratch s = new Scratch()) {
            DeviceTensor zr = s.get(size), zi = s.get(size), yr = s.get(size), yi = s.get(size);
            DeviceTensor dr = s.get(size), di = s.get(size);
            halfSpectrum(t, dOut, heads, n, c, h, zr, zi, yr, yi, dr, di);
            DeviceTensor xr = s.get(size), xi = s.get(size);
            halfSpectrum(t, x, heads, n, c, h, zr, zi, yr, yi, xr, xi);
            long gSize = (long) (h + 1) * heads;
            DeviceTensor gr = s.get(gSize), gi = s.get(gSize), pr = s.get(gSize), pi = s.get(gSize);
            DeviceTensor qr = s.get(gSize), qi = s.get(gSize);
            cx.launch("toeplitz_cross", LaunchConfig.gridStride(gSize), gr.arg(), gi.arg(), dr.arg(), di.arg(), xr.arg(),
                    xi.arg(), i(h), i(heads), i(c));
            fft.realPre(pr, pi, gr, gi, t, heads, 1f / (2 * h));
            boolean back = fft.forward(t, pi, pr, qi, qr, heads);
            cx.launch("toeplitz_grad_scatter", LaunchConfig.gridStride((long) heads * (2L * n - 1)), dw.arg(),
                    (back ? qr : pr).arg(), (back ? qi : pi).arg(), i(heads), i(n), i(h));
        }
    }

    /** (outRe, outIm) (h + 1, heads·c) = the half spectra of src's zero-padded columns; z and y are scratch. */
    private void halfSpectrum(FftCuda.Tables t, DeviceTensor src, int heads, int n, int c, int h, DeviceTensor zr,
                              DeviceTensor zi, DeviceTensor yr, DeviceTensor yi, DeviceTensor outRe, DeviceTensor outIm) {
        int cols = heads * c;
        cx.launch("toeplitz_pack", LaunchConfig.gridStride((long) h * cols), zr.arg(), zi.arg(), src.arg(), i(heads),
                i(n), i(c), i(h));
        boolean inY = fft.forward(t, zr, zi, yr, yi, cols);
        fft.realPost(outRe, outIm, inY ? yr : zr, inY ? yi : zi, t, cols);
    }

    /** The half spectra (h + 1, heads) of each head's circulant column. */
    private DeviceTensor[] spectrum(FftCuda.Tables t, DeviceTensor w, int heads, int n, int h, Scratch s) {
        long size = (long) (h + 1) * heads;
        DeviceTensor cr = s.get(size), ci = s.get(size), yr = s.get(size), yi = s.get(size);
        DeviceTensor sr = s.get(size), si = s.get(size);
        cx.launch("toeplitz_pack_column", LaunchConfig.gridStride((long) h * heads), cr.arg(), ci.arg(), w.arg(),
                i(heads), i(n), i(h));
        boolean inY = fft.forward(t, cr, ci, yr, yi, heads);
        fft.realPost(sr, si, inY ? yr : cr, inY ? yi : ci, t, heads);
        return new DeviceTensor[] {sr, si};
    }
}
