package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A layer's backward with its activation's derivative folded into the products' packs, against the composed route
 * it replaces (the activation's backward pass, then the NN and TN products): dx and dW bit for bit on 1 and 2
 * threads, with and without accumulation, without dx; db bit for bit too for ReLU (BiasReluCpu's blocks), and for
 * GELU equal to dh's column sums by blocks of 256 rows (summed here in plain loops); and the twins (plain loops)
 * within float rounding. The shapes split the TN product over k (the fused route): a ragged last block of rows, Out
 * with a ragged last tile (20, 30), fit-image's 256-wide layer.
 */
class LinearBackwardCpuTest {
    @ParameterizedTest(name = "{0}: N {1}, Out {2}, In {3}, {4} thread(s)")
    @CsvSource({"relu, 4396, 20, 40, 1", "relu, 4396, 20, 40, 2", "relu, 5000, 30, 17, 2", "relu, 4608, 256, 256, 2",
            "gelu, 4396, 20, 40, 1", "gelu, 4396, 20, 40, 2", "gelu, 5000, 30, 17, 2", "gelu, 4608, 256, 256, 1"})
    void equalsTheComposedRouteAndItsTwin(String act, int rows, int out, int in, int threads) {
        assertTrue(LinearBackwardCpu.fuses(rows, out, in));
        boolean relu = act.equals("relu");
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Rng rng = new Rng(41);
            Tensor x = rng.normal(arena, Shape.of(rows, in)), w = rng.normal(arena, Shape.of(out, in));
            Tensor y = rng.normal(arena, Shape.of(rows, out)), dy = rng.normal(arena, Shape.of(rows, out));
            if (relu) BiasReluCpu.forward(p, y, y, Tensor.zeros(arena, Shape.of(out)));   // y ≥ 0 with zeros, a ReLU's
            Tensor dx0 = rng.normal(arena, Shape.of(rows, in)), dw0 = rng.normal(arena, Shape.of(out, in));
            Tensor db0 = rng.normal(arena, Shape.of(out));
            for (boolean accumulate : new boolean[] {false, true}) {
                for (boolean withDx : new boolean[] {true, false}) {
                    Tensor[] fused = copies(arena, dx0, dw0, db0), composed = copies(arena, dx0, dw0, db0);
                    Tensor[] twin = copies(arena, dx0, dw0, db0);
                    Tensor dz = Tensor.zeros(arena, y.shape()), scratch = Tensor.zeros(arena, y.shape());
                    Tensor fdx = withDx ? fused[0] : null, tdx = withDx ? twin[0] : null;
                    if (relu) {
                        LinearBackwardCpu.relu(p, scratch, fdx, accumulate, fused[1], accumulate, fused[2], accumulate, dy, y, x, w);
                        BiasReluCpu.backward(p, dz, composed[2], dy, y, accumulate);
                    } else {
                        LinearBackwardCpu.gelu(p, scratch, fdx, accumulate, fused[1], accumulate, fused[2], accumulate, dy, y, x, w);
                        LinearGeluCpu.backward(p, dz, dy, y, false);
                        blockSums(composed[2], dz, accumulate);
                    }
                    if (withDx) MatmulCpu.matmul(p, composed[0], dz, w, MatmulForm.NN, accumulate);
                    MatmulCpu.matmul(p, composed[1], dz, x, MatmulForm.TN, accumulate);
                    boolean twinToo = (long) rows * out * in < 50_000_000L;     // the plain loops are slow
                    if (twinToo && relu) {
                        LinearBackwardCpu.reluScalar(scratch, tdx, accumulate, twin[1], accumulate, twin[2], accumulate, dy, y, x, w);
                    } else if (twinToo) {
                        LinearBackwardCpu.geluScalar(scratch, tdx, accumulate, twin[1], accumulate, twin[2], accumulate, dy, y, x, w);
                    }
                    for (int t = 0; t < 3; t++) {
                        assertArrayEquals(composed[t].toArray(), fused[t].toArray(), "tensor " + t);
                        if (!twinToo) continue;
                        float[] a = twin[t].toArray(), b = fused[t].toArray();
                        for (int i = 0; i < a.length; i++) {
                            assertTrue(Math.abs(a[i] - b[i]) <= 2e-4f * (float) Math.sqrt(rows) * (1 + Math.abs(a[i])),
                                    "tensor " + t + " element " + i + ": twin " + a[i] + ", fused " + b[i]);
                        }
                    }
                    if (!withDx) assertArrayEquals(dx0.toArray(), fused[0].toArray());   // dx untouched
                }
            }
        }
    }

    @ParameterizedTest(name = "N {0}, Out {1}, In {2}")
    @CsvSource({"4095, 256, 256", "16384, 3, 256", "16384, 256, 2048", "16384, 4, 256"})
    void shapesWithoutASplitTnProductTakeTheComposedRoute(int rows, int out, int in) {
        assertFalse(LinearBackwardCpu.fuses(rows, out, in));
    }

    /** db (+)= Σ_rows dh as BiasReluCpu sums: each block of 256 rows in row order from 0, then the blocks in order. */
    private static void blockSums(Tensor db, Tensor dh, boolean accumulate) {
        int rows = dh.rows(), cols = dh.cols();
        for (int c = 0; c < cols; c++) {
            float total = 0f;
            for (int b0 = 0; b0 < rows; b0 += 256) {
                float part = 0f;
                for (int r = b0; r < Math.min(rows, b0 + 256); r++) part += dh.get(r, c);
                total = b0 == 0 ? part : total + part;
            }
            db.set(c, accumulate ? db.get(c) + total : total);
        }
    }

    private static Tensor[] copies(Arena arena, Tensor... ts) {
        Tensor[] c = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            c[i] = Tensor.zeros(arena, ts[i].shape());
            c[i].copyFrom(ts[i]);
        }
        return c;
    }
}
