package dev.posenc.autograd;

import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Attention;
import dev.posenc.autograd.ops.Concat;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.autograd.ops.Heads;
import dev.posenc.autograd.ops.LayerNorm;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.autograd.ops.Matmul;
import dev.posenc.autograd.ops.Patchify;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.autograd.ops.Slice;
import dev.posenc.autograd.ops.Softmax;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.core.io.Safetensors;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Matches the engine against PyTorch: each fixture (written by src/test/python/make_fixtures.py) holds an
 * op's inputs, its output, an output gradient and the input gradients, computed by torch 1.13 in float64
 * and rounded once to float32. The engine recomputes all of them in float32.
 */
class FixtureTest {
    /** float32 forward and backward of these small ops lose a few ulps (relative ~1e-7 each); 1e-5 leaves room
     *  for the sums of up to ~30 terms here without hiding a wrong formula (those miss by > 1e-2). */
    private static final double RTOL = 1e-5;
    /** Elements that cancel to near zero keep an absolute error of a few ulps of the O(1) terms that cancelled. */
    private static final double ATOL = 1e-6;
    /** The vit fixture's parameter gradients pass through ~25 float32 ops, and those of wq and wk through attention's
     *  dS = P ⊙ (dP − D), where O(1) terms cancel to ~1e-3: a few e-6 absolute (measured 1.7e-6, fused kernel). */
    private static final double DEEP_ATOL = 5e-6;

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** How the engine computes each fixture's op from its named inputs (variables) and constants. */
    private static final Map<String, BiFunction<Tape, Fixture, Var>> OPS = new LinkedHashMap<>();

    static {
        for (MatmulForm form : MatmulForm.values()) {
            String f = form.name().toLowerCase();
            OPS.put("matmul_" + f, (t, fx) -> Matmul.apply(t, fx.v("a"), fx.v("b"), form));
            OPS.put("batched_matmul_" + f, (t, fx) -> Matmul.batched(t, fx.v("a"), fx.v("b"), form));
        }
        OPS.put("linear", (t, fx) -> Linear.apply(t, fx.v("x"), fx.v("w"), fx.v("b")));
        for (UnaryOp f : UnaryOp.values()) OPS.put(f.name().toLowerCase(), (t, fx) -> Activations.apply(t, f, fx.v("x")));
        OPS.put("softmax", (t, fx) -> Softmax.softmax(t, fx.v("x")));
        OPS.put("log_softmax", (t, fx) -> Softmax.logSoftmax(t, fx.v("x")));
        OPS.put("layer_norm", (t, fx) -> LayerNorm.apply(t, fx.v("x"), fx.v("gamma"), fx.v("beta"), 1e-5f));
        OPS.put("mse", (t, fx) -> Losses.mse(t, fx.v("pred"), fx.v("target")));
        OPS.put("cross_entropy", (t, fx) -> Losses.crossEntropy(t, fx.v("logits"), fx.labels("labels")));
        OPS.put("fourier_features", (t, fx) -> FourierFeatures.apply(t, fx.v("x"), fx.v("w")));
        // positions -> Fourier features -> Linear -> GELU -> Linear -> MSE, as make_fixtures.py's mlp().
        OPS.put("mlp", (t, fx) -> {
            Var r = FourierFeatures.apply(t, fx.v("x"), fx.v("w_f"));
            Var h = Activations.gelu(t, Linear.apply(t, r, fx.v("w1"), fx.v("b1")));
            return Losses.mse(t, Linear.apply(t, h, fx.v("w2"), fx.v("b2")), fx.v("target"));
        });
        OPS.put("attention", (t, fx) -> Attention.apply(t, fx.v("q"), fx.v("k"), fx.v("v")));
        OPS.put("heads_split", (t, fx) -> Heads.split(t, fx.v("x"), 2));
        OPS.put("heads_merge", (t, fx) -> Heads.merge(t, fx.v("y")));
        OPS.put("embedding", (t, fx) -> Embedding.gather(t, fx.v("table"), fx.labels("index")));
        OPS.put("concat", (t, fx) -> Concat.tokens(t, fx.v("a"), fx.v("c")));
        OPS.put("slice", (t, fx) -> Slice.tokens(t, fx.v("x"), 1, 3));
        OPS.put("add_batch_broadcast", (t, fx) -> Elementwise.addBatchBroadcast(t, fx.v("x"), fx.v("table")));
        OPS.put("patchify", (t, fx) -> Patchify.apply(t, fx.v("images"), 2));
        OPS.put("vit", FixtureTest::vit);
    }

    /** make_fixtures.py's vit(): patches, class token, positions, one pre-norm block, head; every gradient checked. */
    private static Var vit(Tape t, Fixture fx) {
        int b = 2, d = 8, heads = 2;
        Var x = Linear.apply(t, Patchify.apply(t, fx.v("images"), 2), fx.v("w_e"), fx.v("b_e"));
        // The class token (1, 1, D) as a table of one row, gathered once per image: (B, D).
        Var cls = Embedding.gather(t, Reshape.apply(t, fx.v("cls"), Shape.of(1, d)), new int[b]);
        x = Concat.tokens(t, Reshape.apply(t, cls, Shape.of(b, 1, d)), x);
        x = Elementwise.addBatchBroadcast(t, x, fx.v("pos"));
        Var h = LayerNorm.apply(t, x, fx.v("g1"), fx.v("n1"));
        Var q = Heads.split(t, Linear.apply(t, h, fx.v("wq"), fx.v("bq")), heads);
        Var k = Heads.split(t, Linear.apply(t, h, fx.v("wk"), fx.v("bk")), heads);
        Var v = Heads.split(t, Linear.apply(t, h, fx.v("wv"), fx.v("bv")), heads);
        x = Elementwise.add(t, x, Linear.apply(t, Heads.merge(t, Attention.apply(t, q, k, v)), fx.v("wo"), fx.v("bo")));
        Var m = Activations.gelu(t, Linear.apply(t, LayerNorm.apply(t, x, fx.v("g2"), fx.v("n2")), fx.v("w1"),
                fx.v("c1")));
        x = Elementwise.add(t, x, Linear.apply(t, m, fx.v("w2"), fx.v("c2")));
        Var logits = Linear.apply(t, Slice.token(t, LayerNorm.apply(t, x, fx.v("gf"), fx.v("nf")), 0), fx.v("wh"),
                fx.v("bh"));
        return Losses.crossEntropy(t, logits, fx.labels("labels"));
    }

    /** A loaded fixture: its tensors, and Vars made on the tape for the op's inputs and constants. */
    private record Fixture(Safetensors.Contents contents, Map<String, Var> vars) {
        Var v(String name) {
            Var v = vars.get(name);
            if (v == null) throw new IllegalArgumentException("fixture has no input '%s'; has %s".formatted(name, vars.keySet()));
            return v;
        }

        int[] labels(String name) {
            float[] f = contents.get(name).toArray();
            int[] out = new int[f.length];
            for (int i = 0; i < f.length; i++) out[i] = Math.round(f[i]); // stored as F32: small ints are exact
            return out;
        }
    }

    static Stream<String> fixtures() { return OPS.keySet().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void engineMatchesPyTorch(String op) throws IOException, URISyntaxException {
        Path file = Path.of(FixtureTest.class.getResource("/fixtures/" + op + ".safetensors").toURI());
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Safetensors.Contents c = Safetensors.read(file, arena);
            assertEquals(op, c.metadata().get("op"));
            List<String> inputs = names(c.metadata().get("inputs")), constants = names(c.metadata().get("constants"));
            Map<String, Var> vars = new LinkedHashMap<>();
            for (String n : inputs) vars.put(n, tape.variable(c.get(n)));
            for (String n : constants) vars.put(n, tape.constant(c.get(n)));

            Var out = OPS.get(op).apply(tape, new Fixture(c, vars));
            double atol = op.equals("vit") ? DEEP_ATOL : ATOL;
            assertClose(op + " out", c.get("out"), out.value(), atol);
            tape.backward(out, c.get("grad_out"));
            for (String n : inputs) assertClose(op + " grad_" + n, c.get("grad_" + n), vars.get(n).grad(), atol);
        }
    }

    private static List<String> names(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }

    private static void assertClose(String what, Tensor expected, Tensor actual, double atol) {
        assertEquals(expected.shape(), actual.shape(), what);
        Compare cmp = Compare.of(expected.toArray(), actual.toArray(), atol, RTOL);
        assertTrue(cmp.ok(), () -> what + ": " + cmp.describe());
    }
}
