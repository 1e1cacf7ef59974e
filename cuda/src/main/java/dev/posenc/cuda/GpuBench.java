package dev.posenc.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Reference64;
import dev.posenc.core.Shape;
import dev.posenc.core.UnaryOp;
import java.util.Arrays;
import java.util.SplittableRandom;
import jcuda.driver.CUevent;

/**
 * The device round's posenc side (bench/gpu-round.sh): times device-resident kernels with CUDA events and
 * prints one tab-separated line per case ({@code case, median ms, derived figure}), which
 * bench/pytorch/gpu_bench.py merges with PyTorch's numbers into one table. Every timed kernel is first
 * checked against its twin (attention) or its output sanity (finite, plausible) before any timing.
 * Never run: written on a machine without a GPU.
 */
public final class GpuBench {
    private GpuBench() {}

    static final int WARMUP = 3, REPS = 20;

    public static void main(String[] args) {
        switch (CudaBackend.open(false, Boolean.getBoolean("posenc.cuda.sync"))) {
            case CudaBackend.Unavailable u -> System.out.println("# posenc cuda unavailable: " + u.reason());
            case CudaBackend.Opened o -> {
                try (CudaBackend b = o.backend()) {
                    System.out.println("# " + b.describe());
                    run(b);
                }
            }
        }
    }

    /** Median milliseconds of {@code body} between two events on the backend's stream. */
    static double time(CudaContext cx, Runnable body) {
        CUevent start = new CUevent(), stop = new CUevent();
        Cuda.check(cuEventCreate(start, 0), "cuEventCreate", "bench");
        Cuda.check(cuEventCreate(stop, 0), "cuEventCreate", "bench");
        try {
            for (int i = 0; i < WARMUP; i++) body.run();
            double[] ms = new double[REPS];
            for (int i = 0; i < REPS; i++) {
                Cuda.check(cuEventRecord(start, cx.stream), "cuEventRecord", "bench");
                body.run();
                Cuda.check(cuEventRecord(stop, cx.stream), "cuEventRecord", "bench");
                Cuda.check(cuEventSynchronize(stop), "cuEventSynchronize", "bench");
                float[] t = {0};
                Cuda.check(cuEventElapsedTime(t, start, stop), "cuEventElapsedTime", "bench");
                ms[i] = t[0];
            }
            Arrays.sort(ms);
            return ms[REPS / 2];
        } finally {
            Cuda.check(cuEventDestroy(start), "cuEventDestroy", "bench");
            Cuda.check(cuEventDestroy(stop), "cuEventDestroy", "bench");
        }
    }

    private static float[] rand(SplittableRandom r, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * std);
        return a;
    }

    private static void line(String name, double ms, String figure) {
        System.out.printf("%s\t%.4f\t%s%n", name, ms, figure);
    }

    static void run(CudaBackend b) {
        CudaBackend ops = b;   // the launch classes per family: ops.fourier, ops.matmul, ...
        CudaContext cx = b.context();
        SplittableRandom r = new SplittableRandom(1);
        int n = 1 << 18, m = 2, f = 256, h = 64, d = 64;
        DeviceTensor x = ops.buffers.upload(Shape.of(n, m), rand(r, n * m, 1)), wr = ops.buffers.upload(Shape.of(f / 2, m), rand(r, f / 2 * m, 4));
        DeviceTensor w1 = ops.buffers.upload(Shape.of(h, f), rand(r, h * f, 0.06)), b1 = ops.buffers.upload(Shape.of(h), rand(r, h, 0.01));
        DeviceTensor w2 = ops.buffers.upload(Shape.of(d, h), rand(r, d * h, 0.12)), b2 = ops.buffers.upload(Shape.of(d), rand(r, d, 0.01));
        DeviceTensor out = ops.buffers.allocate(Shape.of(n, d)), feat = ops.buffers.allocate(Shape.of(n, f));
        DeviceTensor pre = ops.buffers.allocate(Shape.of(n, h)), hid = ops.buffers.allocate(Shape.of(n, h));

        // 1. fused LFF inference vs the unfused chain (same kernels as training's forward), checked against each other
        ops.lff.lffEncode(out, x, wr, w1, b1, w2, b2);
        float[] fused = ops.buffers.download(out);
        Runnable unfused = () -> {
            ops.fourier.fourierForward(feat, x, wr, (float) (1 / Math.sqrt(f)));
            ops.matmul.matmul(hid, feat, w1, b1, MatmulForm.NT, n, h, f, 1, false, UnaryOp.GELU_ERF);
            ops.matmul.matmul(out, hid, w2, b2, MatmulForm.NT, n, d, h, 1, false, null);
        };
        unfused.run();
        Compare c = Compare.of(ops.buffers.download(out), fused, 1e-4, 1e-3);
        System.out.println("# lff fused vs unfused: " + (c.ok() ? "agree" : "DISAGREE " + c.describe()));
        double fusedMs = time(cx, () -> ops.lff.lffEncode(out, x, wr, w1, b1, w2, b2));
        double flop = 2.0 * n * (f * h + h * d);
        line("lff_infer_fused", fusedMs, "%.0f GFLOP/s".formatted(flop / fusedMs / 1e6));
        line("lff_infer_unfused", time(cx, unfused), "");
        // the same chain with TF32 tensor-core matmuls: the like-for-like row for PyTorch's eager TF32 column
        MatmulCuda tf32 = new MatmulCuda(cx, b.buffers, true);
        Runnable unfusedTf32 = () -> {
            ops.fourier.fourierForward(feat, x, wr, (float) (1 / Math.sqrt(f)));
            tf32.matmul(hid, feat, w1, b1, MatmulForm.NT, n, h, f, 1, false, UnaryOp.GELU_ERF);
            tf32.matmul(out, hid, w2, b2, MatmulForm.NT, n, d, h, 1, false, null);
        };
        unfusedTf32.run();
        Compare ct = Compare.of(ops.buffers.download(out), fused, 1e-2, 1e-2);   // TF32: ~1e-3 relative per product
        System.out.println("# lff unfused TF32 vs fused fp32: " + (ct.ok() ? "agree" : "DISAGREE " + ct.describe()));
        line("lff_infer_unfused_tf32", time(cx, unfusedTf32), "posenc TF32 (compare with PyTorch eager TF32)");

        // 2. one LFF training step: forward, MSE gradient, backward through both linears, GELU and Fourier, Adam
        DeviceTensor target = ops.buffers.upload(Shape.of(n, d), rand(r, n * d, 1)), dOut = ops.buffers.allocate(Shape.of(n, d));
        DeviceTensor dHid = ops.buffers.allocate(Shape.of(n, h)), dPre = ops.buffers.allocate(Shape.of(n, h)), dFeat = ops.buffers.allocate(Shape.of(n, f));
        DeviceTensor[] params = {wr, w1, b1, w2, b2}, grads = new DeviceTensor[5], mom = new DeviceTensor[5], vel = new DeviceTensor[5];
        for (int i = 0; i < 5; i++) {
            grads[i] = ops.buffers.allocate(params[i].shape());
            mom[i] = ops.buffers.allocate(params[i].shape());
            vel[i] = ops.buffers.allocate(params[i].shape());
            ops.elementwise.fill(mom[i], 0f);
            ops.elementwise.fill(vel[i], 0f);
        }
        AdamConfig adam = AdamConfig.adam(1e-3f);
        int[] step = {0};
        Runnable train = () -> {
            for (DeviceTensor g : grads) ops.elementwise.fill(g, 0f);
            ops.fourier.fourierForward(feat, x, wr, (float) (1 / Math.sqrt(f)));
            ops.matmul.matmul(pre, feat, w1, b1, MatmulForm.NT, n, h, f, 1, false, null);
            ops.elementwise.unary(UnaryOp.GELU_ERF, hid, pre);
            ops.matmul.matmul(out, hid, w2, b2, MatmulForm.NT, n, d, h, 1, false, null);
            ops.elementwise.fill(dOut, 0f);
            ops.loss.mseBackward(dOut, out, target, 1f);
            ops.matmul.matmul(grads[3], dOut, hid, null, MatmulForm.TN, d, h, n, 1, true, null);    // dW2 += dOutᵀ·hid
            ops.reduce.sumRows(grads[4], dOut, 1f, true);
            ops.matmul.matmul(dHid, dOut, w2, null, MatmulForm.NN, n, h, d, 1, false, null);       // dHid = dOut·W2
            ops.elementwise.fill(dPre, 0f);
            ops.elementwise.unaryBackward(UnaryOp.GELU_ERF, dPre, dHid, pre, hid);
            ops.matmul.matmul(grads[1], dPre, feat, null, MatmulForm.TN, h, f, n, 1, true, null);   // dW1 += dPreᵀ·feat
            ops.reduce.sumRows(grads[2], dPre, 1f, true);
            ops.matmul.matmul(dFeat, dPre, w1, null, MatmulForm.NN, n, f, h, 1, false, null);      // dFeat = dPre·W1
            ops.fourier.fourierBackward(null, grads[0], dFeat, x, wr, (float) (1 / Math.sqrt(f)));
            step[0]++;
            for (int i = 0; i < 5; i++) ops.adam.adamStep(params[i], grads[i], mom[i], vel[i], adam, step[0]);
        };
        train.run();
        System.out.println("# lff train step: loss grad finite=" + b.reduce.allFinite(grads[1]));
        line("lff_train_step", time(cx, train), "");

        // 3. the Fourier projection alone (N=2^18, M=2, F=256) against a device-to-device copy of its output size
        long bytes = (long) n * f * 4;
        double fourierMs = time(cx, () -> ops.fourier.fourierForward(feat, x, wr, 0.0625f));
        line("fourier_fwd", fourierMs, "%.0f GB/s written".formatted(bytes / fourierMs / 1e6));
        DeviceTensor copy = ops.buffers.allocate(Shape.of(n, f));
        double copyMs = time(cx, () -> ops.buffers.copy(copy, feat, bytes));
        line("d2d_copy_same_bytes", copyMs, "%.0f GB/s (read+write)".formatted(2.0 * bytes / copyMs / 1e6));
        // the target (issue 11): Fourier's write bandwidth at least 70 % of the copy's read+write bandwidth
        System.out.printf("# fourier / copy bandwidth: %.0f %% (Fourier GB/s written over copy GB/s read+write; "
                + "target >= 70 %%)%n", 100 * (bytes / fourierMs) / (2.0 * bytes / copyMs));

        // 4. attention forward, fp32, d=64, 8 heads, checked against the twin on a small case first
        checkAttention(ops);
        for (int t : new int[] {4096, 16384}) {
            int bh = 8, hd = 64;
            Shape s = Shape.of(bh, t, hd);
            DeviceTensor q = ops.buffers.upload(s, rand(r, bh * t * hd, 1)), k = ops.buffers.upload(s, rand(r, bh * t * hd, 1)),
                    v = ops.buffers.upload(s, rand(r, bh * t * hd, 1)), o = ops.buffers.allocate(s), lse = ops.buffers.allocate(Shape.of(bh, t));
            double ms = time(cx, () -> ops.attention.attentionForward(o, lse, q, k, v, bh, t, hd, 0.125f, false));
            line("attn_fwd_d64_t" + t, ms, "%.1f TFLOP/s".formatted(4.0 * bh * t * (double) t * hd / ms / 1e9));
            for (DeviceTensor z : new DeviceTensor[] {q, k, v, o, lse}) ops.buffers.release(z);
        }
    }

    private static void checkAttention(CudaBackend ops) {
        int bh = 2, t = 100, hd = 64;
        SplittableRandom r = new SplittableRandom(9);
        float[] q = rand(r, bh * t * hd, 1), k = rand(r, bh * t * hd, 1), v = rand(r, bh * t * hd, 1);
        Shape s = Shape.of(bh, t, hd);
        DeviceTensor dq = ops.buffers.upload(s, q), dk = ops.buffers.upload(s, k), dv = ops.buffers.upload(s, v), o = ops.buffers.allocate(s),
                lse = ops.buffers.allocate(Shape.of(bh, t));
        ops.attention.attentionForward(o, lse, dq, dk, dv, bh, t, hd, 0.125f, false);
        Compare c = Compare.of(Reference64.attention(Compare.toDouble(q), Compare.toDouble(k), Compare.toDouble(v), bh, t, t,
                hd, 0.125, false), Compare.toDouble(ops.buffers.download(o)), 2e-5, 1e-4);
        System.out.println("# attention vs twin: " + (c.ok() ? "agree" : "DISAGREE " + c.describe()));
        for (DeviceTensor z : new DeviceTensor[] {dq, dk, dv, o, lse}) ops.buffers.release(z);
    }
}
