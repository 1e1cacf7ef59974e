package dev.posenc.models.vit;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.encodings.LffAmplitude;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The ViT's shapes, positions, seeding, errors, and its behaviour at an unseen resolution. */
class VitTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** 12 × 12 images in 4 × 4 patches (a 3 × 3 grid), D 8, 2 blocks of 2 heads: small and odd where free. */
    static VitConfig small(String pe) { return VitConfig.defaults(pe).withSize(12, 4).withModel(8, 2, 2, 12); }

    static Stream<String> encodings() { return VitConfig.ENCODINGS.stream(); }

    @ParameterizedTest @MethodSource("encodings")
    void logitsHaveOneRowPerImageAtTheTrainingSizeAndAtALargerGrid(String pe) {
        try (Vit vit = new Vit(small(pe)); Tape tape = new Tape(backend); Arena arena = Arena.ofShared()) {
            Var logits = vit.forward(tape, tape.constant(new Rng(1).normal(arena, Shape.of(3, 12, 12))));
            assertEquals(Shape.of(3, 10), logits.shape());
            for (float v : logits.value().toArray()) assertTrue(Float.isFinite(v));
            Var bigger = tape.constant(new Rng(2).normal(arena, Shape.of(2, 20, 16)));   // a 5 × 4 grid
            assertEquals(Shape.of(2, 10), vit.forward(tape, bigger).shape());   // tables interpolate
            Var train = vit.forward(tape, tape.constant(new Rng(1).normal(arena, Shape.of(3, 12, 12))), new Rng(4));
            boolean augments = pe.equals("cape2d");
            assertEquals(augments, !java.util.Arrays.equals(logits.value().toArray(), train.value().toArray()),
                    "training mode differs from evaluation only for cape2d");
        }
    }

    @Test
    void positionsArePatchRowAndColumnInPatchifyOrder() {
        try (Tape tape = new Tape(backend)) {
            Tensor p = Vit.positions(tape, 2, 3);
            assertArrayEquals(new float[] {0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 1, 2}, p.toArray());
            // a 1 × 4 grid seen by a model trained on 2 × 2: rows (0 + ½)·2/1 − ½ = 0.5; columns (g + ½)·2/4 − ½
            Tensor q = Vit.positions(tape, 1, 4, 2);
            assertArrayEquals(new float[] {0.5f, -0.25f, 0.5f, 0.25f, 0.5f, 0.75f, 0.5f, 1.25f}, q.toArray(), 1e-6f);
        }
    }

    @Test
    void theEncodingChangesTheOutputAndOneSeedGivesEveryEncodingTheSameBody() {
        try (Vit lff = new Vit(small("lff")); Vit sine = new Vit(small("sine2d")); Vit none = new Vit(small("none"));
             Vit other = new Vit(small("lff").withSeed(1)); Tape tape = new Tape(backend);
             Arena arena = Arena.ofShared()) {
            for (String name : new String[] {"patch.weight", "cls", "blocks.1.fc2.weight", "head.bias"}) {
                assertArrayEquals(lff.store().get(name).value().toArray(), sine.store().get(name).value().toArray(),
                        name);
            }
            assertFalse(java.util.Arrays.equals(lff.store().get("patch.weight").value().toArray(),
                    other.store().get("patch.weight").value().toArray()));
            Var x = tape.constant(new Rng(3).normal(arena, Shape.of(2, 12, 12)));
            float[] a = lff.forward(tape, x).value().toArray(), b = none.forward(tape, x).value().toArray();
            assertFalse(java.util.Arrays.equals(a, b), "the positional encoding must reach the logits");
        }
    }

    @Test
    void unitAmplitudeScalesLffFeaturesBySqrtFAndKeepsTheSameWeights() {
        VitConfig paper = small("lff-only"), unit = paper.withAmplitude(LffAmplitude.UNIT);
        assertNotEquals(paper.toMap(), unit.toMap(), "a checkpoint must tell the two apart");
        try (Vit a = new Vit(paper); Vit b = new Vit(unit); Tape tape = new Tape(backend)) {
            assertArrayEquals(a.store().get("encoding.wr").value().toArray(),
                    b.store().get("encoding.wr").value().toArray());
            Var positions = tape.constant(Vit.positions(tape, 3, 3));
            float[] pa = a.encoding().apply(tape, positions).value().toArray();
            float[] pb = b.encoding().apply(tape, positions).value().toArray();
            float sqrtF = (float) Math.sqrt(paper.fourierDims());
            for (int i = 0; i < pa.length; i++) assertEquals(pa[i] * sqrtF, pb[i], 1e-5f, "feature " + i);
        }
    }

    @Test
    void scalesMeasureTheTokensAndOnlyThePositionDependentPartOfTheEncoding() {
        VitConfig paper = small("lff-only");
        try (Vit a = new Vit(paper); Vit b = new Vit(paper.withAmplitude(LffAmplitude.UNIT));
             Vit none = new Vit(small("none")); Tape tape = new Tape(backend); Arena arena = Arena.ofShared()) {
            Tensor images = new Rng(4).normal(arena, Shape.of(5, 12, 12));
            Vit.Scales sa = a.scales(tape, images), sb = b.scales(tape, images), sn = none.scales(tape, images);
            assertEquals(sa.patchTokensRms(), sn.patchTokensRms(), 1e-9, "the same body weights, the same tokens");
            assertTrue(sa.patchTokensRms() > 0.1, "tokens " + sa);
            assertEquals(0, sn.positionalRms());
            assertEquals(Math.sqrt(paper.fourierDims()), sb.positionalRms() / sa.positionalRms(), 1e-4);
        }
    }

    @Test
    void eachWithChangesItsOwnFieldsAndNothingElse() {
        VitConfig c = VitConfig.defaults("lff");
        assertEquals(Set.of("encoding"), changed(c, c.withEncoding("sine2d")));
        assertEquals(Set.of("gamma"), changed(c, c.withGamma(3)));
        assertEquals(Set.of("lff_amplitude"), changed(c, c.withAmplitude(LffAmplitude.UNIT)));
        assertEquals(Set.of("table_std"), changed(c, c.withTableStd(0.5)));
        assertEquals(Set.of("lr"), changed(c, c.withLr(3e-3)));
        assertEquals(Set.of("seed"), changed(c, c.withSeed(9)));
        assertEquals(Set.of("train_limit", "test_limit"), changed(c, c.withLimits(7, 8)));
        assertEquals(Set.of("batch"), changed(c, c.withBatch(3)));
        assertEquals(Set.of("eval_every"), changed(c, c.withEvalEvery(3)));
        assertEquals(Set.of("image_size", "patch"), changed(c, c.withSize(30, 5)));
        assertEquals(Set.of("dim", "depth", "heads", "mlp_hidden", "fourier_dims"),
                changed(c, c.withModel(16, 1, 2, 32)));
    }

    private static Set<String> changed(VitConfig a, VitConfig b) {
        Set<String> keys = new TreeSet<>();
        a.toMap().forEach((k, v) -> { if (!v.equals(b.toMap().get(k))) keys.add(k); });
        return keys;
    }

    @Test
    void badConfigurationsAndImagesAreNamed() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> VitConfig.defaults("rope"));
        assertTrue(unknown.getMessage().contains("expected one of [embed1d, embed2d, sine2d, cape2d, mlp, lff-only, lff, none]")
                && unknown.getMessage().contains("'rope'"), unknown.getMessage());
        var notMultiple = assertThrows(IllegalArgumentException.class, () -> small("lff").withSize(30, 4));
        assertEquals("vit: imageSize: expected a multiple of the patch size 4, got 30", notMultiple.getMessage());
        var zero = assertThrows(IllegalArgumentException.class, () -> small("lff").withSize(28, 0));
        assertEquals("vit: patch: expected > 0, got 0", zero.getMessage());
        var heads = assertThrows(IllegalArgumentException.class, () -> small("lff").withModel(8, 1, 3, 8));
        assertTrue(heads.getMessage().contains("heads: expected a divisor of dim = 8, got 3"), heads.getMessage());
        try (Vit vit = new Vit(small("lff")); Tape tape = new Tape(backend); Arena arena = Arena.ofShared()) {
            var image = assertThrows(IllegalArgumentException.class,
                    () -> vit.forward(tape, tape.constant(Tensor.zeros(arena, Shape.of(1, 12, 10)))));
            assertTrue(image.getMessage().contains("multiples of the patch size 4, got (1, 12, 10)"),
                    image.getMessage());
        }
    }
}
