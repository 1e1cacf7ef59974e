package dev.posenc.cuda;

import dev.posenc.core.Shape;
import dev.posenc.core.FftPlan;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;

/**
 * Launch maths for fft.cu: the same {@link FftPlan} (stages and twiddles, computed on the host in double) as the
 * CPU, uploaded per call as a {@link Tables}. A transform of h ≤ {@value #BLOCK_MAX_H} runs in one launch of
 * {@code fft_block} (one block per transform, all stages in shared memory); longer ones run stage by stage
 * ({@code fft_stage}, global memory, ping-pong). Arrays hold a batch of transforms interleaved, [t·batch + b].
 */
final class FftCuda {
    /** fft_block keeps two complex buffers of h in shared memory: 16·h bytes, 32 KiB at 2048. */
    static final int BLOCK_MAX_H = 2048;
    private final CudaContext cx;
    private final DeviceBuffers ops;

    FftCuda(CudaContext cx, DeviceBuffers ops) {
        this.cx = cx;
        this.ops = ops;
    }

    private static Pointer i(int v) { return Pointer.to(new int[] {v}); }

    private static Pointer l(long v) { return Pointer.to(new long[] {v}); }

    private static Pointer f(float v) { return Pointer.to(new float[] {v}); }

    /** A plan's tables on the device: concatenated stage twiddles, per-stage meta (p, m, stride, offset), W_{2h}^k. */
    final class Tables implements AutoCloseable {
        final FftPlan plan;
        final DeviceTensor twRe, twIm, meta, realRe, realIm;
        final int[] offsets;
        private final List<DeviceTensor> held = new ArrayList<>();

        Tables(int h) {
            plan = FftPlan.of(h);
            int stages = plan.stages(), total = 0;
            offsets = new int[stages];
            int[] m = new int[Math.max(4, 4 * stages)];
            for (int s = 0; s < stages; s++) {
                offsets[s] = total;
                m[4 * s] = plan.radix(s);
                if (plan.radix(s) > 5) throw new IllegalArgumentException(
                        "h: expected a length with prime factors <= 5 on the GPU, got " + h);
                m[4 * s + 1] = plan.m(s);
                m[4 * s + 2] = plan.stride(s);
                m[4 * s + 3] = total;
                total += plan.twiddlesRe(s).length;
            }
            float[] re = new float[Math.max(1, total)], im = new float[re.length];
            for (int s = 0; s < stages; s++) {
                System.arraycopy(plan.twiddlesRe(s), 0, re, offsets[s], plan.m(s) * (plan.radix(s) - 1));
                System.arraycopy(plan.twiddlesIm(s), 0, im, offsets[s], plan.m(s) * (plan.radix(s) - 1));
            }
            twRe = hold(ops.upload(Shape.of(re.length), re));
            twIm = hold(ops.upload(Shape.of(im.length), im));
            realRe = hold(ops.upload(Shape.of(h + 1), plan.realTwiddlesRe()));
            realIm = hold(ops.upload(Shape.of(h + 1), plan.realTwiddlesIm()));
            meta = hold(ops.allocate(Shape.of(m.length)));
            Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyHtoD(meta.ptr(), Pointer.to(m), 4L * m.length), "cuMemcpyHtoD",
                    "fft meta");
        }

        private DeviceTensor hold(DeviceTensor t) {
            held.add(t);
            return t;
        }

        @Override public void close() { for (DeviceTensor t : held) ops.release(t); }
    }

    Tables tables(int h) { return new Tables(h); }

    /**
     * Forward FFT of length t.plan over {@code batch} interleaved transforms in (xr, xi), (yr, yi) as scratch; the
     * inverse (unnormalised) is this call with each pair's re and im swapped.
     *
     * @return true when the result is in (yr, yi)
     */
    boolean forward(Tables t, DeviceTensor xr, DeviceTensor xi, DeviceTensor yr, DeviceTensor yi, int batch) {
        FftPlan plan = t.plan;
        int h = plan.length();
        if (plan.stages() == 0) return false;
        if (h <= BLOCK_MAX_H) {
            cx.launch("fft_block", new LaunchConfig(batch, 1, 1, LaunchConfig.BLOCK, 1, 1, 16 * h), xr.arg(), xi.arg(),
                    t.twRe.arg(), t.twIm.arg(), t.meta.arg(), i(plan.stages()), i(h), i(batch));
            return false;
        }
        boolean inY = false;
        for (int s = 0; s < plan.stages(); s++) {
            DeviceTensor ar = inY ? yr : xr, ai = inY ? yi : xi, br = inY ? xr : yr, bi = inY ? xi : yi;
            long run = (long) plan.stride(s) * batch, offset = 4L * t.offsets[s];
            cx.launch("fft_stage", LaunchConfig.gridStride(plan.m(s) * run), br.arg(), bi.arg(), ar.arg(), ai.arg(),
                    Pointer.to(t.twRe.ptr().withByteOffset(offset)), Pointer.to(t.twIm.ptr().withByteOffset(offset)),
                    i(plan.radix(s)), i(plan.m(s)), l(run));
            inY = !inY;
        }
        return inY;
    }

    /** (outRe, outIm) (h + 1, batch) = the half spectra of the real sequences whose packed FFT is (zr, zi). */
    void realPost(DeviceTensor outRe, DeviceTensor outIm, DeviceTensor zr, DeviceTensor zi, Tables t, int batch) {
        int h = t.plan.length();
        cx.launch("real_post", LaunchConfig.gridStride((long) (h + 1) * batch), outRe.arg(), outIm.arg(), zr.arg(),
                zi.arg(), t.realRe.arg(), t.realIm.arg(), i(h), i(batch));
    }

    /** (zr, zi) (h, batch) whose inverse FFT is the packed real sequences of the half spectra, times scale·2h. */
    void realPre(DeviceTensor zr, DeviceTensor zi, DeviceTensor inRe, DeviceTensor inIm, Tables t, int batch,
                 float scale) {
        int h = t.plan.length();
        cx.launch("real_pre", LaunchConfig.gridStride((long) h * batch), zr.arg(), zi.arg(), inRe.arg(), inIm.arg(),
                t.realRe.arg(), t.realIm.arg(), i(h), i(batch), f(scale));
    }
}
