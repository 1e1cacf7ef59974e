package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes in one fixed order (lane 0 first), the same in the interpreter, C1 and C2.
 *
 * <p>Why not {@code reduceLanes(VectorOperators.ADD)}: its order is unspecified, and it differs in practice
 * between the Java fallback (before C2 compiles a kernel) and C2's reduction: on 16 lanes the sums of 4,096 random
 * vectors hash differently under {@code -Xint} and C2. Every kernel that sums lanes once per row (norms, softmax,
 * losses, attention) goes through here, so a run gives the same bits whenever the JIT compiled what.
 * Cost: L − 1 dependent scalar adds per call, once per row or accumulator, never per element.
 */
public final class Lanes {
    private Lanes() {}

    /** Σ lanes of v, in lane order. */
    public static float sum(FloatVector v) {
        float[] lanes = v.toArray();
        float s = lanes[0];
        for (int i = 1; i < lanes.length; i++) s += lanes[i];
        return s;
    }
}
