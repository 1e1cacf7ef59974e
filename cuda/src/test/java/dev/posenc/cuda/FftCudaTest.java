package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.core.Shape;
import dev.posenc.kernels.FftCpu;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * fft.cu against the CPU's FftCpu on the same plan: a batch of 3 interleaved complex transforms, through the
 * shared-memory kernel (h ≤ 2048) and the stage-by-stage one (h > 2048). Skips with the probe's reason without a GPU.
 */
class FftCudaTest {
    /** The same stages and twiddles in another order of float rounding: a few ε·log₂h relative to rms(X). */
    static final double RTOL = 1e-5;
    private static CudaBackend gpu;
    private static String reason = "";

    @BeforeAll static void open() {
        switch (CudaBackend.open(false, Boolean.getBoolean("posenc.cuda.sync"))) {
            case CudaBackend.Opened o -> gpu = o.backend();
            case CudaBackend.Unavailable u -> reason = u.reason();
        }
    }

    @AfterAll static void close() { if (gpu != null) gpu.close(); }

    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {12, 60, 1000, 2048, 4096, 6000})
    void matchesCpuOnEveryTransformOfTheBatch(int h) {
        assumeTrue(gpu != null, () -> "no CUDA backend: " + reason);
        int batch = 3;
        SplittableRandom r = new SplittableRandom(h);
        float[] re = new float[h * batch], im = new float[h * batch];
        for (int i = 0; i < re.length; i++) {
            re[i] = (float) r.nextGaussian();
            im[i] = (float) r.nextGaussian();
        }
        CudaBackend ops = gpu;
        FftCuda fft = new FftCuda(gpu.context(), gpu.buffers);
        DeviceTensor xr = ops.buffers.upload(Shape.of(h * batch), re), xi = ops.buffers.upload(Shape.of(h * batch), im);
        DeviceTensor yr = ops.buffers.allocate(Shape.of(h * batch)), yi = ops.buffers.allocate(Shape.of(h * batch));
        float[] gr, gi;
        try (FftCuda.Tables t = fft.tables(h)) {
            boolean inY = fft.forward(t, xr, xi, yr, yi, batch);
            gr = ops.buffers.download(inY ? yr : xr);
            gi = ops.buffers.download(inY ? yi : xi);
        }
        for (DeviceTensor d : new DeviceTensor[] {xr, xi, yr, yi}) ops.buffers.release(d);
        for (int b = 0; b < batch; b++) {
            float[] cr = new float[h], ci = new float[h];
            for (int t = 0; t < h; t++) {
                cr[t] = re[t * batch + b];
                ci[t] = im[t * batch + b];
            }
            FftCpu.complex(cr, ci, h, false);
            double err = 0, norm = 0;
            for (int k = 0; k < h; k++) {
                double dr = gr[k * batch + b] - cr[k], di = gi[k * batch + b] - ci[k];
                err = Math.max(err, Math.hypot(dr, di));
                norm += cr[k] * cr[k] + ci[k] * ci[k];
            }
            double rms = Math.sqrt(norm / h), e = err;
            int bb = b;
            assertTrue(err <= RTOL * rms * Math.log(h), () -> "h=%d b=%d: max |GPU − CPU| %.3g, rms(X) %.3g"
                    .formatted(h, bb, e, rms));
        }
    }
}
