package dev.posenc.kernels;
import jdk.incubator.vector.FloatVector;
final class SegTile {
    static void tile14x2Seg(float[] ap, int aOff, java.lang.foreign.MemorySegment bp, long bOff, int kc, float[] ct, int ctOff, int cs) {
        final int nr = 2 * MatmulMicrokernel.L, o = ctOff;
        FloatVector c00 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o), c01 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + MatmulMicrokernel.L);
        FloatVector c10 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + cs), c11 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + cs + MatmulMicrokernel.L);
        FloatVector c20 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 2 * cs), c21 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 2 * cs + MatmulMicrokernel.L);
        FloatVector c30 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 3 * cs), c31 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 3 * cs + MatmulMicrokernel.L);
        FloatVector c40 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 4 * cs), c41 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 4 * cs + MatmulMicrokernel.L);
        FloatVector c50 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 5 * cs), c51 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 5 * cs + MatmulMicrokernel.L);
        FloatVector c60 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 6 * cs), c61 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 6 * cs + MatmulMicrokernel.L);
        FloatVector c70 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 7 * cs), c71 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 7 * cs + MatmulMicrokernel.L);
        FloatVector c80 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 8 * cs), c81 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 8 * cs + MatmulMicrokernel.L);
        FloatVector c90 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 9 * cs), c91 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 9 * cs + MatmulMicrokernel.L);
        FloatVector c100 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 10 * cs), c101 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 10 * cs + MatmulMicrokernel.L);
        FloatVector c110 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 11 * cs), c111 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 11 * cs + MatmulMicrokernel.L);
        FloatVector c120 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 12 * cs), c121 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 12 * cs + MatmulMicrokernel.L);
        FloatVector c130 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 13 * cs), c131 = FloatVector.fromArray(MatmulMicrokernel.S, ct, o + 13 * cs + MatmulMicrokernel.L);
        for (int k = 0; k < kc; k++) {
            long bo = bOff + (long) k * (nr * 4);
            FloatVector b0 = FloatVector.fromMemorySegment(MatmulMicrokernel.S, bp, bo, java.nio.ByteOrder.LITTLE_ENDIAN), b1 = FloatVector.fromMemorySegment(MatmulMicrokernel.S, bp, bo + 4 * MatmulMicrokernel.L, java.nio.ByteOrder.LITTLE_ENDIAN);
            FloatVector x0 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 0 * MatmulMicrokernel.KC + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 1 * MatmulMicrokernel.KC + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 2 * MatmulMicrokernel.KC + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 3 * MatmulMicrokernel.KC + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 4 * MatmulMicrokernel.KC + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 5 * MatmulMicrokernel.KC + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 6 * MatmulMicrokernel.KC + k]);
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 7 * MatmulMicrokernel.KC + k]);
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 8 * MatmulMicrokernel.KC + k]);
            c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 9 * MatmulMicrokernel.KC + k]);
            c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 10 * MatmulMicrokernel.KC + k]);
            c100 = b0.fma(x10, c100); c101 = b1.fma(x10, c101);
            FloatVector x11 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 11 * MatmulMicrokernel.KC + k]);
            c110 = b0.fma(x11, c110); c111 = b1.fma(x11, c111);
            FloatVector x12 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 12 * MatmulMicrokernel.KC + k]);
            c120 = b0.fma(x12, c120); c121 = b1.fma(x12, c121);
            FloatVector x13 = FloatVector.broadcast(MatmulMicrokernel.S, ap[aOff + 13 * MatmulMicrokernel.KC + k]);
            c130 = b0.fma(x13, c130); c131 = b1.fma(x13, c131);
        }
        c00.intoArray(ct, o); c01.intoArray(ct, o + 1 * MatmulMicrokernel.L);
        c10.intoArray(ct, o + cs); c11.intoArray(ct, o + cs + 1 * MatmulMicrokernel.L);
        c20.intoArray(ct, o + 2 * cs); c21.intoArray(ct, o + 2 * cs + 1 * MatmulMicrokernel.L);
        c30.intoArray(ct, o + 3 * cs); c31.intoArray(ct, o + 3 * cs + 1 * MatmulMicrokernel.L);
        c40.intoArray(ct, o + 4 * cs); c41.intoArray(ct, o + 4 * cs + 1 * MatmulMicrokernel.L);
        c50.intoArray(ct, o + 5 * cs); c51.intoArray(ct, o + 5 * cs + 1 * MatmulMicrokernel.L);
        c60.intoArray(ct, o + 6 * cs); c61.intoArray(ct, o + 6 * cs + 1 * MatmulMicrokernel.L);
        c70.intoArray(ct, o + 7 * cs); c71.intoArray(ct, o + 7 * cs + 1 * MatmulMicrokernel.L);
        c80.intoArray(ct, o + 8 * cs); c81.intoArray(ct, o + 8 * cs + 1 * MatmulMicrokernel.L);
        c90.intoArray(ct, o + 9 * cs); c91.intoArray(ct, o + 9 * cs + 1 * MatmulMicrokernel.L);
        c100.intoArray(ct, o + 10 * cs); c101.intoArray(ct, o + 10 * cs + 1 * MatmulMicrokernel.L);
        c110.intoArray(ct, o + 11 * cs); c111.intoArray(ct, o + 11 * cs + 1 * MatmulMicrokernel.L);
        c120.intoArray(ct, o + 12 * cs); c121.intoArray(ct, o + 12 * cs + 1 * MatmulMicrokernel.L);
        c130.intoArray(ct, o + 13 * cs); c131.intoArray(ct, o + 13 * cs + 1 * MatmulMicrokernel.L);
    }

}
