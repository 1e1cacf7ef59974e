// Session 10 probe (Intel Xeon, AVX-512): the register tile against the FMA chains in one JVM. Compiles against the
// kernels' classes (package-private tiles): javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d DIR
// scripts/TileProbe.java; java --add-modules=jdk.incubator.vector -XX:-TieredCompilation -XX:+UseG1GC
// -cp DIR:kernels/target/classes:core/target/classes dev.posenc.kernels.TileProbe ARGS. Results: ../tile-probe.txt.
package dev.posenc.kernels;
import jdk.incubator.vector.*;
public class TileProbe {
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
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD);
    }
    public static void main(String[] args) {
        int kc = Integer.parseInt(args[0]), panels = Integer.parseInt(args[1]);
        int KC = MatmulMicrokernel.KC, MR = MatmulMicrokernel.MR, NR = MatmulMicrokernel.NR;
        float[] ap = new float[MR * KC + 64], bp = new float[panels * kc * NR + 64], ct = new float[MR * panels * NR + 64];
        for (int i = 0; i < ap.length; i++) ap[i] = (i % 7) * 1e-3f;
        for (int i = 0; i < bp.length; i++) bp[i] = (i % 5) * 1e-3f;
        int as = ArrayAlignment.alignedStart(ap), bs = ArrayAlignment.alignedStart(bp), cs0 = ArrayAlignment.alignedStart(ct);
        int cs = panels * NR + 16;
        ct = new float[MR * cs + 64]; cs0 = ArrayAlignment.alignedStart(ct);
        float sink = 0;
        for (int r = 0; r < 8; r++) {
            long t0 = System.nanoTime(); int calls = 0;
            while (System.nanoTime() - t0 < 500_000_000L) { sink += chains(1 << 16); calls++; }
            double peak = 12.0 * 2 * S.length() * (1 << 16) * calls / (System.nanoTime() - t0);
            long t1 = System.nanoTime(); long tiles = 0;
            while (System.nanoTime() - t1 < 500_000_000L) {
                for (int rep = 0; rep < 100; rep++)
                for (int p = 0; p < panels; p++) {
                    MatmulMicrokernel.tile(ap, as, bp, bs + p * kc * NR, kc, ct, cs0 + p * NR, cs); tiles++;
                }
            }
            double g = 2.0 * MR * NR * kc * tiles / (System.nanoTime() - t1);
            System.out.printf("kc %d panels %d: peak %.1f tile %.1f GFLOP/s ratio %.3f%n", kc, panels, peak, g, g / peak);
        }
        System.out.println(sink == 42 ? "" : ".");
    }
}
