package dev.posenc.models.nas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.vit.Vit;
import dev.posenc.models.vit.VitConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ViT supernet: a one-hot mixture is compare-pe's ViT on that encoding; α gets a gradient through the mixture. */
class VitSupernetTest {
    private static final List<String> CANDIDATES = List.of("none", "sine2d", "embed2d", "mlp", "lff");
    private static final VitConfig CONFIG = VitConfig.defaults("none").withModel(8, 1, 2, 16).withSize(8, 4).withSeed(3);

    private static Tensor images(Tape tape) {
        Tensor t = tape.alloc(Shape.of(2, 8, 8));
        new Rng(11).fillNormal(t, 0f, 1f);
        return t;
    }

    /** none and sine2d have no drawn weights, so one-hot on them must give compare-pe's model's logits exactly. */
    @Test
    void oneHotOnAParameterFreeCandidateIsThatEncodingsVit() {
        try (CpuBackend backend = new CpuBackend(1); Tape tape = new Tape(backend); VitSupernet net = new VitSupernet(CONFIG, CANDIDATES)) {
            for (int pick : new int[] {0, 1}) {
                try (Vit alone = new Vit(CONFIG.withEncoding(CANDIDATES.get(pick)))) {
                    tape.reset();
                    Tensor x = images(tape);
                    Tensor oneHot = tape.alloc(CANDIDATES.size());
                    oneHot.set(pick, 1f);
                    float[] mixed = net.forward(tape, tape.constant(x), tape.constant(oneHot)).value().toArray();
                    float[] expected = alone.forward(tape, tape.constant(x)).value().toArray();
                    assertArrayEquals(expected, mixed, 1e-6f, CANDIDATES.get(pick));
                }
            }
        }
    }

    @Test
    void alphaGetsAGradientAndMaskingAnEncodingChangesTheOutput() {
        try (CpuBackend backend = new CpuBackend(1); Tape tape = new Tape(backend); VitSupernet net = new VitSupernet(CONFIG, CANDIDATES);
             ArchWeights arch = new ArchWeights(1, CANDIDATES.size(), 5)) {
            Tensor x = images(tape);
            arch.store().zeroGrad();
            Var loss = Losses.crossEntropy(tape, net.forward(tape, tape.constant(x), arch.weights(tape)[0]), new int[] {1, 7});
            tape.backward(loss);
            float[] g = arch.store().grads().toArray();
            double norm = 0;
            for (float v : g) norm += Math.abs(v);
            assertTrue(norm > 0, "∂L/∂α is not zero");
            float[] all = net.forward(tape, tape.constant(x), arch.weights(tape)[0]).value().toArray();
            float[] withoutNone = net.forward(tape, tape.constant(x), arch.weights(tape, 0, 0)[0]).value().toArray();
            float[] withoutLff = net.forward(tape, tape.constant(x), arch.weights(tape, 0, 4)[0]).value().toArray();
            assertArrayEquals(all, withoutNone, 0f, "none adds zero: removing it changes nothing (no renormalisation)");
            double diff = 0;
            for (int i = 0; i < all.length; i++) diff += Math.abs(all[i] - withoutLff[i]);
            assertTrue(diff > 1e-6, "removing lff changes the logits");
            assertEquals(2 * VitConfig.CLASSES, all.length);
        }
    }
}
