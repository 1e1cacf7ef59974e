// Session 11 probe (Intel Xeon, AVX-512), results in ../tile-order-probe.txt. Compiles against the kernels' classes of
// main at 30684c0 (package-private tiles; the row-major tiles are gone if a later change removes them):
// javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d DIR OrderProbe.java;
// java --add-modules=jdk.incubator.vector -XX:-TieredCompilation -XX:+UseG1GC
//     -cp DIR:kernels/target/classes:core/target/classes dev.posenc.kernels.OrderProbe ARGS
package dev.posenc.kernels;
import jdk.incubator.vector.*;
// Loop order in context: (1) A micro-panel in L1, B panels streamed from L2 (the driver's order);
// (2) one B panel in L1, A micro-panels streamed from L2 (GotoBLAS order), A row-major or k-major.
public class OrderProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static float mul = 0.999999f, add = 1e-7f;
    static float chains(int it) {
        FloatVector m = FloatVector.broadcast(S, mul), d = FloatVector.broadcast(S, add);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < it; i++) {
            a0 = a0.fma(m, d); a1 = a1.fma(m, d); a2 = a2.fma(m, d); a3 = a3.fma(m, d);
            a4 = a4.fma(m, d); a5 = a5.fma(m, d); a6 = a6.fma(m, d); a7 = a7.fma(m, d);
            a8 = a8.fma(m, d); a9 = a9.fma(m, d); a10 = a10.fma(m, d); a11 = a11.fma(m, d);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
    public static void main(String[] args) {
        int kc = Integer.parseInt(args[0]), panels = Integer.parseInt(args[1]);
        int KC = MatmulMicrokernel.KC, MR = MatmulMicrokernel.MR, NR = MatmulMicrokernel.NR;
        float[] ap = new float[panels * MR * KC + 64], bp = new float[panels * kc * NR + 64];
        for (int i = 0; i < ap.length; i++) ap[i] = (i % 7) * 1e-3f;
        for (int i = 0; i < bp.length; i++) bp[i] = (i % 5) * 1e-3f;
        int as = ArrayAlignment.alignedStart(ap), bs = ArrayAlignment.alignedStart(bp);
        int cs = panels * NR + 16;
        float[] ct = new float[MR * cs + 64]; int c0 = ArrayAlignment.alignedStart(ct);
        float[] ck = new float[MR * NR + 64];
        float sink = 0;
        for (int r = 0; r < 6; r++) {
            long t0 = System.nanoTime(); int calls = 0;
            while (System.nanoTime() - t0 < 300_000_000L) { sink += chains(1 << 16); calls++; }
            double peak = 12.0 * 2 * S.length() * (1 << 16) * calls / (System.nanoTime() - t0);
            double[] g = new double[4];
            for (int v = 0; v < 4; v++) {
                long t1 = System.nanoTime(); long tiles = 0;
                while (System.nanoTime() - t1 < 300_000_000L) {
                    for (int rep = 0; rep < 10; rep++)
                    for (int p = 0; p < panels; p++) {
                        if (v == 0) {
                            MatmulMicrokernel.tile14x2First(ap, as, bp, bs + p * kc * NR, kc, ct, c0 + p * NR, cs);
                        }
                        else if (v == 1) MatmulMicrokernel.tile14x2First(ap, as + p * MR * KC, bp, bs, kc, ck, 0, NR);
                        else if (v == 2) MatmulMicrokernel.tile14x2K(ap, as + p * MR * KC, bp, bs, kc, ck);
                        else MatmulMicrokernel.tile14x2K(ap, as, bp, bs + p * kc * NR, kc, ck);
                        tiles++;
                    }
                }
                g[v] = 2.0 * MR * NR * kc * tiles / (System.nanoTime() - t1) / peak;
            }
            System.out.printf("kc %d panels %d: peak %.1f  A-in-L1/B-stream %.3f  B-in-L1/A-stream rowmajor %.3f "
                + "kmajor %.3f  A-in-L1 kmajor %.3f%n",
                kc, panels, peak, g[0], g[1], g[2], g[3]);
        }
        System.out.println(sink == 42 ? "" : ".");
    }
}
