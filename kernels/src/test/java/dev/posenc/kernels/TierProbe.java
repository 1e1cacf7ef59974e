package dev.posenc.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prints a hash of {@link Lanes#sum}, {@link Exp#exp} and {@link GeluCpu} over fixed inputs, after {@code args[0]} warm-up passes.
 * {@code TierIndependenceTest} runs it under {@code -Xint} (no JIT) and under C2 (warmed up) and compares.
 */
public final class TierProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    public static void main(String[] args) {
        int passes = Integer.parseInt(args[0]);
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = new float[S.length() * 2048];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-3, 4)));
        long hash = 0;
        // GELU on native memory (the Vector API reads heap segments only when backed by byte[])
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate((long) a.length * Float.BYTES), g = arena.allocate(x.byteSize());
            MemorySegment dg = arena.allocate(x.byteSize());
            MemorySegment.copy(a, 0, x, ValueLayout.JAVA_FLOAT, 0, a.length);
            for (int pass = 0; pass <= passes; pass++) {
                hash = hash(a);
                dg.fill((byte) 0);
                GeluCpu.forward(g, x, 0, a.length - 3);       // − 3: the scalar tail too
                GeluCpu.backward(dg, x, x, true, 0, a.length - 3);
            }
            for (long i = 0; i < a.length; i++) {
                hash = hash * 31 + Float.floatToRawIntBits(g.getAtIndex(ValueLayout.JAVA_FLOAT, i)) * 7L
                        + Float.floatToRawIntBits(dg.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            }
        }
        System.out.println("tier-probe " + hash);
    }

    static long hash(float[] a) {
        long h = 0;
        float[] e = new float[S.length()];
        for (int i = 0; i < a.length; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            h = h * 31 + Float.floatToRawIntBits(Lanes.sum(v));
            Exp.exp(v.mul(0.01f)).intoArray(e, 0);
            for (float x : e) h = h * 31 + Float.floatToRawIntBits(x);
        }
        return h;
    }
}
