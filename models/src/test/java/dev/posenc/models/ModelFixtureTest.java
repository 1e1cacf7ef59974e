package dev.posenc.models;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Matches the models against PyTorch: fixtures written by src/test/python/make_model_fixtures.py (float64,
 * rounded once to float32) hold positions, weights, outputs, an output gradient and every parameter's
 * gradient. The model is rebuilt from the fixture's metadata with the public factories, its tensors loaded,
 * and the forward and backward recomputed in float32.
 */
class ModelFixtureTest {
    /** Relative: a few float32 ulps per op through ~5 layers of sums of ≤ 16 terms, with room (a wrong rule
     *  misses by > 1e-2). */
    private static final double RTOL = 1e-5;
    /** Elements that cancel to near zero keep an absolute error of a few ulps of the O(1) terms (and the
     *  float32 rounding of 2π·B moves z = 2π·b·x by |z|·6e-8 ≤ 3e-6 at the largest positional frequency). */
    private static final double ATOL = 2e-6;

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @ParameterizedTest @ValueSource(strings = {"none", "basic", "positional", "gaussian", "lff"})
    void coordinateModelMatchesPyTorch(String mapping) throws Exception {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Safetensors.Contents fx = read("model_" + mapping, arena);
            try (CoordinateModel model = CoordinateModel.fromConfig(fx.metadata())) {
                loadAndCheckBuffers(model.store(), fx);
                model.store().zeroGrad();
                Var out = model.forward(tape, tape.constant(fx.get("positions")));
                tape.backward(out, fx.get("grad_out"));
                assertClose(mapping + " out", fx.get("out"), out.value());
                checkGradients(mapping, model.store(), fx);
            }
        }
    }

    @Test
    void groupedLffEncoderMatchesPyTorch() throws Exception {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend);
             ParameterStore store = new ParameterStore()) {
            Safetensors.Contents fx = read("lff_encoder_g2", arena);
            Encoding enc = Encodings.fromConfig(fx.metadata(), store);
            assertEquals(2, Integer.parseInt(enc.config().get("groups")));
            store.allocate(new Rng(0));
            loadAndCheckBuffers(store, fx);
            store.zeroGrad();
            Var x = tape.variable(fx.get("positions"));
            Var out = enc.apply(tape, x);
            tape.backward(out, fx.get("grad_out"));
            assertClose("lff out", fx.get("out"), out.value());
            assertClose("lff grad.positions", fx.get("grad.positions"), x.grad());
            checkGradients("lff", store, fx);
        }
    }

    /** Copies the fixture's tensors in; fixed buffers must already equal posenc's own construction (except the
     *  randomly drawn Gaussian B, which is taken from the fixture). */
    private static void loadAndCheckBuffers(ParameterStore store, Safetensors.Contents fx) {
        for (ParameterStore.Parameter p : store.all()) {
            Tensor ref = fx.get(p.name());
            boolean drawn = fx.metadata().containsValue("gaussian");
            if (!p.trainable() && !drawn) assertClose(p.name() + " (built)", ref, p.value());
            p.value().copyFrom(ref);
        }
    }

    private static void checkGradients(String what, ParameterStore store, Safetensors.Contents fx) {
        int checked = 0;
        for (ParameterStore.Parameter p : store.all()) {
            if (!p.trainable()) continue;
            assertClose(what + " grad." + p.name(), fx.get("grad." + p.name()), p.grad());
            checked++;
        }
        assertEquals(fx.tensors().keySet().stream().filter(k -> k.startsWith("grad.") && !k.equals("grad.positions")
                && !k.equals("grad_out")).count(), checked, "every fixture gradient is checked");
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        Compare c = Compare.of(expected, actual, ATOL, RTOL);
        assertTrue(c.ok(), () -> what + ": " + c.describe());
    }

    private static Safetensors.Contents read(String name, Arena arena) throws IOException, URISyntaxException {
        var url = ModelFixtureTest.class.getResource("/model-fixtures/" + name + ".safetensors");
        assertNotNull(url, name + ": fixture missing; run models/src/test/python/make_model_fixtures.py");
        return Safetensors.read(Path.of(url.toURI()), arena);
    }
}
