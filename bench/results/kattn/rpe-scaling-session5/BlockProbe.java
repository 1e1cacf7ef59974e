import dev.posenc.core.FftPlan;
import java.lang.reflect.*;
import java.util.*;
import java.util.concurrent.*;
import jdk.incubator.vector.*;

public class BlockProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static Method stagesRun;

    static int BLOCK_FLOATS = 1 << 14, Q = 64, MIN_FLOATS = 1 << 17;
    static boolean runFused(FftPlan plan, float[] xr, float[] xi, float[] yr, float[] yi, int batch, float[] tr2, float[] ti2) throws Exception {
        int stages = plan.stages(), h = plan.length(), k = stages;
        if ((long) h * batch >= MIN_FLOATS) {
            for (int s = 0; s < stages; s++) {
                int runS = plan.stride(s) * batch;
                if (runS % Q == 0 && (long) h * batch / runS * Q <= BLOCK_FLOATS) { k = s; break; }
            }
        }
        boolean inY = false;
        for (int st = 0; st < k; st++) {
            float[] ar = inY ? yr : xr, ai = inY ? yi : xi, br = inY ? xr : yr, bi = inY ? xi : yi;
            int run = plan.stride(st) * batch;
            stage(plan, st, br, bi, ar, ai, run, run, 0, run);
            inY = !inY;
        }
        if (k < stages) {
            int period = plan.stride(k) * batch;
            for (int q0 = 0; q0 < period; q0 += Q) {
                boolean y = inY;
                for (int st = k; st < stages; st++) {
                    float[] ar = y ? yr : xr, ai = y ? yi : xi, br = y ? xr : yr, bi = y ? xi : yi;
                    stage(plan, st, br, bi, ar, ai, plan.stride(st) * batch, period, q0, Q);
                    y = !y;
                }
            }
            if ((stages - k) % 2 == 1) inY = !inY;
        }
        return inY;
    }
    static void stage(FftPlan plan, int st, float[] br, float[] bi, float[] ar, float[] ai, int run, int period, int q0, int width) {
        if (plan.radix(st) == 4) radix4b(br, bi, ar, ai, plan.twiddlesRe(st), plan.twiddlesIm(st), plan.m(st), run, period, q0, width);
        else if (plan.radix(st) == 2) radix2b(br, bi, ar, ai, plan.twiddlesRe(st), plan.twiddlesIm(st), plan.m(st), run, period, q0, width);
        else throw new IllegalStateException();
    }
    static void radix4b(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run, int period, int q0, int width) {
        int bound = S.loopBound(width), mr = m * run;
        for (int j = 0; j < m; j++) {
            int i0 = j * run, o0 = 4 * j * run;
            FloatVector w1r = FloatVector.broadcast(S, tr[3 * j]), w1i = FloatVector.broadcast(S, ti[3 * j]);
            FloatVector w2r = FloatVector.broadcast(S, tr[3 * j + 1]), w2i = FloatVector.broadcast(S, ti[3 * j + 1]);
            FloatVector w3r = FloatVector.broadcast(S, tr[3 * j + 2]), w3i = FloatVector.broadcast(S, ti[3 * j + 2]);
            for (int c = q0; c < run; c += period)
                for (int q = c; q < c + bound; q += L) bfly4(yr, yi, o0 + q, run, xr, xi, i0 + q, mr, w1r, w1i, w2r, w2i, w3r, w3i);
        }
    }
    static void radix2b(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run, int period, int q0, int width) {
        int bound = S.loopBound(width);
        for (int j = 0; j < m; j++) {
            int i0 = j * run, i1 = i0 + m * run, o0 = 2 * j * run, o1 = o0 + run;
            FloatVector w1r = FloatVector.broadcast(S, tr[j]), w1i = FloatVector.broadcast(S, ti[j]);
            for (int c = q0; c < run; c += period)
            for (int q = c; q < c + bound; q += L) {
                FloatVector a0r = FloatVector.fromArray(S, xr, i0 + q), a0i = FloatVector.fromArray(S, xi, i0 + q);
                FloatVector a1r = FloatVector.fromArray(S, xr, i1 + q), a1i = FloatVector.fromArray(S, xi, i1 + q);
                a0r.add(a1r).intoArray(yr, o0 + q);
                a0i.add(a1i).intoArray(yi, o0 + q);
                FloatVector dr = a0r.sub(a1r), di = a0i.sub(a1i);
                dr.mul(w1r).sub(di.mul(w1i)).intoArray(yr, o1 + q);
                dr.mul(w1i).add(di.mul(w1r)).intoArray(yi, o1 + q);
            }
        }
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
        int threads = Integer.parseInt(a[0]), b = Integer.parseInt(a[1]); if (System.getProperty("bf") != null) BLOCK_FLOATS = Integer.getInteger("bf"); if (System.getProperty("q") != null) Q = Integer.getInteger("q");
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
                System.out.printf("round %d h=%6d %s threads=%d: min %.3f ms, %.3f ns per point·log2h%n", round, h, f == 1 ? "block" : "plain", threads, worst / 1e6, worst / (h * (double) b * lg));
            }
        }
        ex.shutdown();
    }
}
