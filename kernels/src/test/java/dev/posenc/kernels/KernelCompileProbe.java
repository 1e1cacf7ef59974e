package dev.posenc.kernels;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs every family's kernels long enough for C2 to compile them, so that {@link JitCliffTest} can read
 * the child JVM's {@code -XX:+PrintCompilation} for "COMPILE SKIPPED" (toolchain.md §1.5). A family adds
 * its kernels as named exercises, one line each, in {@link #families}.
 */
public final class KernelCompileProbe {
    private KernelCompileProbe() {}

    /** Each exercise runs this long: C2 has compiled a hot vector loop well before 0.3 s. */
    static final long MILLIS_PER_EXERCISE = 300;

    /** One named call into a kernel family, repeated by {@link #main}. */
    record Exercise(String name, Runnable body) {}

    /** Every family and its exercises. */
    static Map<String, List<Exercise>> families(CpuBackend be, Arena arena) {
        return Map.of("matmul", matmul(be, arena), "elementwise", elementwise(be, arena),
                "reductions", reductions(be, arena), "fourier", fourier(be, arena), "adam", adam(be, arena),
                "attention", attention(be, arena), "fft", fft(be, arena), "conv", conv(be, arena));
    }

    /**
     * The DARTS toy's convolution family at its 7 × 7 shape (batch 64, 16 channels): 3×3 convolution, depthwise
     * (plain and dilated), pooling and batch norm, forward and backward.
     */
    static List<Exercise> conv(CpuBackend be, Arena arena) {
        Rng rng = new Rng(7);
        Shape s = Shape.of(64, 16, 7, 7);
        Tensor x = rng.normal(arena, s), dOut = rng.normal(arena, s), out = Tensor.zeros(arena, s), dx = Tensor.zeros(arena, s);
        Tensor arg = Tensor.zeros(arena, s), mean = Tensor.zeros(arena, 16), rstd = Tensor.zeros(arena, 16);
        Tensor w = rng.normal(arena, Shape.of(16, 16, 3, 3)), dw = Tensor.zeros(arena, w.shape());
        Tensor wd = rng.normal(arena, Shape.of(16, 3, 3)), dwd = Tensor.zeros(arena, wd.shape());
        dev.posenc.core.ConvGeometry same = dev.posenc.core.ConvGeometry.of(3, 1, 1);
        dev.posenc.core.ConvGeometry dilated = new dev.posenc.core.ConvGeometry(3, 1, 2, 2);
        var k = be.conv();
        k.maxPool2dWithArgmax(out, arg, x, same);   // the argmax the backward routes by
        return List.of(
                new Exercise("conv2d 3x3 16x7", () -> k.conv2d(out, x, w, same)),
                new Exercise("conv2dBackward 3x3 16x7", () -> k.conv2dBackward(dx, dw, dOut, x, w, same)),
                new Exercise("depthwiseConv2d 3x3 16x7", () -> k.depthwiseConv2d(out, x, wd, same)),
                new Exercise("depthwiseConv2dBackward 3x3 16x7", () -> k.depthwiseConv2dBackward(dx, dwd, dOut, x, wd, same)),
                new Exercise("depthwiseConv2dBackward dilated 16x7",
                        () -> k.depthwiseConv2dBackward(dx, dwd, dOut, x, wd, dilated)),
                new Exercise("avgPool2dBackward 3x3 16x7", () -> k.avgPool2dBackward(dx, dOut, same)),
                new Exercise("maxPool2dWithArgmax 3x3 16x7", () -> k.maxPool2dWithArgmax(out, arg, x, same)),
                new Exercise("batchNorm2dBackward 16x7", () -> k.batchNorm2dBackward(dx, dOut, x, rstd)));
    }

    /** Every FFT stage kernel (radix 4, 2, 3, 5, generic), the four-step single path, the row tiles, Toeplitz. */
    static List<Exercise> fft(CpuBackend be, Arena arena) {
        Rng rng = new Rng(6);
        Tensor x = rng.normal(arena, Shape.of(2, 1500, 17)), out = Tensor.zeros(arena, 2, 1500, 17);
        Tensor w = rng.uniform(arena, Shape.of(2, 2999), 0.5f, 1.5f), dw = Tensor.zeros(arena, 2, 2999);
        float[] big = new float[65536], re = new float[32769], im = new float[32769];
        float[] rows = new float[37 * 240], rowsRe = new float[37 * 121], rowsIm = new float[37 * 121];
        float[] cr = new float[7 * 12], ci = new float[7 * 12];
        return List.of(
                new Exercise("toeplitzMultiply n=1500 (radix 4, 3, 5)", () -> be.toeplitzMultiply(out, w, x)),
                new Exercise("toeplitzWeightGrad n=1500", () -> be.toeplitzWeightGradAccumulate(dw, out, x)),
                new Exercise("realForward 65536 (four-step)", () -> FftCpu.realForward(big, 65536, re, im)),
                new Exercise("realForwardRows 37x240 (radix 4, 2, 3, 5)",
                        () -> FftCpu.realForwardRows(be.parallel(), rows, rowsRe, rowsIm, 37, 240)),
                new Exercise("complex 84 (generic radix 7)", () -> FftCpu.complex(cr, ci, 84, false)));
    }

    static List<Exercise> elementwise(CpuBackend be, Arena arena) {
        Rng rng = new Rng(2);
        // 67 × 131 leaves a vector tail in every row; large enough for both threads.
        Tensor a = rng.normal(arena, Shape.of(67, 131)), b = rng.normal(arena, Shape.of(67, 131));
        Tensor row = rng.normal(arena, Shape.of(131)), out = Tensor.zeros(arena, 67, 131), d = Tensor.zeros(arena, 67, 131);
        Tensor positive = rng.uniform(arena, Shape.of(67, 131), 0.5f, 2f);
        List<Exercise> list = new ArrayList<>(List.of(
                new Exercise("add", () -> be.add(out, a, b)),
                new Exercise("mul", () -> be.mul(out, a, b)),
                new Exercise("addRowBroadcast", () -> be.addRowBroadcast(out, a, row)),
                new Exercise("axpy", () -> be.axpy(out, 0.5f, a))));
        for (UnaryOp f : UnaryOp.values()) {
            Tensor in = f == UnaryOp.LOG ? positive : a;
            list.add(new Exercise("unary " + f, () -> be.unary(f, out, in)));
            list.add(new Exercise("unaryBackward " + f, () -> be.unaryBackward(f, d, b, in, out)));
        }
        return list;
    }

    static List<Exercise> reductions(CpuBackend be, Arena arena) {
        Rng rng = new Rng(3);
        Tensor x = rng.normal(arena, Shape.of(67, 131)), out = Tensor.zeros(arena, 67, 131), d = Tensor.zeros(arena, 67, 131);
        Tensor cols = Tensor.zeros(arena, 131), rows = Tensor.zeros(arena, 67), mean = Tensor.zeros(arena, 67);
        Tensor rstd = Tensor.zeros(arena, 67), gamma = rng.normal(arena, Shape.of(131)), beta = rng.normal(arena, Shape.of(131));
        Tensor dGamma = Tensor.zeros(arena, 131), dBeta = Tensor.zeros(arena, 131);
        int[] labels = new int[67];
        for (int i = 0; i < labels.length; i++) labels[i] = (i * 7) % 131;
        return List.of(
                new Exercise("sumRows", () -> be.sumRows(cols, x, 1f, false)),
                new Exercise("sumCols", () -> be.sumCols(rows, x, 1f, false)),
                new Exercise("sum", () -> be.sum(x)),
                new Exercise("softmax", () -> be.softmax(out, x)),
                new Exercise("softmaxBackward", () -> be.softmaxBackward(d, x, out)),
                new Exercise("logSoftmax", () -> be.logSoftmax(out, x)),
                new Exercise("logSoftmaxBackward", () -> be.logSoftmaxBackward(d, x, out)),
                new Exercise("layerNorm", () -> be.layerNorm(out, mean, rstd, x, gamma, beta, 1e-5f)),
                new Exercise("layerNormBackward", () -> be.layerNormBackward(d, dGamma, dBeta, x, x, mean, rstd, gamma)),
                new Exercise("mse", () -> be.mse(x, out)),
                new Exercise("mseBackward", () -> be.mseBackward(d, x, out, 1f)),
                new Exercise("crossEntropy", () -> be.crossEntropy(x, labels)),
                new Exercise("crossEntropyBackward", () -> be.crossEntropyBackward(d, x, labels, 1f)));
    }

    static List<Exercise> fourier(CpuBackend be, Arena arena) {
        Rng rng = new Rng(4);
        Tensor x = rng.uniform(arena, Shape.of(1031, 2), 0f, 1f), w = rng.normal(arena, Shape.of(37, 2), 0f, 10f);
        Tensor out = Tensor.zeros(arena, 1031, 74), dx = Tensor.zeros(arena, 1031, 2), dw = Tensor.zeros(arena, 37, 2);
        return List.of(
                new Exercise("fourierForward", () -> be.fourierForward(out, x, w, 0.1f)),
                new Exercise("fourierBackward", () -> be.fourierBackward(dx, dw, out, x, w, 0.1f)));
    }

    static List<Exercise> attention(CpuBackend be, Arena arena) {
        Rng rng = new Rng(6);
        // 70 keys: two key blocks, the second ragged; d = 33: a vector body and a tail.
        Tensor q = rng.normal(arena, Shape.of(4, 70, 33)), k = rng.normal(arena, q.shape()), v = rng.normal(arena,
                q.shape());
        Tensor out = Tensor.zeros(arena, q.shape()), lse = Tensor.zeros(arena, 4, 70), dq = Tensor.zeros(arena,
                q.shape());
        Tensor dk = Tensor.zeros(arena, q.shape()), dv = Tensor.zeros(arena, q.shape());
        return List.of(new Exercise("attentionForward 4x70x33", () -> be.attentionForward(out, lse, q, k, v, 0.17f)),
                new Exercise("attentionBackward 4x70x33",
                        () -> be.attentionBackward(dq, dk, dv, v, out, lse, q, k, v, 0.17f)));
    }

    static List<Exercise> adam(CpuBackend be, Arena arena) {
        Rng rng = new Rng(5);
        Tensor p = rng.normal(arena, Shape.of(1031)), g = rng.normal(arena, Shape.of(1031));
        Tensor m = Tensor.zeros(arena, 1031), v = Tensor.zeros(arena, 1031);
        return List.of(new Exercise("adamStep", () -> be.adamStep(p, g, m, v, AdamConfig.adamW(1e-3f, 0.01f), 10)));
    }

    static List<Exercise> matmul(CpuBackend be, Arena arena) {
        Rng rng = new Rng(1);
        List<Exercise> list = new ArrayList<>();
        for (MatmulForm form : MatmulForm.values()) {
            // 67 × 131 × 45 hits every edge path; 256³ the full tiles and both threads.
            for (int[] s : new int[][] {{67, 131, 45}, {256, 256, 256}}) {
                int m = s[0], n = s[1], k = s[2];
                Tensor a = rng.normal(arena, form == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
                Tensor b = rng.normal(arena, form == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
                Tensor out = Tensor.zeros(arena, m, n);
                list.add(new Exercise("matmul %s %dx%dx%d".formatted(form, m, n, k),
                        () -> be.matmul(out, a, b, form, true)));
            }
        }
        Tensor q = rng.normal(arena, Shape.of(4, 33, 16)), scores = Tensor.zeros(arena, 4, 33, 33);
        list.add(new Exercise("batchedMatmul NT 4x33x33x16", () -> be.batchedMatmul(scores, q, q, MatmulForm.NT, false)));
        return list;
    }

    /** Args: none, or family names to run (default: all). Prints one line per exercise to stdout. */
    public static void main(String[] args) {
        try (Arena arena = Arena.ofShared(); CpuBackend be = new CpuBackend(2)) {
            for (var family : families(be, arena).entrySet()) {
                if (args.length > 0 && !List.of(args).contains(family.getKey())) continue;
                for (Exercise e : family.getValue()) {
                    long end = System.nanoTime() + MILLIS_PER_EXERCISE * 1_000_000, calls = 0;
                    while (System.nanoTime() < end) {
                        e.body().run();
                        calls++;
                    }
                    System.out.println("probe: " + e.name() + ": " + calls + " calls");
                }
            }
        }
    }
}
