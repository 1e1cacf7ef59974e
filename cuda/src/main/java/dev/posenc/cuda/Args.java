package dev.posenc.cuda;

import jcuda.Pointer;

/** Kernel arguments by value: cuLaunchKernel takes a pointer to each argument's bytes. */
final class Args {
    private Args() {}

    static Pointer i(int v) { return Pointer.to(new int[] {v}); }

    static Pointer l(long v) { return Pointer.to(new long[] {v}); }

    static Pointer f(float v) { return Pointer.to(new float[] {v}); }

    static Pointer d(double v) { return Pointer.to(new double[] {v}); }

    /** A device pointer argument. */
    static Pointer ptr(jcuda.driver.CUdeviceptr p) { return Pointer.to(p); }
}
