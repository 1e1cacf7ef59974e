package dev.posenc.bench;

import dev.posenc.core.Compare;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.ConvKernels;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.ConvCpu;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.kernels.DepthwiseCpu;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The DARTS toy's convolution-family kernels on its own shapes (batch 64; C = 8 at 14×14 in cell 0, 16 at 7×7 in
 * cell 1): 3×3 convolution, depthwise 3×3 (sep_conv), depthwise 3×3 dilation 2 (dil_conv), 1×1 convolution, avg and
 * max pooling 3×3 (forward keeping the argmax, backward routing by it, as autograd and PyTorch do), batch norm.
 * Forward and backward (dx and dw from a given dOut) timed apart, as
 * bench/pytorch/conv_ops.py times PyTorch's. Setup checks the convolutions against their scalar twins first.
 * Run: {@code ./posenc bench conv}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ConvBench {
    @Param({"conv3x3", "dw3x3", "dw3x3d2", "conv1x1", "avgpool", "maxpool", "batchnorm"})
    String op;
    /** channels x side: the two cells of the toy. */
    @Param({"8x14", "16x7"})
    String shape;
    @Param({"2"})
    int threads;

    static final int BATCH = 64;

    CpuBackend backend;
    ConvKernels k;
    Arena arena;
    ConvGeometry g;
    Tensor x, w, out, arg, dOut, dx, dw, mean, rstd;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(threads);
        k = backend.conv();
        arena = Arena.ofShared();
        int c = Integer.parseInt(shape.split("x")[0]), s = Integer.parseInt(shape.split("x")[1]);
        g = switch (op) {
            case "dw3x3d2" -> new ConvGeometry(3, 1, 2, 2);
            case "conv1x1" -> ConvGeometry.of(1, 1, 0);
            default -> ConvGeometry.of(3, 1, 1);
        };
        Rng rng = new Rng(5);
        x = rng.normal(arena, Shape.of(BATCH, c, s, s));
        w = op.startsWith("dw") ? rng.normal(arena, Shape.of(c, 3, 3)) : rng.normal(arena, Shape.of(c, c, g.kernel(), g.kernel()));
        out = Tensor.zeros(arena, x.shape());
        arg = Tensor.zeros(arena, x.shape());
        dOut = rng.normal(arena, x.shape());
        dx = Tensor.zeros(arena, x.shape());
        dw = Tensor.zeros(arena, w.shape());
        mean = Tensor.zeros(arena, c);
        rstd = Tensor.zeros(arena, c);
        if (op.equals("maxpool")) k.maxPool2dWithArgmax(out, arg, x, g);   // the argmax the backward routes by
        checkAgainstTwin();
        warmUp();
    }

    /**
     * Runs both bodies until C2 has compiled them, before JMH's own warmup. The direct kernels are a few large loops
     * that the interpreter runs ~1000× slower than C2 (Vector API objects); their first call alone took 0.5–5 s, so a
     * --quick run (2 warmup seconds) on a loaded machine timed the interpreter. Untimed; at most 60 s.
     */
    private void warmUp() {
        long end = System.nanoTime() + 60_000_000_000L;
        long best = Long.MAX_VALUE;
        for (int calls = 0, settled = 0; settled < 20 && System.nanoTime() < end; calls++) {
            long t0 = System.nanoTime();
            forward();
            backward();
            long t = System.nanoTime() - t0;
            // settled: within 2× of the fastest call so far, 20 times after the first 50 calls
            if (t < best) best = t;
            if (calls > 50 && t < 2 * best) settled++;
        }
    }

    /** The convolutions against their scalar twins on these shapes: a wrong fast kernel fails before timing. */
    private void checkAgainstTwin() {
        if (!op.startsWith("conv") && !op.startsWith("dw")) return;
        Tensor ref = Tensor.zeros(arena, out.shape());
        forward();
        if (op.startsWith("dw")) DepthwiseCpu.forwardScalar(ref, x, w, g);
        else ConvCpu.forwardScalar(ref, x, w, g);
        Compare cmp = Compare.of(ref, out, 1e-4, 1e-4);
        if (!cmp.ok()) throw new IllegalStateException(op + " " + shape + ": " + cmp.describe());
    }

    @Benchmark
    public void forward() {
        switch (op) {
            case "conv3x3", "conv1x1" -> k.conv2d(out, x, w, g);
            case "dw3x3", "dw3x3d2" -> k.depthwiseConv2d(out, x, w, g);
            case "avgpool" -> k.avgPool2d(out, x, g);
            case "maxpool" -> k.maxPool2dWithArgmax(out, arg, x, g);
            default -> k.batchNorm2d(out, mean, rstd, x, 1e-5f);
        }
    }

    @Benchmark
    public void backward() {
        switch (op) {
            case "conv3x3", "conv1x1" -> k.conv2dBackward(dx, dw, dOut, x, w, g);
            case "dw3x3", "dw3x3d2" -> k.depthwiseConv2dBackward(dx, dw, dOut, x, w, g);
            case "avgpool" -> k.avgPool2dBackward(dx, dOut, g);
            case "maxpool" -> k.maxPool2dBackwardArgmax(dx, dOut, arg, g);
            default -> k.batchNorm2dBackward(dx, dOut, x, rstd);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }
}
