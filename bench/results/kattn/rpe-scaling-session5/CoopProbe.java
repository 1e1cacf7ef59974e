import dev.posenc.core.FftPlan;
import java.lang.reflect.*;
import java.util.*;
import java.util.concurrent.*;
import jdk.incubator.vector.*;
// two threads: own arrays each (plain FftStages.run) vs one shared array set, each stage split between them (barrier)
public class CoopProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static void radix4(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run, int j0, int j1, int qa, int qb) {
        int mr = m * run;
        for (int j = j0; j < j1; j++) {
            int i0 = j * run, o0 = 4 * j * run;
            FloatVector w1r = FloatVector.broadcast(S, tr[3 * j]), w1i = FloatVector.broadcast(S, ti[3 * j]);
            FloatVector w2r = FloatVector.broadcast(S, tr[3 * j + 1]), w2i = FloatVector.broadcast(S, ti[3 * j + 1]);
            FloatVector w3r = FloatVector.broadcast(S, tr[3 * j + 2]), w3i = FloatVector.broadcast(S, ti[3 * j + 2]);
            for (int q = qa; q < qb; q += L) {
                int a = i0 + q, o = o0 + q;
                FloatVector a0r = FloatVector.fromArray(S, xr, a), a0i = FloatVector.fromArray(S, xi, a);
                FloatVector a1r = FloatVector.fromArray(S, xr, a + mr), a1i = FloatVector.fromArray(S, xi, a + mr);
                FloatVector a2r = FloatVector.fromArray(S, xr, a + 2 * mr), a2i = FloatVector.fromArray(S, xi, a + 2 * mr);
                FloatVector a3r = FloatVector.fromArray(S, xr, a + 3 * mr), a3i = FloatVector.fromArray(S, xi, a + 3 * mr);
                FloatVector b0r = a0r.add(a2r), b0i = a0i.add(a2i), b1r = a0r.sub(a2r), b1i = a0i.sub(a2i);
                FloatVector b2r = a1r.add(a3r), b2i = a1i.add(a3i), b3r = a1i.sub(a3i), b3i = a3r.sub(a1r);
                b0r.add(b2r).intoArray(yr, o);
                b0i.add(b2i).intoArray(yi, o);
                FloatVector cr = b1r.add(b3r), ci = b1i.add(b3i);
                cr.mul(w1r).sub(ci.mul(w1i)).intoArray(yr, o + run);
                cr.mul(w1i).add(ci.mul(w1r)).intoArray(yi, o + run);
                cr = b0r.sub(b2r); ci = b0i.sub(b2i);
                cr.mul(w2r).sub(ci.mul(w2i)).intoArray(yr, o + 2 * run);
                cr.mul(w2i).add(ci.mul(w2r)).intoArray(yi, o + 2 * run);
                cr = b1r.sub(b3r); ci = b1i.sub(b3i);
                cr.mul(w3r).sub(ci.mul(w3i)).intoArray(yr, o + 3 * run);
                cr.mul(w3i).add(ci.mul(w3r)).intoArray(yi, o + 3 * run);
            }
        }
    }
    public static void main(String[] a) throws Exception {
        int b = 16;
        Method run = Class.forName("dev.posenc.kernels.FftStages").getDeclaredMethod("run", FftPlan.class, float[].class, float[].class, float[].class, float[].class, int.class);
        run.setAccessible(true);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 4; round++) for (int h : new int[] {16384, 65536}) {
            FftPlan plan = FftPlan.of(h);
            int reps = 20;
            // own arrays
            List<Future<Double>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) fs.add(ex.submit(() -> {
                float[] xr = new float[h * b], xi = new float[h * b], yr = new float[h * b], yi = new float[h * b];
                Arrays.fill(xr, 1f); double best = 1e18;
                for (int k = 0; k < reps; k++) { long t0 = System.nanoTime(); run.invoke(null, plan, xr, xi, yr, yi, b); best = Math.min(best, System.nanoTime() - t0); }
                return best; }));
            double own = Math.max(fs.get(0).get(), fs.get(1).get());
            // shared: two transforms one after another, each split over both threads (so the same work as "own")
            float[] xr = new float[h * b], xi = new float[h * b], yr = new float[h * b], yi = new float[h * b];
            Arrays.fill(xr, 1f);
            CyclicBarrier bar = new CyclicBarrier(2);
            double[] best = {1e18};
            List<Future<?>> gs = new ArrayList<>();
            for (int t = 0; t < 2; t++) { final int me = t; gs.add(ex.submit(() -> {
                for (int k = 0; k < reps; k++) {
                    long t0 = System.nanoTime();
                    for (int twice = 0; twice < 2; twice++) {
                        boolean inY = false;
                        for (int st = 0; st < plan.stages(); st++) {
                            float[] ar = inY ? yr : xr, ai = inY ? yi : xi, br = inY ? xr : yr, bi = inY ? xi : yi;
                            int m = plan.m(st), rn = plan.stride(st) * b;
                            if (plan.radix(st) != 4) throw new IllegalStateException();
                            if (m >= 2) radix4(br, bi, ar, ai, plan.twiddlesRe(st), plan.twiddlesIm(st), m, rn, m * me / 2, m * (me + 1) / 2, 0, rn);
                            else radix4(br, bi, ar, ai, plan.twiddlesRe(st), plan.twiddlesIm(st), m, rn, 0, 1, rn / 2 * me, rn / 2 * (me + 1));
                            try { bar.await(); } catch (Exception e) { throw new RuntimeException(e); }
                            inY = !inY;
                        }
                    }
                    if (me == 0) best[0] = Math.min(best[0], System.nanoTime() - t0);
                }
                return null; })); }
            for (var g : gs) g.get();
            double lg = Math.log(h) / Math.log(2);
            System.out.printf("round %d h=%d own %.2f ms (%.3f ns/pt·log)  shared-split %.2f ms (%.3f)%n", round, h, own / 1e6, own / (h * b * lg), best[0] / 1e6, best[0] / (2 * h * b * lg));
        }
        ex.shutdown();
    }
}
