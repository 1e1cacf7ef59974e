package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernels the Backend interface does not reach (fused LFF encoder, flash attention) and the pool's
 * steady state, on a real GPU. Every test skips with the probe's reason where there is none.
 */
class DeviceKernelsTest {
    /** Attention vs the double-accumulating twin: fp32 exp and sums over T ≤ 100 keys. */
    static final double ATTENTION_ATOL = 2e-5, ATTENTION_RTOL = 1e-4;
    /** LFF fused vs the CPU composition: F = 64 + H = 32 term sums and erf-GELU, in a different order. */
    static final double LFF_ATOL = 2e-5, LFF_RTOL = 1e-4;

    private static CudaBackend gpu;
    private static String reason = "";

    @BeforeAll static void open() {
        switch (CudaBackend.open(false, Boolean.getBoolean("posenc.cuda.sync"))) {
            case CudaBackend.Opened o -> gpu = o.backend();
            case CudaBackend.Unavailable u -> reason = u.reason();
        }
    }

    @AfterAll static void close() { if (gpu != null) gpu.close(); }

    private static void requireGpu() { assumeTrue(gpu != null, () -> "no CUDA backend: " + reason); }

    private static float[] rand(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian());
        return a;
    }

    @Test
    void flashAttentionMatchesItsTwinForEveryHeadDim() {
        requireGpu();
        CudaBackend ops = gpu;
        for (int d : new int[] {32, 64, 128}) {
            for (boolean causal : new boolean[] {false, true}) {
                int bh = 3, t = 77;   // 77: three key tiles, the last one ragged
                float scale = (float) (1 / Math.sqrt(d));
                SplittableRandom r = new SplittableRandom(d + (causal ? 1 : 0));
                float[] q = rand(r, bh * t * d), k = rand(r, bh * t * d), v = rand(r, bh * t * d), dO = rand(r, bh * t * d);
                Shape s = Shape.of(bh, t, d), rows = Shape.of(bh, t);
                DeviceTensor dq = ops.buffers.upload(s, q), dk = ops.buffers.upload(s, k), dv = ops.buffers.upload(s, v), ddo = ops.buffers.upload(s, dO);
                DeviceTensor out = ops.buffers.allocate(s), lse = ops.buffers.allocate(rows), rowdot = ops.buffers.allocate(rows);
                DeviceTensor gq = ops.buffers.allocate(s), gk = ops.buffers.allocate(s), gv = ops.buffers.allocate(s);
                ops.attention.attentionForward(out, lse, dq, dk, dv, bh, t, d, scale, causal);
                ops.attention.attentionBackward(gq, gk, gv, ddo, out, lse, rowdot, dq, dk, dv, bh, t, d, scale, causal);
                String what = "d=" + d + " causal=" + causal;
                double[] q64 = Compare.toDouble(q), k64 = Compare.toDouble(k), v64 = Compare.toDouble(v);
                check(what + " out", Reference64.attention(q64, k64, v64, bh, t, t, d, scale, causal), ops.buffers.download(out));
                double[][] g = Reference64.attentionBackward(Compare.toDouble(dO), q64, k64, v64, bh, t, t, d, scale, causal);
                check(what + " dq", g[0], ops.buffers.download(gq));
                check(what + " dk", g[1], ops.buffers.download(gk));
                check(what + " dv", g[2], ops.buffers.download(gv));
                for (DeviceTensor x : new DeviceTensor[] {dq, dk, dv, ddo, out, lse, rowdot, gq, gk, gv}) ops.buffers.release(x);
            }
        }
    }

    private static void check(String what, double[] expected, float[] actual) {
        Compare c = Compare.of(expected, Compare.toDouble(actual), ATTENTION_ATOL, ATTENTION_RTOL);
        assertTrue(c.ok(), () -> what + ": " + c.describe());
    }

    @Test
    void fusedLffEncoderMatchesTheCpuComposition() {
        requireGpu();
        int n = 1001, m = 2, f = 64, h = 32, d = 24;
        try (Arena arena = Arena.ofConfined(); CpuBackend cpu = new CpuBackend(1)) {
            Rng rng = new Rng(5);
            Tensor x = rng.uniform(arena, Shape.of(n, m), -1f, 1f), wr = rng.normal(arena, Shape.of(f / 2, m), 0f, 4f);
            Tensor w1 = rng.normal(arena, Shape.of(h, f), 0f, 0.2f), b1 = rng.normal(arena, Shape.of(h), 0f, 0.1f);
            Tensor w2 = rng.normal(arena, Shape.of(d, h), 0f, 0.2f), b2 = rng.normal(arena, Shape.of(d), 0f, 0.1f);
            // the CPU route: Fourier features → linear → GELU (erf) → linear, as torch would
            Tensor feat = Tensor.zeros(arena, n, f), hid = Tensor.zeros(arena, n, h), out = Tensor.zeros(arena, n, d);
            cpu.fourierForward(feat, x, wr, (float) (1 / Math.sqrt(f)));
            cpu.matmul(hid, feat, w1, MatmulForm.NT, false);
            cpu.addRowBroadcast(hid, hid, b1);
            cpu.unary(UnaryOp.GELU_ERF, hid, hid);
            cpu.matmul(out, hid, w2, MatmulForm.NT, false);
            cpu.addRowBroadcast(out, out, b2);

            CudaBackend ops = gpu;
            DeviceTensor gx = ops.buffers.upload(x.shape(), x.toArray()), gwr = ops.buffers.upload(wr.shape(), wr.toArray()),
                    gw1 = ops.buffers.upload(w1.shape(), w1.toArray()), gb1 = ops.buffers.upload(b1.shape(), b1.toArray()),
                    gw2 = ops.buffers.upload(w2.shape(), w2.toArray()), gb2 = ops.buffers.upload(b2.shape(), b2.toArray()),
                    gout = ops.buffers.allocate(out.shape());
            ops.lff.lffEncode(gout, gx, gwr, gw1, gb1, gw2, gb2);
            Compare c = Compare.of(out.toArray(), ops.buffers.download(gout), LFF_ATOL, LFF_RTOL);
            assertTrue(c.ok(), c::describe);
        }
    }

    @Test
    void stagingStopsAllocatingAfterTheFirstStep() {
        requireGpu();
        try (Arena arena = Arena.ofConfined()) {
            Tensor a = new Rng(1).normal(arena, Shape.of(301, 37)), out = Tensor.zeros(arena, 301, 37);
            long after = 0;
            for (int step = 0; step < 4; step++) {
                gpu.add(out, a, a);
                gpu.softmax(out, a);
                gpu.sum(a);
                if (step == 0) after = gpu.driverAllocations();
            }
            assertEquals(after, gpu.driverAllocations());
        }
    }
}
