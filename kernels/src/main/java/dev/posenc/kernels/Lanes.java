package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes in one fixed order (a halving tree), the same in the interpreter, C1 and C2.
 *
 * <p>Why not {@code reduceLanes(VectorOperators.ADD)}: its order is unspecified, and it differs in practice
 * between the Java fallback (before C2 compiles a kernel) and C2's reduction: on 16 lanes the sums of 4,096 random
 * vectors hash differently under {@code -Xint} and C2. Every kernel that sums lanes once per row (norms, softmax,
 * losses, attention) goes through here, so a run gives the same bits whenever the JIT compiled what.
 * Cost: log₂ L shifts and adds, as a library reduction; no allocation once inlined.
 */
public final class Lanes {
    private Lanes() {}

    /**
     * Σ lanes of v as a fixed tree: lane i + lane i + L/2, then the same on the lower half, down to lane 0. Every
     * step is a lane-wise add of v and v shifted down by a constant (slice), so every tier pairs the same lanes.
     */
    public static float sum(FloatVector v) {
        for (int half = LENGTH / 2; half >= 1; half /= 2) v = v.add(v.slice(half));
        return v.lane(0);
    }

    private static final int LENGTH = FloatVector.SPECIES_PREFERRED.length();
}
