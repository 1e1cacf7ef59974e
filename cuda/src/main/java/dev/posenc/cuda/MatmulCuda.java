package dev.posenc.cuda;

import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;
import static dev.posenc.cuda.DeviceTensor.argOrNull;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.UnaryOp;

/**
 * matmul.cu: the tiled SGEMMs (SIMT fp32, or TF32 tensor cores) and the split-K TN and NT products. Twin: MatmulCpu.
 *
 * <p>Split-K: a product with a small output (a few 64×64 tiles) and a long K, e.g. a weight gradient
 * dW = dOutᵀ·x (TN, K = N rows) or a Gram matrix J·Jᵀ (NT, K = parameters), runs one block per tile looping over
 * all of K and leaves the GPU idle. {@link LaunchConfig#splitK} picks S slices from the shape alone; the form's
 * kernel runs them as a batch (TN: slice s of a (K×M) and b (K×N) starts at row s·kc; NT: slice s of a (M×K) and
 * b (N×K) starts at column s·kc, rows still K long, the kernels' {@code ldk}; partial s at s·M·N; a shorter last
 * slice runs as one more batch entry), and {@code matmul_splitk_reduce} adds the partials in slice order:
 * deterministic, the same bits every run. NN is not split: its backward products are the TN and NT ones.
 *
 * <p>Launch maths only; shapes are checked by {@link CudaBackend}. Never run on a GPU.
 */
final class MatmulCuda {
    private final CudaContext cx;
    private final DeviceBuffers buffers;
    /** Matmuls on TF32 tensor cores (~1e-3 relative error) instead of the fp32 SIMT kernel. */
    final boolean tf32;

    MatmulCuda(CudaContext cx, DeviceBuffers buffers, boolean tf32) {
        this.cx = cx;
        this.buffers = buffers;
        this.tf32 = tf32;
    }

    private String kernel(MatmulForm form) {
        return (tf32 ? "sgemm_tf32_" : "sgemm_") + form.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * out = act(form(a, b) (+ out) (+ bias)) over {@code batch} entries with element strides; act is null for
     * none. Sizes (m, n, k) as {@link dev.posenc.core.Shapes#matmul} returns them.
     */
    void matmul(DeviceTensor out, DeviceTensor a, DeviceTensor b, DeviceTensor bias, MatmulForm form, int m, int n,
                int k, int batch, boolean accumulate, UnaryOp act) {
        if (form != MatmulForm.NN && bias == null && act == null && batch == 1) {
            int splits = LaunchConfig.splitK(m, n, k, batch);
            if (splits > 1) {
                split(form, out, a, b, m, n, k, splits, accumulate);
                return;
            }
        }
        String kernel = kernel(form);
        long so = (long) m * n, sa = (long) m * k, sb = (long) k * n;
        cx.launch(kernel, LaunchConfig.matmul(m, n, batch, tf32), out.arg(), a.arg(), b.arg(), argOrNull(bias), i(m),
                i(n), i(k), l(batch > 1 ? so : 0), l(batch > 1 ? sa : 0), l(batch > 1 ? sb : 0), i(accumulate ? 1 : 0),
                i(act == null ? 0 : ElementwiseCuda.activationCode(act)), i(k));
    }

    /**
     * out (+)= form(a, b) over S K-slices, form TN (a (K×M), b (K×N)) or NT (a (M×K), b (N×K)): partials in a pooled
     * scratch, reduced in slice order. Where slice s starts, in elements: TN s·kc·M in a and s·kc·N in b (whole
     * rows); NT s·kc in both (a column offset, rows K = ldk long).
     */
    private void split(MatmulForm form, DeviceTensor out, DeviceTensor a, DeviceTensor b, int m, int n, int k,
                       int splits, boolean accumulate) {
        int kc = k / splits, tail = k - kc * splits;        // S full slices of kc, then one of `tail`
        int parts = splits + (tail > 0 ? 1 : 0);
        long mn = (long) m * n;
        boolean tn = form == MatmulForm.TN;
        long strideA = tn ? (long) kc * m : kc, strideB = tn ? (long) kc * n : kc;
        DeviceTensor part = buffers.allocate(Shape.of(Math.toIntExact(parts * mn)));
        cx.launch(kernel(form), LaunchConfig.matmul(m, n, splits, tf32), part.arg(), a.arg(), b.arg(), argOrNull(null),
                i(m), i(n), i(kc), l(mn), l(strideA), l(strideB), i(0), i(0), i(k));
        if (tail > 0) {
            cx.launch(kernel(form), LaunchConfig.matmul(m, n, 1, tf32),
                    Args.ptr(part.ptr().withByteOffset(splits * mn * Float.BYTES)),
                    Args.ptr(a.ptr().withByteOffset(splits * strideA * Float.BYTES)),
                    Args.ptr(b.ptr().withByteOffset(splits * strideB * Float.BYTES)), argOrNull(null), i(m), i(n),
                    i(tail), l(0), l(0), l(0), i(0), i(0), i(k));
        }
        cx.launch("matmul_splitk_reduce", LaunchConfig.gridStride(mn), out.arg(), part.arg(), i(parts), l(mn),
                i(accumulate ? 1 : 0));
        buffers.release(part);
    }
}
