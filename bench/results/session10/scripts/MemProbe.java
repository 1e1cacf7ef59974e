// Session 10 probe (Intel Xeon, AVX-512): the register tile against the FMA chains in one JVM. Compiles against the
// kernels' classes (package-private tiles): javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d DIR
// scripts/MemProbe.java; java --add-modules=jdk.incubator.vector -XX:-TieredCompilation -XX:+UseG1GC
// -cp DIR:kernels/target/classes:core/target/classes dev.posenc.kernels.MemProbe ARGS. Results: ../tile-probe.txt.
package dev.posenc.kernels;
import jdk.incubator.vector.*;
public class MemProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    // 28 accumulators, broadcasts from memory (14 per k), B vectors fixed in registers
    static float v1(float[] ap, int kc, FloatVector b0, FloatVector b1) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00=z,c01=z,c10=z,c11=z,c20=z,c21=z,c30=z,c31=z,c40=z,c41=z,c50=z,c51=z,c60=z,c61=z,c70=z,c71=z,c80=z,c81=z,c90=z,c91=z,ca0=z,ca1=z,cb0=z,cb1=z,cc0=z,cc1=z,cd0=z,cd1=z;
        for (int k = 0; k < kc; k++) {
            FloatVector x;
            x = FloatVector.broadcast(S, ap[k]); c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, ap[256 + k]); c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, ap[512 + k]); c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, ap[768 + k]); c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, ap[1024 + k]); c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, ap[1280 + k]); c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, ap[1536 + k]); c60 = b0.fma(x, c60); c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, ap[1792 + k]); c70 = b0.fma(x, c70); c71 = b1.fma(x, c71);
            x = FloatVector.broadcast(S, ap[2048 + k]); c80 = b0.fma(x, c80); c81 = b1.fma(x, c81);
            x = FloatVector.broadcast(S, ap[2304 + k]); c90 = b0.fma(x, c90); c91 = b1.fma(x, c91);
            x = FloatVector.broadcast(S, ap[2560 + k]); ca0 = b0.fma(x, ca0); ca1 = b1.fma(x, ca1);
            x = FloatVector.broadcast(S, ap[2816 + k]); cb0 = b0.fma(x, cb0); cb1 = b1.fma(x, cb1);
            x = FloatVector.broadcast(S, ap[3072 + k]); cc0 = b0.fma(x, cc0); cc1 = b1.fma(x, cc1);
            x = FloatVector.broadcast(S, ap[3328 + k]); cd0 = b0.fma(x, cd0); cd1 = b1.fma(x, cd1);
        }
        return c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50).add(c51).add(c60).add(c61)
            .add(c70).add(c71).add(c80).add(c81).add(c90).add(c91).add(ca0).add(ca1).add(cb0).add(cb1).add(cc0).add(cc1).add(cd0).add(cd1).reduceLanes(VectorOperators.ADD);
    }
    // 28 accumulators, no memory at all: x from a register rotated
    static float v0(int kc, FloatVector b0, FloatVector b1, FloatVector x0, FloatVector x1) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00=z,c01=z,c10=z,c11=z,c20=z,c21=z,c30=z,c31=z,c40=z,c41=z,c50=z,c51=z,c60=z,c61=z,c70=z,c71=z,c80=z,c81=z,c90=z,c91=z,ca0=z,ca1=z,cb0=z,cb1=z,cc0=z,cc1=z,cd0=z,cd1=z;
        for (int k = 0; k < kc; k++) {
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            c20 = b0.fma(x0, c20); c21 = b1.fma(x0, c21); c30 = b0.fma(x1, c30); c31 = b1.fma(x1, c31);
            c40 = b0.fma(x0, c40); c41 = b1.fma(x0, c41); c50 = b0.fma(x1, c50); c51 = b1.fma(x1, c51);
            c60 = b0.fma(x0, c60); c61 = b1.fma(x0, c61); c70 = b0.fma(x1, c70); c71 = b1.fma(x1, c71);
            c80 = b0.fma(x0, c80); c81 = b1.fma(x0, c81); c90 = b0.fma(x1, c90); c91 = b1.fma(x1, c91);
            ca0 = b0.fma(x0, ca0); ca1 = b1.fma(x0, ca1); cb0 = b0.fma(x1, cb0); cb1 = b1.fma(x1, cb1);
            cc0 = b0.fma(x0, cc0); cc1 = b1.fma(x0, cc1); cd0 = b0.fma(x1, cd0); cd1 = b1.fma(x1, cd1);
        }
        return c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50).add(c51).add(c60).add(c61)
            .add(c70).add(c71).add(c80).add(c81).add(c90).add(c91).add(ca0).add(ca1).add(cb0).add(cb1).add(cc0).add(cc1).add(cd0).add(cd1).reduceLanes(VectorOperators.ADD);
    }
    public static void main(String[] a) {
        float[] ap = new float[14 * 256 + 64];
        for (int i = 0; i < ap.length; i++) ap[i] = 1e-6f * (i % 3);
        FloatVector b0 = FloatVector.broadcast(S, 0.5f), b1 = FloatVector.broadcast(S, 0.25f);
        float sink = 0;
        for (int r = 0; r < 6; r++) {
            long t0 = System.nanoTime(); long it = 0;
            while (System.nanoTime() - t0 < 400_000_000L) { sink += TileProbe.chains(1 << 14); it += 12L << 14; }
            double peak = 2.0 * L * it / (System.nanoTime() - t0);
            t0 = System.nanoTime(); it = 0;
            while (System.nanoTime() - t0 < 400_000_000L) { sink += v0(4096, b0, b1, b0, b1); it += 28L * 4096; }
            double g0 = 2.0 * L * it / (System.nanoTime() - t0);
            t0 = System.nanoTime(); it = 0;
            while (System.nanoTime() - t0 < 400_000_000L) { for (int q = 0; q < 16; q++) sink += v1(ap, 256, b0, b1); it += 28L * 256 * 16; }
            double g1 = 2.0 * L * it / (System.nanoTime() - t0);
            System.out.printf("peak %.1f  regs28 %.1f (%.2f)  bcastmem28 %.1f (%.2f)%n", peak, g0, g0 / peak, g1, g1 / peak);
        }
        System.out.println(sink == 42 ? "" : ".");
    }
}
