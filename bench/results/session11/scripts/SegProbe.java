// Session 11 probe (Intel Xeon, AVX-512), results in ../../../RESULTS.md "Session 11". Compiles against the kernels'
// classes of main at 30684c0: javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d DIR SegProbe.java;
// java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation -XX:+UseG1GC
//     -cp DIR:kernels/target/classes:core/target/classes dev.posenc.kernels.SegProbe PANELS (16: A in L2, 128: beyond)
package dev.posenc.kernels;
import jdk.incubator.vector.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
// B panel in L1, A micro-panels streamed: packed float[] A against A read in place from a native segment
// (rows KC apart).
public class SegProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length(), KC = MatmulMicrokernel.KC;
    static final ByteOrder BO = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static void tileSeg(MemorySegment a, long aOff, float[] bp, int bOff, int kc, float[] ct, int ctOff, int cs) {
        final int nr = 2 * L, o = ctOff;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z, c80 = z, c81 = z, c90 = z, c91 = z;
        FloatVector c100 = z, c101 = z, c110 = z, c111 = z, c120 = z, c121 = z, c130 = z, c131 = z;
        long base = aOff * 4;
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            long ak = base + (long) k * 4;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector x0 = FloatVector.broadcast(S, a.get(F, ak));
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, a.get(F, ak + 1 * KC * 4));
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a.get(F, ak + 2 * KC * 4));
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, a.get(F, ak + 3 * KC * 4));
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, a.get(F, ak + 4 * KC * 4));
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, a.get(F, ak + 5 * KC * 4));
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, a.get(F, ak + 6 * KC * 4));
            c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, a.get(F, ak + 7 * KC * 4));
            c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(S, a.get(F, ak + 8 * KC * 4));
            c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(S, a.get(F, ak + 9 * KC * 4));
            c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(S, a.get(F, ak + 10 * KC * 4));
            c100 = b0.fma(x10, c100); c101 = b1.fma(x10, c101);
            FloatVector x11 = FloatVector.broadcast(S, a.get(F, ak + 11 * KC * 4));
            c110 = b0.fma(x11, c110); c111 = b1.fma(x11, c111);
            FloatVector x12 = FloatVector.broadcast(S, a.get(F, ak + 12 * KC * 4));
            c120 = b0.fma(x12, c120); c121 = b1.fma(x12, c121);
            FloatVector x13 = FloatVector.broadcast(S, a.get(F, ak + 13 * KC * 4));
            c130 = b0.fma(x13, c130); c131 = b1.fma(x13, c131);
        }
        c00.intoArray(ct, o); c01.intoArray(ct, o + L); c10.intoArray(ct, o + cs); c11.intoArray(ct, o + cs + L);
        c20.intoArray(ct, o + 2 * cs); c21.intoArray(ct, o + 2 * cs + L);
        c30.intoArray(ct, o + 3 * cs); c31.intoArray(ct, o + 3 * cs + L);
        c40.intoArray(ct, o + 4 * cs); c41.intoArray(ct, o + 4 * cs + L);
        c50.intoArray(ct, o + 5 * cs); c51.intoArray(ct, o + 5 * cs + L);
        c60.intoArray(ct, o + 6 * cs); c61.intoArray(ct, o + 6 * cs + L);
        c70.intoArray(ct, o + 7 * cs); c71.intoArray(ct, o + 7 * cs + L);
        c80.intoArray(ct, o + 8 * cs); c81.intoArray(ct, o + 8 * cs + L);
        c90.intoArray(ct, o + 9 * cs); c91.intoArray(ct, o + 9 * cs + L);
        c100.intoArray(ct, o + 10 * cs); c101.intoArray(ct, o + 10 * cs + L);
        c110.intoArray(ct, o + 11 * cs); c111.intoArray(ct, o + 11 * cs + L);
        c120.intoArray(ct, o + 12 * cs); c121.intoArray(ct, o + 12 * cs + L);
        c130.intoArray(ct, o + 13 * cs); c131.intoArray(ct, o + 13 * cs + L);
    }
    public static void main(String[] args) {
        int panels = Integer.parseInt(args[0]), kc = KC;
        int MR = MatmulMicrokernel.MR, NR = MatmulMicrokernel.NR;
        float[] ap = new float[panels * MR * KC + 64], bp = new float[kc * NR + 64];
        for (int i = 0; i < ap.length; i++) ap[i] = (i % 7) * 1e-3f;
        for (int i = 0; i < bp.length; i++) bp[i] = (i % 5) * 1e-3f;
        MemorySegment seg = Arena.global().allocate((long) ap.length * 4, 64);
        MemorySegment.copy(ap, 0, seg, F, 0, ap.length);
        int as = ArrayAlignment.alignedStart(ap), bs = ArrayAlignment.alignedStart(bp);
        float[] ct = new float[MR * NR + 64];
        double sinkd = 0;
        for (int r = 0; r < 8; r++) {
            double[] g = new double[2];
            for (int v = 0; v < 2; v++) {
                long t1 = System.nanoTime(); long tiles = 0;
                while (System.nanoTime() - t1 < 300_000_000L) {
                    for (int rep = 0; rep < 10; rep++)
                    for (int p = 0; p < panels; p++) {
                        if (v == 0) MatmulMicrokernel.tile14x2First(ap, as + p * MR * KC, bp, bs, kc, ct, 0, NR);
                        else tileSeg(seg, (long) p * MR * KC, bp, bs, kc, ct, 0, NR);
                        tiles++;
                    }
                }
                g[v] = 2.0 * MR * NR * kc * tiles / (System.nanoTime() - t1);
                sinkd += ct[3];
            }
            System.out.printf("panels %d: array A %.1f GFLOP/s, segment A %.1f (%.3f)%n", panels, g[0], g[1],
                g[1] / g[0]);
        }
        System.out.println(sinkd == 42 ? "" : ".");
    }
}
