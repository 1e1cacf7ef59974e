package dev.posenc.models.nn;

import dev.posenc.autograd.Tape;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.RgbImage;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.optim.Adam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

/** The parameter slab, initialisers, the coordinate model's chunked prediction and Adam over the slab. */
class CoordinateModelTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    static final EncodingParams PARAMS = EncodingParams.defaults(2).toBuilder()
            .gaussianFeatures(16).fourierDims(16).hidden(8).outputDims(10).build();
    static final int[] HIDDEN = {17, 13};
    /** A chunk of other rows may take another kernel path (row blocks, vector tails): an ulp or two of 0.5. */
    private static final float CHUNK_TOL = 2e-7f;

    @Test
    void storeLaysTrainablesContiguouslyAlignedAndBuffersAfter() {
        try (CoordinateModel model = CoordinateModel.create("gaussian", PARAMS, HIDDEN, new Rng(1))) {
            ParameterStore store = model.store();
            long expected = 0;
            for (ParameterStore.Parameter p : store.all()) {
                assertEquals(0, p.value().data().address() % Tensor.ALIGNMENT, p.name());
                if (p.trainable()) {
                    expected += p.shape().size();
                    assertEquals(p.value().data().address() - store.trainableValues().data().address(),
                            p.grad().data().address() - store.grads().data().address(), "same offsets: " + p.name());
                }
            }
            assertEquals(expected, store.trainableCount());
            assertEquals(32 * 17 + 17 + 17 * 13 + 13 + 13 * 3 + 3, expected); // 512 features: 2·16
            assertFalse(store.get("encoding.b").trainable());
            assertThrows(IllegalStateException.class, () -> store.get("encoding.b").grad());
            var e = assertThrows(IllegalArgumentException.class, () -> store.get("nope"));
            assertTrue(e.getMessage().contains("mlp.0.weight"), e.getMessage());
        }
    }

    @Test
    void staxInitHasTheGlorotVarianceWithinTwoStd() {
        try (ParameterStore store = new ParameterStore()) {
            Dense d = new Dense(store, "d", 300, 200, Dense.InitScheme.STAX);
            store.allocate(new Rng(2));
            float[] w = d.weight().value().toArray();
            double ss = 0, max = 0;
            for (float v : w) { ss += v * v; max = Math.max(max, Math.abs(v)); }
            double std = Math.sqrt(2.0 / 500);
            assertEquals(std, Math.sqrt(ss / w.length), 0.02 * std);
            assertTrue(max <= 2 * std / 0.87962566103423978 + 1e-6, "truncated at ±2 of the pre-truncation std");
            float[] b = d.bias().value().toArray();
            double bs = 0;
            for (float v : b) bs += v * v;
            assertEquals(1e-2, Math.sqrt(bs / b.length), 2e-3);
        }
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        try (CoordinateModel a = CoordinateModel.create("lff", PARAMS, HIDDEN, new Rng(5));
             CoordinateModel b = CoordinateModel.create("lff", PARAMS, HIDDEN, new Rng(5));
             CoordinateModel c = CoordinateModel.create("lff", PARAMS, HIDDEN, new Rng(6))) {
            assertArrayEquals(a.store().trainableValues().toArray(), b.store().trainableValues().toArray());
            assertFalse(java.util.Arrays.equals(a.store().trainableValues().toArray(), c.store().trainableValues().toArray()));
        }
    }

    @Test
    void chunkedPredictionEqualsOneForwardAndRenderUsesPixelCoordinates() {
        try (CoordinateModel model = CoordinateModel.create("positional", PARAMS.toBuilder().perAxis(4).build(), HIDDEN, new Rng(3));
             Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            int h = 7, w = 5;
            Tensor xy = Tensor.zeros(arena, Shape.of(h * w, 2));
            for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
                xy.set(r * w + c, 0, (float) c / w);
                xy.set(r * w + c, 1, (float) r / h);
            }
            float[] whole = model.forward(tape, tape.constant(xy)).value().toArray();
            Tensor out = Tensor.zeros(arena, Shape.of(h * w, 3));
            model.predict(backend, xy, out, 4);             // 35 rows in chunks of 4: a ragged last chunk
            assertArrayEquals(whole, out.toArray(), CHUNK_TOL);
            RgbImage img = model.render(backend, h, w);
            assertArrayEquals(whole, img.pixels(), CHUNK_TOL);
            for (float v : whole) assertTrue(v > 0 && v < 1, "sigmoid output");
            assertThrows(IllegalArgumentException.class, () -> model.predict(backend, xy, out, 0));
            assertThrows(IllegalArgumentException.class, () -> model.predict(backend, out, out, 4));
        }
    }

    @Test
    void adamStepsTheWholeSlabAsTorchDoes() {
        try (CoordinateModel model = CoordinateModel.create("none", PARAMS, new int[] {3}, new Rng(4));
             Adam adam = new Adam(model.store(), AdamConfig.adam(0.1f))) {
            ParameterStore.Parameter w = model.store().get("mlp.0.weight");
            float before = w.value().get(0);
            model.store().zeroGrad();
            w.grad().set(0, 2f);
            adam.step(backend);
            // first Adam step: m̂ = g, v̂ = g², so p −= lr·g/(|g| + ε) = lr·sign(g)
            assertEquals(before - 0.1f, w.value().get(0), 1e-6f);
            assertEquals(before - 0.1f, model.store().trainableValues().get(0), 1e-6f);
            float untouched = w.value().get(1);
            adam.step(backend);                            // gradient still 2 at [0], 0 elsewhere
            assertEquals(untouched, w.value().get(1), 0f);
            assertEquals(2, adam.steps());
            model.store().zeroGrad();
            assertEquals(0f, w.grad().get(0));
        }
    }
}
