package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's kernelized attention path (normalize → PRF → RpeKernelAttention on the backend's FFT kernels) against
 * PyTorch's naive O(n²) formula in float64 (src/test/python/make_kernel_attention_fixtures.py), output and the
 * gradients of q, k, v and b.
 */
class KernelAttentionFixtureTest {
    /** float32 through normalize, exp and FFTs of length ≥ 22 against float64 rounded once. */
    private static final double RTOL = 1e-4;
    /** Gradient elements that cancel to near zero keep the absolute rounding of the O(1) terms. */
    private static final double ATOL = 1e-5;

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @ParameterizedTest
    @ValueSource(strings = {"rpe_kernel_attention", "rpe_kernel_attention_causal"})
    void engineMatchesPyTorch(String name) throws Exception {
        Path file = Path.of(getClass().getResource("/fixtures/" + name + ".safetensors").toURI());
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Safetensors.Contents c = Safetensors.read(file, arena);
            Map<String, Var> v = Map.of("q", t.variable(c.get("q")), "k", t.variable(c.get("k")), "v", t.variable(c.get("v")),
                    "b", t.variable(c.get("b")));
            Var w = t.constant(c.get("w"));
            Var phiQ = KernelFeatures.prf(t, KernelFeatures.normalize(t, v.get("q"), 1f), w);
            Var phiK = KernelFeatures.prf(t, KernelFeatures.normalize(t, v.get("k"), 1f), w);
            Var z = RpeKernelAttention.apply(t, phiQ, phiK, v.get("v"), v.get("b"), name.endsWith("causal"));
            assertClose(name + " out", c.get("out"), z.value());
            t.backward(z, c.get("grad_out"));
            for (String n : new String[] {"q", "k", "v", "b"}) assertClose(name + " grad_" + n, c.get("grad_" + n), v.get(n).grad());
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what);
        Compare cmp = Compare.of(expected.toArray(), actual.toArray(), ATOL, RTOL);
        assertTrue(cmp.ok(), () -> what + ": " + cmp.describe());
    }
}
