// Session 9: the FMA peak and one product alternated in one process (0.5 s peak, 1 s product, 0.5 s peak), each
// line with the vCPU the thread ran on. java --add-modules=jdk.incubator.vector -XX:-TieredCompilation
//   -cp bench/target/benchmarks.jar PeakVsMatmul.java M K N FORM THREADS ROUNDS
import dev.posenc.core.*;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import java.nio.file.*;
import jdk.incubator.vector.*;

public class PeakVsMatmul {
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
    static int cpu() throws Exception {
        String s = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[36]);
    }
    public static void main(String[] args) throws Exception {
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        MatmulForm f = MatmulForm.valueOf(args[3]);
        int threads = Integer.parseInt(args[4]), rounds = Integer.parseInt(args[5]);
        float sink = 0;
        try (Arena arena = Arena.ofShared(); CpuBackend be = new CpuBackend(threads)) {
            Rng rng = new Rng(1);
            Tensor a = rng.normal(arena, f == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
            Tensor b = rng.normal(arena, f == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
            Tensor out = Tensor.zeros(arena, m, n);
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end) { be.matmul(out, a, b, f, false); sink += chains(1 << 16); }
            double flopMm = 2.0 * m * n * k, flopFma = 12.0 * 2 * S.length() * (1 << 16);
            for (int r = 0; r < rounds; r++) {
                int c0 = cpu();
                long t0 = System.nanoTime(); int calls = 0;
                while (System.nanoTime() - t0 < 500_000_000L) { sink += chains(1 << 16); calls++; }
                double peak = flopFma * calls / (System.nanoTime() - t0);
                long t1 = System.nanoTime(); int mc = 0;
                while (System.nanoTime() - t1 < 1_000_000_000L) { be.matmul(out, a, b, f, false); mc++; }
                double mm = flopMm * mc / (System.nanoTime() - t1);
                long t2 = System.nanoTime(); calls = 0;
                while (System.nanoTime() - t2 < 500_000_000L) { sink += chains(1 << 16); calls++; }
                double peak2 = flopFma * calls / (System.nanoTime() - t2);
                int c1 = cpu();
                System.out.printf("cpu %d->%d peak %.1f / %.1f  matmul %.1f  ratio %.3f%n", c0, c1, peak, peak2, mm, mm / Math.max(peak, peak2));
            }
        }
        System.out.println(sink == 42 ? "" : ".");
    }
}
