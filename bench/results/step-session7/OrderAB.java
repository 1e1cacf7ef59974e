package dev.posenc.kernels;

import dev.posenc.core.*;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Issue 13, step7: the order of a ReLU layer's two backward products, over a chain of LAYERS hidden layers (16,384 rows,
 * 256 wide) as in fit-image's MLP backward: per layer BiasReluCpu.backward (dz), then NN (dx = dz·W) then TN
 * (dW = dzᵀ·x) as main does ("nn-tn"), or TN first ("tn-nn": the strided k-major pack reads dz just written, and the
 * next layer's pass reads dx just written). Same bits either way. Alternated in one process; CPU ms per chain (the
 * calling thread's on 1 thread, the process's mean on more). Inputs rotate over 3 chains' worth of tensors.
 */
public class OrderAB {
    static final com.sun.management.ThreadMXBean T = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]), calls = Integer.parseInt(a[1]), threads = Integer.parseInt(a[2]);
        int layers = 3, n = 16384, h = 256, sets = 3;
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(1);
            Tensor[][] y = new Tensor[sets][layers + 1];
            for (int s = 0; s < sets; s++) for (int l = 0; l <= layers; l++) {
                y[s][l] = rng.normal(arena, Shape.of(n, h));
                BiasReluCpu.forward(p, y[s][l], y[s][l], Tensor.zeros(arena, Shape.of(h)));
            }
            Tensor[] w = new Tensor[layers], dw = new Tensor[layers], db = new Tensor[layers];
            for (int l = 0; l < layers; l++) { w[l] = rng.normal(arena, Shape.of(h, h)); dw[l] = Tensor.zeros(arena, Shape.of(h, h)); db[l] = Tensor.zeros(arena, Shape.of(h)); }
            Tensor top = rng.normal(arena, Shape.of(n, h));
            Tensor[] dz = new Tensor[layers], dx = new Tensor[layers];
            for (int l = 0; l < layers; l++) { dz[l] = Tensor.zeros(arena, Shape.of(n, h)); dx[l] = Tensor.zeros(arena, Shape.of(n, h)); }
            int[] next = {0};
            java.util.function.IntConsumer chain = tnFirst -> {
                int s = next[0]++ % sets;
                Tensor dy = top;
                for (int l = layers; l >= 1; l--) {                    // layer l: y[l] = relu(y[l-1]·Wᵀ + b)
                    int i = l - 1;
                    BiasReluCpu.backward(p, dz[i], db[i], dy, y[s][l], true);
                    if (tnFirst == 1) MatmulCpu.matmul(p, dw[i], dz[i], y[s][l - 1], MatmulForm.TN, true);
                    MatmulCpu.matmul(p, dx[i], dz[i], w[i], MatmulForm.NN, false);
                    if (tnFirst == 0) MatmulCpu.matmul(p, dw[i], dz[i], y[s][l - 1], MatmulForm.TN, true);
                    dy = dx[i];
                }
            };
            for (int i = 0; i < 10; i++) { chain.accept(0); chain.accept(1); }
            double[][] r = new double[2][rounds];
            for (int k = 0; k < rounds; k++) {
                for (int v = 0; v < 2; v++) {
                    int vv = (k & 1) == 0 ? v : 1 - v;                 // alternate which goes first
                    long c0 = threads == 1 ? T.getCurrentThreadCpuTime() : OS.getProcessCpuTime();
                    for (int c = 0; c < calls; c++) chain.accept(vv);
                    r[vv][k] = ((threads == 1 ? T.getCurrentThreadCpuTime() : OS.getProcessCpuTime()) - c0) / 1e6 / calls;
                }
                System.out.printf("round %d: nn-tn %.2f  tn-nn %.2f ms CPU per 3-layer chain; load %.2f%n", k, r[0][k], r[1][k], OS.getSystemLoadAverage());
            }
            Arrays.sort(r[0]); Arrays.sort(r[1]);
            System.out.printf("%d thread(s): median nn-tn %.2f, tn-nn %.2f ms CPU (%+.1f %%)%n", threads, r[0][rounds / 2], r[1][rounds / 2],
                    100 * (r[1][rounds / 2] / r[0][rounds / 2] - 1));
        }
    }
}
