package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Fourier mappings on 1-D positions (M = 1), as the 1-D toy uses them: shapes and hand-worked values. */
class OneDimensionalMappingsTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    private static float[] encode(String name, EncodingParams p, float... xs) {
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend); Arena arena = Arena.ofShared()) {
            Encoding enc = Encodings.create(name, p, store);
            store.allocate(new Rng(3));
            assertEquals(1, enc.inputDims());
            Tensor x = Tensor.of(arena, Shape.of(xs.length, 1), xs);
            return enc.apply(tape, tape.constant(x)).value().toArray();
        }
    }

    @Test
    void positionalIsOneLadderOfFrequencies() {
        // scale 2, 3 frequencies: b = 2^{0, 1, 2} − 1 = {0, 1, 3}; at x = 1/4: cos {0, π/2, 3π/2}, sin of the same
        EncodingParams p = EncodingParams.defaults(1).toBuilder().perAxis(3).scale(2).build();
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, -1}, encode("positional", p, 0.25f), 1e-6f);
    }

    @Test
    void gaussianHasTwoFeaturesPerFrequencyOfUnitNorm() {
        EncodingParams p = EncodingParams.defaults(1).toBuilder().gaussianFeatures(5).sigma(7).build();
        float[] r = encode("gaussian", p, 0.1f, 0.7f, 0.3f);
        assertEquals(3 * 10, r.length);
        for (int row = 0; row < 3; row++) {
            for (int j = 0; j < 5; j++) {   // cos² + sin² = 1 for every frequency: amplitude 1, no 1/√F
                double c = r[row * 10 + j], s = r[row * 10 + 5 + j];
                assertEquals(1, c * c + s * s, 1e-5);
            }
        }
    }
}
