package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posenc.core.Rng;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The stored-lanes fold gives the vector fold's bits, so kernels may use either without changing a result. */
class LanesTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void storedSumHasTheBitsOfTheVectorSum() {
        Rng rng = new Rng(11);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lanes = arena.allocate((long) 3 * L * Float.BYTES, 64);
            for (int trial = 0; trial < 2000; trial++) {
                float[] v = new float[L];
                // mixed magnitudes, so that a different pairing order would round differently
                for (int i = 0; i < L; i++)
                    v[i] = (float) (Rng.standardNormal(trial, i) * Math.pow(10, rng.nextInt(7) - 3));
                long from = (long) (trial % 3) * L * Float.BYTES;
                MemorySegment.copy(v, 0, lanes, ValueLayout.JAVA_FLOAT_UNALIGNED, from, L);
                float expected = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, v, 0));
                float got = Lanes.sum(lanes, from);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), "trial " + trial);
            }
        }
    }

    @Test
    void arraySumHasTheBitsOfTheVectorSum() {
        Rng rng = new Rng(12);
        float[] lanes = new float[3 * L];
        for (int trial = 0; trial < 2000; trial++) {
            float[] v = new float[L];
            for (int i = 0; i < L; i++)
                v[i] = (float) (Rng.standardNormal(trial, i + 100) * Math.pow(10, rng.nextInt(7) - 3));
            int from = (trial % 3) * L;
            System.arraycopy(v, 0, lanes, from, L);
            float expected = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, v, 0));
            float got = Lanes.sum(lanes, from);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), "trial " + trial);
        }
    }

    @Test
    void storedSumOfOnesIsTheLaneCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lanes = arena.allocate((long) L * Float.BYTES, 64);
            FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, 1f)
                    .intoMemorySegment(lanes, 0, ByteOrder.nativeOrder());
            assertEquals(L, Lanes.sum(lanes, 0));
        }
    }
}
