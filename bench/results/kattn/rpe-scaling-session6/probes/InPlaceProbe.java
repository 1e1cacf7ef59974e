package dev.posenc.kernels;
import dev.posenc.core.FftPlan;
import java.util.*;
import java.util.concurrent.*;
import java.lang.management.*;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
// in-place radix-4 DIF (Gentleman–Sande) on (h, b) columns vs FftStages (Stockham, out of place); T threads at once
public class InPlaceProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED; static final int L = S.length();
    static void dif(FftPlan plan, float[] re, float[] im, int b) {
        int h = plan.length(), span = h;
        for (int st = 0; st < plan.stages(); st++) {
            int p = plan.radix(st); float[] tr = plan.twiddlesRe(st), ti = plan.twiddlesIm(st);
            if (p == 4) dif4(re, im, tr, ti, span, h, b); else dif2(re, im, tr, ti, span, h, b);
            span /= p;
        }
    }
    static void dif4(float[] re, float[] im, float[] tr, float[] ti, int span, int h, int b) {
        int qtr = span / 4, bound = S.loopBound(b), qb = qtr * b;
        for (int base = 0; base < h; base += span) for (int j = 0; j < qtr; j++) {
            FloatVector w1r = FloatVector.broadcast(S, tr[3 * j]), w1i = FloatVector.broadcast(S, ti[3 * j]);
            FloatVector w2r = FloatVector.broadcast(S, tr[3 * j + 1]), w2i = FloatVector.broadcast(S, ti[3 * j + 1]);
            FloatVector w3r = FloatVector.broadcast(S, tr[3 * j + 2]), w3i = FloatVector.broadcast(S, ti[3 * j + 2]);
            int i0 = (base + j) * b, i1 = i0 + qb, i2 = i1 + qb, i3 = i2 + qb;
            for (int q = 0; q < bound; q += L) {
                FloatVector a0r = FloatVector.fromArray(S, re, i0 + q), a0i = FloatVector.fromArray(S, im, i0 + q);
                FloatVector a1r = FloatVector.fromArray(S, re, i1 + q), a1i = FloatVector.fromArray(S, im, i1 + q);
                FloatVector a2r = FloatVector.fromArray(S, re, i2 + q), a2i = FloatVector.fromArray(S, im, i2 + q);
                FloatVector a3r = FloatVector.fromArray(S, re, i3 + q), a3i = FloatVector.fromArray(S, im, i3 + q);
                FloatVector b0r = a0r.add(a2r), b0i = a0i.add(a2i), b1r = a0r.sub(a2r), b1i = a0i.sub(a2i);
                FloatVector b2r = a1r.add(a3r), b2i = a1i.add(a3i), b3r = a1i.sub(a3i), b3i = a3r.sub(a1r);
                b0r.add(b2r).intoArray(re, i0 + q);
                b0i.add(b2i).intoArray(im, i0 + q);
                FloatVector cr = b1r.add(b3r), ci = b1i.add(b3i);
                cr.mul(w1r).sub(ci.mul(w1i)).intoArray(re, i1 + q);
                cr.mul(w1i).add(ci.mul(w1r)).intoArray(im, i1 + q);
                cr = b0r.sub(b2r); ci = b0i.sub(b2i);
                cr.mul(w2r).sub(ci.mul(w2i)).intoArray(re, i2 + q);
                cr.mul(w2i).add(ci.mul(w2r)).intoArray(im, i2 + q);
                cr = b1r.sub(b3r); ci = b1i.sub(b3i);
                cr.mul(w3r).sub(ci.mul(w3i)).intoArray(re, i3 + q);
                cr.mul(w3i).add(ci.mul(w3r)).intoArray(im, i3 + q);
            }
        }
    }
    static void dif2(float[] re, float[] im, float[] tr, float[] ti, int span, int h, int b) {
        int half = span / 2, bound = S.loopBound(b), hb = half * b;
        for (int base = 0; base < h; base += span) for (int j = 0; j < half; j++) {
            FloatVector w1r = FloatVector.broadcast(S, tr[j]), w1i = FloatVector.broadcast(S, ti[j]);
            int i0 = (base + j) * b, i1 = i0 + hb;
            for (int q = 0; q < bound; q += L) {
                FloatVector a0r = FloatVector.fromArray(S, re, i0 + q), a0i = FloatVector.fromArray(S, im, i0 + q);
                FloatVector a1r = FloatVector.fromArray(S, re, i1 + q), a1i = FloatVector.fromArray(S, im, i1 + q);
                a0r.add(a1r).intoArray(re, i0 + q); a0i.add(a1i).intoArray(im, i0 + q);
                FloatVector dr = a0r.sub(a1r), di = a0i.sub(a1i);
                dr.mul(w1r).sub(di.mul(w1i)).intoArray(re, i1 + q);
                dr.mul(w1i).add(di.mul(w1r)).intoArray(im, i1 + q);
            }
        }
    }
    static int[] positions(FftPlan plan) {   // pos[k] = where X[k] ends after dif
        int h = plan.length(); int[] pos = new int[h];
        for (int k = 0; k < h; k++) { int rest = k, span = h, p = 0;
            for (int st = 0; st < plan.stages(); st++) { int r = plan.radix(st); p += (rest % r) * (span / r); rest /= r; span /= r; }
            pos[k] = p; }
        return pos;
    }
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]), b = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        int[] hs = Arrays.stream(a, 3, a.length).mapToInt(Integer::parseInt).toArray();
        for (int h : hs) {
            FftPlan plan = FftPlan.of(h); int[] pos = positions(plan);
            float[] xr = new float[h*b], xi = new float[h*b]; Random r = new Random(3);
            for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat()-0.5f; xi[i] = r.nextFloat()-0.5f; }
            float[] ar = xr.clone(), ai = xi.clone(), br = new float[h*b], bi = new float[h*b];
            boolean inY = FftStages.run(plan, ar, ai, br, bi, b);
            float[] pr = inY ? br : ar, pi = inY ? bi : ai;
            float[] cr = xr.clone(), ci = xi.clone(); dif(plan, cr, ci, b);
            double num = 0, den = 0;
            for (int k = 0; k < h; k++) for (int l = 0; l < b; l++) { int u = k*b+l, v = pos[k]*b+l; num += Math.pow(pr[u]-cr[v],2)+Math.pow(pi[u]-ci[v],2); den += pr[u]*pr[u]+pi[u]*pi[u]; }
            System.out.printf("h=%d rel rms diff stockham vs in-place dif %.2e%n", h, Math.sqrt(num/den));
        }
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            for (int h : hs) for (int impl = 0; impl < 2; impl++) {
                final int im = (impl + round) % 2;
                FftPlan plan = FftPlan.of(h);
                int reps = Math.max(3, (int) (2e8 / ((double) h * b * Math.log(h) / Math.log(2) * 8)));
                List<Future<double[]>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) fs.add(ex.submit(() -> {
                    float[] xr = new float[h * b], xi = new float[h * b], yr = new float[h * b], yi = new float[h * b];
                    Random r = new Random(1); for (int i = 0; i < xr.length; i++) { xr[i] = r.nextFloat(); xi[i] = r.nextFloat(); }
                    double best = 1e18, bestCpu = 1e18;
                    for (int k = 0; k < reps; k++) {
                        long c0 = tm.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                        if (im == 0) FftStages.run(plan, xr, xi, yr, yi, b); else dif(plan, xr, xi, b);
                        best = Math.min(best, System.nanoTime() - t0); bestCpu = Math.min(bestCpu, tm.getCurrentThreadCpuTime() - c0);
                        if ((k & 7) == 7) for (int i = 0; i < xr.length; i++) { xr[i] = 0.25f; xi[i] = 0.5f; }
                    }
                    return new double[] {best, bestCpu};
                }));
                double worst = 0, worstCpu = 0; for (var f : fs) { double[] v = f.get(); worst = Math.max(worst, v[0]); worstCpu = Math.max(worstCpu, v[1]); }
                double lg = Math.log(h) / Math.log(2), pts = h * (double) b * lg;
                System.out.printf("round %d h=%6d b=%d threads=%d %-8s: min wall %.3f ms (%.3f ns/pt·log2h), min cpu %.3f%n", round, h, b, threads, im == 0 ? "stockham" : "inplace", worst / 1e6, worst / pts, worstCpu / pts);
            }
        }
        ex.shutdown();
        System.out.println("load " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
