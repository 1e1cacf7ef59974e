package dev.posenc.models.analysis.ntk;

import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structured NTK against PyTorch's J·Jᵀ (float64, one autograd.grad per point) on small models with given
 * weights: fixtures written by src/test/python/make_ntk_fixtures.py.
 */
class NtkFixtureTest {
    /** Float32 kernel against a float64 reference rounded once: sums of a few hundred O(1) products. */
    static final double TOL = 1e-5;

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @ParameterizedTest @ValueSource(strings = {"gaussian", "lff"})
    void structuredKernelMatchesPyTorch(String encoding) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            var url = NtkFixtureTest.class.getResource("/model-fixtures/ntk_" + encoding + ".safetensors");
            assertNotNull(url, "fixture missing; run models/src/test/python/make_ntk_fixtures.py");
            Safetensors.Contents fx = Safetensors.read(Path.of(url.toURI()), arena);
            try (NtkNetwork net = NtkNetwork.fromConfig(fx.metadata())) {
                for (ParameterStore.Parameter p : net.store().all()) p.value().copyFrom(fx.get(p.name()));
                Tensor x = fx.get("positions"), expected = fx.get("ntk");
                assertEquals(9, x.rows());
                Tensor k = Tensor.zeros(arena, Shape.of(9, 9));
                StructuredNtk.compute(backend, net, x, k);
                double scale = 0;
                for (float v : expected.toArray()) scale = Math.max(scale, Math.abs(v));
                Compare c = Compare.of(expected, k, TOL * scale, 0);
                assertTrue(c.ok(), () -> encoding + ": " + c.describe());
            }
        }
    }
}
