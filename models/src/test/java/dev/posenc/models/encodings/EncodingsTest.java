package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Shapes, hand-worked values, validation and config round trips of every encoding. */
class EncodingsTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** Small sizes, odd where free, so that shapes cannot coincide by accident. */
    static final EncodingParams SMALL = EncodingParams.defaults(2).toBuilder()
            .gaussianFeatures(7).perAxis(5).scale(3).fourierDims(10).hidden(9).outputDims(12).build();

    static Stream<String> names() { return Encodings.NAMES.stream(); }

    @ParameterizedTest @MethodSource("names")
    void outputHasTheAdvertisedShapeAndRoundTripsItsConfig(String name) {
        int expected = switch (name) {
            case "none" -> 2;
            case "basic" -> 4;
            case "positional" -> 2 * 2 * 5;
            case "gaussian" -> 14;
            case "lff-only" -> 10;
            default -> 12;
        };
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
             Arena arena = Arena.ofShared()) {
            int m = Encodings.ONE_D_NAMES.contains(name) ? 1 : 2;
            Encoding enc = Encodings.create(name, SMALL.toBuilder().positionDims(m).build(), store);
            store.allocate(new Rng(1));
            assertEquals(name, enc.name());
            assertEquals(m, enc.inputDims());
            assertEquals(expected, enc.outputDims());
            Tensor positions = new Rng(2).uniform(arena, Shape.of(5, m), 0, 1);
            if (name.startsWith("embed")) {   // learned tables take whole grid cells (default grid 7 × 7)
                for (int i = 0; i < 10; i++) positions.set(i, (float) Math.floor(7 * positions.get(i)));
            }
            Var out = enc.apply(tape, tape.constant(positions));
            assertEquals(Shape.of(5, expected), out.shape());
            for (float v : out.value().toArray()) assertTrue(Float.isFinite(v));
            assertEquals(name, enc.config().get("encoding"));
            boolean learned = name.startsWith("lff") || name.equals("mlp") || name.startsWith("embed");
            assertEquals(learned, !enc.trainableParameters().isEmpty(), "trainable tensors of " + name);
            try (ParameterStore again = new ParameterStore()) {
                Encoding rebuilt = Encodings.fromConfig(enc.config(), again);
                assertEquals(enc.config(), rebuilt.config());
                assertEquals(enc.outputDims(), rebuilt.outputDims());
            }
        }
    }

    @Test
    void basicIsCosAndSinOfTwoPiV() {
        float[] r = encode("basic", SMALL, 0.25f, 0f);
        assertArrayEquals(new float[] {0, 1, 1, 0}, r, 1e-6f); // [cos π/2, cos 0, sin π/2, sin 0]
    }

    @Test
    void positionalUsesTancikCodeFrequencies() {
        // scale 3, 5 per axis: 2^{0, .75, 1.5, 2.25, 3} − 1, along x then y; at v = (0.1, 0) the y block is cos 0 = 1
        float[] r = encode("positional", SMALL, 0.1f, 0f);
        for (int j = 0; j < 5; j++) {
            double b = Math.pow(2, 0.75 * j) - 1;
            assertEquals(Math.cos(2 * Math.PI * b * 0.1), r[j], 1e-5, "cos x " + j);
            assertEquals(Math.sin(2 * Math.PI * b * 0.1), r[10 + j], 1e-5, "sin x " + j);
            assertEquals(1, r[5 + j], 1e-6, "cos y " + j);
        }
        assertEquals(1, r[0], 0, "first frequency is 0: constant cos feature");
    }

    @Test
    void gaussianDrawsBWithStdSigma() {
        EncodingParams p = SMALL.toBuilder().gaussianFeatures(4000).sigma(3).build();
        try (ParameterStore store = new ParameterStore()) {
            FourierMapping enc = (FourierMapping) Encodings.create("gaussian", p, store);
            store.allocate(new Rng(5));
            float[] b = enc.frequencies().value().toArray();
            double ss = 0;
            for (float v : b) ss += v * v;
            assertEquals(3, Math.sqrt(ss / b.length), 0.1);
        }
    }

    @Test
    void sine2dFirstFrequencyIsTwoPiPerUnit() {
        EncodingParams p = SMALL.toBuilder().outputDims(8).build();
        float[] r = encode("sine2d", p, 0.125f, 0.25f);
        // rows of W: y f0, y f1, x f0, x f1 with f0 = 2π, f1 = 2π/T^(1/2) = 2π/100; cos block then sin block
        assertEquals(Math.cos(2 * Math.PI * 0.25), r[0], 1e-6);
        assertEquals(Math.cos(2 * Math.PI / 100 * 0.25), r[1], 1e-6);
        assertEquals(Math.sin(2 * Math.PI * 0.125), r[4 + 2], 1e-6);
    }

    @Test
    void lffInitModesGiveTheirStd() {
        for (LffInit mode : LffInit.values()) {
            EncodingParams p = SMALL.toBuilder().fourierDims(8000).gamma(1.5).lffInit(mode).build();
            try (ParameterStore store = new ParameterStore()) {
                Encodings.create("lff-only", p, store);
                store.allocate(new Rng(9));
                float[] w = store.get("encoding.wr").value().toArray();
                double ss = 0;
                for (float v : w) ss += v * v;
                assertEquals(mode.std(1.5), Math.sqrt(ss / w.length), 0.04 * mode.std(1.5), mode.name());
            }
        }
        assertEquals(1 / 1.5, LffInit.PAPER.std(1.5), 1e-15);
        assertEquals(1 / 2.25, LffInit.GUIMONT.std(1.5), 1e-15);
        assertEquals(2.25, LffInit.JHLEW.std(1.5), 1e-15);
    }

    /** r·r = ½ with the paper's 1/√F whatever F; F/2 with Tancik's unit amplitude; the key round-trips. */
    @Test
    void lffAmplitudeSetsTheFeatureNorm() {
        for (LffAmplitude mode : LffAmplitude.values()) {
            EncodingParams p = SMALL.toBuilder().lffAmplitude(mode).build();
            try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
                 Arena arena = Arena.ofShared()) {
                Encoding enc = Encodings.create("lff-only", p, store);
                store.allocate(new Rng(3));
                float[] r = enc.apply(tape, tape.constant(new Rng(4).uniform(arena, Shape.of(1, 2), 0, 1)))
                        .value().toArray();
                double ss = 0;
                for (float v : r) ss += v * v;
                assertEquals(mode == LffAmplitude.PAPER ? 0.5 : 10 / 2.0, ss, 1e-5, mode.name());
                assertEquals(mode == LffAmplitude.PAPER ? null : mode.name(), enc.config().get("amplitude"));
                assertEquals(mode, Encodings.paramsOf(enc.config()).lffAmplitude());
            }
        }
        assertEquals(LffAmplitude.PAPER, Encodings.paramsOf(Map.of("position_dims", "2")).lffAmplitude(),
                "configs written before the option are the paper's");
    }

    @Test
    void invalidHyperparametersAreNamed() {
        assertInvalid("gaussian", b -> b.sigma(-1), "sigma");
        assertInvalid("gaussian", b -> b.gaussianFeatures(0), "gaussianFeatures");
        assertInvalid("positional", b -> b.scale(-2), "scale");
        assertInvalid("positional", b -> b.perAxis(0), "perAxis");
        assertInvalid("lff", b -> b.gamma(-1), "gamma");
        assertInvalid("lff", b -> b.gamma(0), "gamma");
        assertInvalid("lff", b -> b.fourierDims(0), "fourierDims");
        assertInvalid("lff", b -> b.fourierDims(7), "fourierDims");
        assertInvalid("lff", b -> b.hidden(0), "hidden");
        assertInvalid("lff", b -> b.groups(2).positionDims(4).outputDims(13), "groups");
        assertInvalid("lff", b -> b.groups(3), "groups");
        assertInvalid("mlp", b -> b.outputDims(0), "outputDims");
        assertInvalid("sine2d", b -> b.outputDims(10), "outputDims");
        assertInvalid("sine2d", b -> b.positionDims(3), "positionDims");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Encodings.create("nerf", SMALL, new ParameterStore()));
        assertTrue(e.getMessage().contains("gaussian") && e.getMessage().contains("nerf"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> Encodings.fromConfig(Map.of("encoding", "gaussian", "position_dims", "2", "sigma", "x"),
                        new ParameterStore()));
        assertTrue(bad.getMessage().contains("sigma"), bad.getMessage());
    }

    private static void assertInvalid(String name, UnaryOperator<EncodingParams.Builder> change, String arg) {
        EncodingParams p = change.apply(SMALL.toBuilder()).build();
        try (ParameterStore store = new ParameterStore()) {
            var e = assertThrows(IllegalArgumentException.class, () -> Encodings.create(name, p, store),
                    name + " " + arg);
            assertTrue(e.getMessage().startsWith(name + ": " + arg + ":"), e.getMessage());
        }
    }

    /** The encoding of one position, as a float array. */
    static float[] encode(String name, EncodingParams p, float... position) {
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend)) {
            Encoding enc = Encodings.create(name, p, store);
            store.allocate(new Rng(1));
            Tensor x = tape.alloc(1, position.length);
            for (int i = 0; i < position.length; i++) x.set(i, position[i]);
            return enc.apply(tape, tape.constant(x)).value().toArray();
        }
    }
}
