import dev.posenc.core.FftPlan;
import java.lang.reflect.*;
import java.util.*;
import java.util.concurrent.*;
import jdk.incubator.vector.*;

public class FuseProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static Method stagesRun;

    static boolean runFused(FftPlan plan, float[] xr, float[] xi, float[] yr, float[] yi, int batch, float[] tr2, float[] ti2) throws Exception {
        boolean inY = false;
        for (int st = 0; st < plan.stages(); st++) {
            float[] ar = inY ? yr : xr, ai = inY ? yi : xi, br = inY ? xr : yr, bi = inY ? xi : yi;
            int m = plan.m(st), run = plan.stride(st) * batch;
            if (plan.radix(st) == 4 && st + 1 < plan.stages() && plan.radix(st + 1) == 4) {
                radix44(br, bi, ar, ai, plan.twiddlesRe(st), plan.twiddlesIm(st), plan.twiddlesRe(st + 1), plan.twiddlesIm(st + 1), m, run, tr2, ti2);
                st++;
            } else if (plan.radix(st) == 4) {
                radix4(br, bi, ar, ai, plan.twiddlesRe(st), plan.twiddlesIm(st), m, run);
            } else throw new IllegalStateException();
            inY = !inY;
        }
        return inY;
    }

    static void radix4(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run) {
        int bound = S.loopBound(run);
        for (int j = 0; j < m; j++) {
            int i0 = j * run, mr = m * run, o0 = 4 * j * run;
            FloatVector w1r = FloatVector.broadcast(S, tr[3 * j]), w1i = FloatVector.broadcast(S, ti[3 * j]);
            FloatVector w2r = FloatVector.broadcast(S, tr[3 * j + 1]), w2i = FloatVector.broadcast(S, ti[3 * j + 1]);
            FloatVector w3r = FloatVector.broadcast(S, tr[3 * j + 2]), w3i = FloatVector.broadcast(S, ti[3 * j + 2]);
            for (int q = 0; q < bound; q += L) bfly4(yr, yi, o0 + q, run, xr, xi, i0 + q, mr, w1r, w1i, w2r, w2i, w3r, w3i);
        }
    }

    static void radix44(float[] yr, float[] yi, float[] xr, float[] xi, float[] ar, float[] ai, float[] br, float[] bi, int m, int run, float[] tr, float[] ti) {
        int bound = S.loopBound(run), mb = m / 4, mr = m * run, run4 = 4 * run;
        for (int jb = 0; jb < mb; jb++) {
            FloatVector v1r = FloatVector.broadcast(S, br[3 * jb]), v1i = FloatVector.broadcast(S, bi[3 * jb]);
            FloatVector v2r = FloatVector.broadcast(S, br[3 * jb + 1]), v2i = FloatVector.broadcast(S, bi[3 * jb + 1]);
            FloatVector v3r = FloatVector.broadcast(S, br[3 * jb + 2]), v3i = FloatVector.broadcast(S, bi[3 * jb + 2]);
            int ob = 4 * jb * run4;
            for (int q = 0; q < bound; q += L) {
                for (int r = 0; r < 4; r++) {
                    int j = jb + r * mb;
                    FloatVector w1r = FloatVector.broadcast(S, ar[3 * j]), w1i = FloatVector.broadcast(S, ai[3 * j]);
                    FloatVector w2r = FloatVector.broadcast(S, ar[3 * j + 1]), w2i = FloatVector.broadcast(S, ai[3 * j + 1]);
                    FloatVector w3r = FloatVector.broadcast(S, ar[3 * j + 2]), w3i = FloatVector.broadcast(S, ai[3 * j + 2]);
                    bfly4(tr, ti, 4 * r * L, L, xr, xi, j * run + q, mr, w1r, w1i, w2r, w2i, w3r, w3i);
                }
                for (int ra = 0; ra < 4; ra++) bfly4(yr, yi, ob + ra * run + q, run4, tr, ti, ra * L, 4 * L, v1r, v1i, v2r, v2i, v3r, v3i);
            }
        }
    }

    static void bfly4(float[] yr, float[] yi, int o0, int os, float[] xr, float[] xi, int i0, int is,
                      FloatVector w1r, FloatVector w1i, FloatVector w2r, FloatVector w2i, FloatVector w3r, FloatVector w3i) {
        FloatVector a0r = FloatVector.fromArray(S, xr, i0), a0i = FloatVector.fromArray(S, xi, i0);
        FloatVector a1r = FloatVector.fromArray(S, xr, i0 + is), a1i = FloatVector.fromArray(S, xi, i0 + is);
        FloatVector a2r = FloatVector.fromArray(S, xr, i0 + 2 * is), a2i = FloatVector.fromArray(S, xi, i0 + 2 * is);
        FloatVector a3r = FloatVector.fromArray(S, xr, i0 + 3 * is), a3i = FloatVector.fromArray(S, xi, i0 + 3 * is);
        FloatVector b0r = a0r.add(a2r), b0i = a0i.add(a2i), b1r = a0r.sub(a2r), b1i = a0i.sub(a2i);
        FloatVector b2r = a1r.add(a3r), b2i = a1i.add(a3i), b3r = a1i.sub(a3i), b3i = a3r.sub(a1r);
        b0r.add(b2r).intoArray(yr, o0);
        b0i.add(b2i).intoArray(yi, o0);
        FloatVector cr = b1r.add(b3r), ci = b1i.add(b3i);
        cr.mul(w1r).sub(ci.mul(w1i)).intoArray(yr, o0 + os);
        cr.mul(w1i).add(ci.mul(w1r)).intoArray(yi, o0 + os);
        cr = b0r.sub(b2r); ci = b0i.sub(b2i);
        cr.mul(w2r).sub(ci.mul(w2i)).intoArray(yr, o0 + 2 * os);
        cr.mul(w2i).add(ci.mul(w2r)).intoArray(yi, o0 + 2 * os);
        cr = b1r.sub(b3r); ci = b1i.sub(b3i);
        cr.mul(w3r).sub(ci.mul(w3i)).intoArray(yr, o0 + 3 * os);
        cr.mul(w3i).add(ci.mul(w3r)).intoArray(yi, o0 + 3 * os);
    }

    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]), b = Integer.parseInt(a[1]);
        int[] hs = Arrays.stream(a, 2, a.length).mapToInt(Integer::parseInt).toArray();
        Class<?> st = Class.forName("dev.posenc.kernels.FftStages");
        stagesRun = st.getDeclaredMethod("run", FftPlan.class, float[].class, float[].class, float[].class, float[].class, int.class);
        stagesRun.setAccessible(true);
        // bit check
        for (int h : hs) {
            FftPlan plan = FftPlan.of(h);
            float[] xr = new float[h * b], xi = new float[h * b], yr = new float[h * b], yi = new float[h * b];
            Random r = new Random(1); for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat(); xi[i] = r.nextFloat(); }
            float[] xr2 = xr.clone(), xi2 = xi.clone(), yr2 = new float[h * b], yi2 = new float[h * b];
            boolean i1 = (boolean) stagesRun.invoke(null, plan, xr, xi, yr, yi, b);
            boolean i2 = runFused(plan, xr2, xi2, yr2, yi2, b, new float[16 * L], new float[16 * L]);
            float[] o1 = i1 ? yr : xr, o2 = i2 ? yr2 : xr2;
            System.out.println("h=" + h + " same bits: " + Arrays.equals(o1, o2) + " " + Arrays.equals(i1 ? yi : xi, i2 ? yi2 : xi2));
        }
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        for (int round = 0; round < 3; round++) {
            for (int h : hs) for (int fused = 0; fused < 2; fused++) {
                FftPlan plan = FftPlan.of(h);
                final int f = fused;
                int reps = Math.max(3, (int) (4e8 / ((double) h * b * Math.log(h) / Math.log(2) * 8)));
                List<Future<Double>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) fs.add(ex.submit(() -> {
                    float[] xr = new float[h * b], xi = new float[h * b], yr = new float[h * b], yi = new float[h * b];
                    float[] t1 = new float[16 * L], t2 = new float[16 * L];
                    Random r = new Random(1); for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat(); xi[i] = r.nextFloat(); }
                    double best = 1e18;
                    for (int k = 0; k < reps; k++) { long t0 = System.nanoTime();
                        if (f == 1) runFused(plan, xr, xi, yr, yi, b, t1, t2); else stagesRun.invoke(null, plan, xr, xi, yr, yi, b);
                        best = Math.min(best, System.nanoTime() - t0); }
                    return best;
                }));
                double worst = 0; for (var fu : fs) worst = Math.max(worst, fu.get());
                double lg = Math.log(h) / Math.log(2);
                System.out.printf("round %d h=%6d %s threads=%d: min %.3f ms, %.3f ns per point·log2h%n", round, h, f == 1 ? "fused" : "plain", threads, worst / 1e6, worst / (h * (double) b * lg));
            }
        }
        ex.shutdown();
    }
}
