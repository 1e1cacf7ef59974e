package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The convolution family and the mixed operation against PyTorch in float64
 * (src/test/python/make_conv_fixtures.py): outputs and every input's gradient.
 */
class ConvFixtureTest {
    /** float32 sums of ≤ 45 O(1) products (conv) against float64 rounded once. */
    private static final double RTOL = 1e-5;
    /** Gradients that cancel to near zero keep the absolute rounding of their O(1) terms; batch norm divides by σ. */
    private static final double ATOL = 2e-5;

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_3x3", "conv2d_3x3_s2", "conv2d_3x3_d2", "conv2d_1x1", "depthwise_3x3",
            "depthwise_3x3_d2", "depthwise_3x3_s2", "avg_pool_3x3", "avg_pool_3x3_s2", "max_pool_3x3", "max_pool_3x3_s2",
            "batch_norm2d"})
    void opMatchesPyTorch(String name) throws Exception {
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Safetensors.Contents c = read(name, arena);
            Map<String, Var> in = new LinkedHashMap<>();
            for (String n : c.metadata().get("inputs").split(",")) in.put(n, t.variable(c.get(n)));
            ConvGeometry g = name.startsWith("batch") ? null : new ConvGeometry(meta(c, "kernel"), meta(c, "stride"),
                    meta(c, "padding"), meta(c, "dilation"));
            Var x = in.get("x");
            Var out = switch (name.substring(0, name.indexOf('_'))) {
                case "conv2d" -> Conv2d.apply(t, x, in.get("w"), g);
                case "depthwise" -> Conv2d.depthwise(t, x, in.get("w"), g);
                case "avg" -> Pool2d.avg(t, x, g);
                case "max" -> Pool2d.max(t, x, g);
                case "batch" -> BatchNorm2d.apply(t, x);
                default -> throw new IllegalStateException(name);
            };
            check(name, c, t, out, in);
        }
    }

    @Test
    void separableConvChainMatchesPyTorch() throws Exception {
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Safetensors.Contents c = read("sep_conv_chain", arena);
            Map<String, Var> in = new LinkedHashMap<>();
            for (String n : new String[] {"x", "dw", "pw"}) in.put(n, t.variable(c.get(n)));
            Var y = Conv2d.depthwise(t, Activations.relu(t, in.get("x")), in.get("dw"), ConvGeometry.of(3, 1, 1));
            Var out = BatchNorm2d.apply(t, Conv2d.apply(t, y, in.get("pw"), ConvGeometry.of(1, 1, 0)));
            check("sep_conv_chain", c, t, out, in);
        }
    }

    @Test
    void maskedMixtureMatchesPyTorch() throws Exception {
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Safetensors.Contents c = read("mixture", arena);
            Map<String, Var> in = new LinkedHashMap<>();
            for (String n : new String[] {"alpha", "o0", "o2"}) in.put(n, t.variable(c.get(n)));
            float[] mask = c.get("mask").toArray();
            Var w = Mixture.weights(t, in.get("alpha"), mask);
            Var out = Mixture.apply(t, Arrays.asList(in.get("o0"), null, in.get("o2")), w);
            check("mixture", c, t, out, in);
        }
    }

    private void check(String name, Safetensors.Contents c, Tape t, Var out, Map<String, Var> in) {
        assertClose(name + " out", c.get("out"), out.value());
        t.backward(out, c.get("grad_out"));
        for (var e : in.entrySet()) assertClose(name + " grad_" + e.getKey(), c.get("grad_" + e.getKey()), e.getValue().grad());
    }

    private Safetensors.Contents read(String name, Arena arena) throws Exception {
        return Safetensors.read(Path.of(getClass().getResource("/fixtures/" + name + ".safetensors").toURI()), arena);
    }

    private static int meta(Safetensors.Contents c, String key) { return Integer.parseInt(c.metadata().getOrDefault(key, "1")); }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what);
        Compare cmp = Compare.of(expected.toArray(), actual.toArray(), ATOL, RTOL);
        assertTrue(cmp.ok(), () -> what + ": " + cmp.describe());
    }
}
