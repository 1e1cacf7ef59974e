package dev.posenc.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Placeholder: vectorised sin/cos with argument reduction, to be replaced by the polynomial kernel. */
public final class SinCos {
    private SinCos() {}

    public static FloatVector sin(FloatVector x) { return x.lanewise(VectorOperators.SIN); }

    public static FloatVector cos(FloatVector x) { return x.lanewise(VectorOperators.COS); }

    public static float sinScalar(float x) { return (float) Math.sin(x); }

    public static float cosScalar(float x) { return (float) Math.cos(x); }
}
