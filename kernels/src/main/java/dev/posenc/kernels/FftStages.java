package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The butterflies of one Stockham stage (decimation in frequency, autosort: natural order in and out, no bit
 * reversal), on split complex arrays (re, im) holding a batch of transforms interleaved: element t of
 * transform b sits at [t·batch + b].
 *
 * <p>A stage of radix p on a sub-length p·m with stride s reads x at (j + r·m)·run + q and writes
 * <pre>
 *   y[(p·j + r')·run + q] = W_{p·m}^{j·r'} · Σ_r x[(j + r·m)·run + q] · ω_p^{r·r'},    ω_p = exp(−2πi/p)
 * </pre>
 * for j &lt; m, r' &lt; p and q &lt; run = s·batch. The q loop is contiguous in memory, so the vector loop runs
 * over q (over the batch, and over the stride once s grows) with the twiddles broadcast; no shuffles. Each
 * vector loop finishes its tail with the scalar twin ({@code radixNScalar}, one j at a time; called only when there
 * is a tail: the empty calls, one per j, were 1–3 % of kernel-rpe's samples at n = 32768–65536), whose plain float
 * arithmetic (no FMA) is the same as the lanes', so the two agree bit for bit. A radix other than 2 to 5 is
 * a plain DFT of that length ({@link #generic}, scalar only: prime lengths are the rare case).
 */
final class FftStages {
    private FftStages() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float SIN60 = (float) (Math.sqrt(3) / 2);
    private static final float C1 = (float) Math.cos(2 * Math.PI / 5), C2 = (float) Math.cos(4 * Math.PI / 5);
    private static final float S1 = (float) Math.sin(2 * Math.PI / 5), S2 = (float) Math.sin(4 * Math.PI / 5);

    /**
     * Runs every stage of {@code plan} on the batch in (xr, xi), ping-ponging with (yr, yi) as scratch.
     *
     * @return true when the result ended in (yr, yi), false when in (xr, xi)
     */
    static boolean run(FftPlan plan, float[] xr, float[] xi, float[] yr, float[] yi, int batch) {
        boolean inY = false;
        for (int st = 0; st < plan.stages(); st++) {
            float[] ar = inY ? yr : xr, ai = inY ? yi : xi, br = inY ? xr : yr, bi = inY ? xi : yi;
            int m = plan.m(st), run = plan.stride(st) * batch;
            float[] tr = plan.twiddlesRe(st), ti = plan.twiddlesIm(st);
            // one static method per radix: each call site stays monomorphic (toolchain.md §1.5.4)
            switch (plan.radix(st)) {
                case 4 -> radix4(br, bi, ar, ai, tr, ti, m, run);
                case 2 -> radix2(br, bi, ar, ai, tr, ti, m, run);
                case 3 -> radix3(br, bi, ar, ai, tr, ti, m, run);
                case 5 -> radix5(br, bi, ar, ai, tr, ti, m, run);
                default -> generic(br, bi, ar, ai, tr, ti, m, run, plan.radix(st));
            }
            inY = !inY;
        }
        return inY;
    }

    // ---- radix 2: y0 = a0 + a1, y1 = (a0 − a1)·W^j

    static void radix2(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run) {
        int bound = S.loopBound(run);
        for (int j = 0; j < m; j++) {
            int i0 = j * run, i1 = i0 + m * run, o0 = 2 * j * run, o1 = o0 + run;
            FloatVector w1r = FloatVector.broadcast(S, tr[j]), w1i = FloatVector.broadcast(S, ti[j]);
            for (int q = 0; q < bound; q += L) {
                FloatVector a0r = FloatVector.fromArray(S, xr, i0 + q), a0i = FloatVector.fromArray(S, xi, i0 + q);
                FloatVector a1r = FloatVector.fromArray(S, xr, i1 + q), a1i = FloatVector.fromArray(S, xi, i1 + q);
                a0r.add(a1r).intoArray(yr, o0 + q);
                a0i.add(a1i).intoArray(yi, o0 + q);
                FloatVector dr = a0r.sub(a1r), di = a0i.sub(a1i);
                dr.mul(w1r).sub(di.mul(w1i)).intoArray(yr, o1 + q);
                dr.mul(w1i).add(di.mul(w1r)).intoArray(yi, o1 + q);
            }
            if (bound < run) radix2Scalar(yr, yi, xr, xi, tr, ti, m, run, j, bound, run);
        }
    }

    static void radix2Scalar(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run,
                             int j, int from, int to) {
        int i0 = j * run, i1 = i0 + m * run, o0 = 2 * j * run, o1 = o0 + run;
        float w1r = tr[j], w1i = ti[j];
        for (int q = from; q < to; q++) {
            float a0r = xr[i0 + q], a0i = xi[i0 + q], a1r = xr[i1 + q], a1i = xi[i1 + q];
            yr[o0 + q] = a0r + a1r;
            yi[o0 + q] = a0i + a1i;
            float dr = a0r - a1r, di = a0i - a1i;
            yr[o1 + q] = dr * w1r - di * w1i;
            yi[o1 + q] = dr * w1i + di * w1r;
        }
    }

    // ---- radix 4: b0 = a0 + a2, b1 = a0 − a2, b2 = a1 + a3, b3 = −i·(a1 − a3);
    //      y0 = b0 + b2, y1 = (b1 + b3)·W^j, y2 = (b0 − b2)·W^2j, y3 = (b1 − b3)·W^3j

    static void radix4(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run) {
        int bound = S.loopBound(run);
        for (int j = 0; j < m; j++) {
            int i0 = j * run, i1 = i0 + m * run, i2 = i1 + m * run, i3 = i2 + m * run;
            int o0 = 4 * j * run, o1 = o0 + run, o2 = o1 + run, o3 = o2 + run;
            FloatVector w1r = FloatVector.broadcast(S, tr[3 * j]), w1i = FloatVector.broadcast(S, ti[3 * j]);
            FloatVector w2r = FloatVector.broadcast(S, tr[3 * j + 1]), w2i = FloatVector.broadcast(S, ti[3 * j + 1]);
            FloatVector w3r = FloatVector.broadcast(S, tr[3 * j + 2]), w3i = FloatVector.broadcast(S, ti[3 * j + 2]);
            for (int q = 0; q < bound; q += L) {
                FloatVector a0r = FloatVector.fromArray(S, xr, i0 + q), a0i = FloatVector.fromArray(S, xi, i0 + q);
                FloatVector a1r = FloatVector.fromArray(S, xr, i1 + q), a1i = FloatVector.fromArray(S, xi, i1 + q);
                FloatVector a2r = FloatVector.fromArray(S, xr, i2 + q), a2i = FloatVector.fromArray(S, xi, i2 + q);
                FloatVector a3r = FloatVector.fromArray(S, xr, i3 + q), a3i = FloatVector.fromArray(S, xi, i3 + q);
                FloatVector b0r = a0r.add(a2r), b0i = a0i.add(a2i), b1r = a0r.sub(a2r), b1i = a0i.sub(a2i);
                FloatVector b2r = a1r.add(a3r), b2i = a1i.add(a3i), b3r = a1i.sub(a3i), b3i = a3r.sub(a1r);
                b0r.add(b2r).intoArray(yr, o0 + q);
                b0i.add(b2i).intoArray(yi, o0 + q);
                FloatVector cr = b1r.add(b3r), ci = b1i.add(b3i);
                cr.mul(w1r).sub(ci.mul(w1i)).intoArray(yr, o1 + q);
                cr.mul(w1i).add(ci.mul(w1r)).intoArray(yi, o1 + q);
                cr = b0r.sub(b2r);
                ci = b0i.sub(b2i);
                cr.mul(w2r).sub(ci.mul(w2i)).intoArray(yr, o2 + q);
                cr.mul(w2i).add(ci.mul(w2r)).intoArray(yi, o2 + q);
                cr = b1r.sub(b3r);
                ci = b1i.sub(b3i);
                cr.mul(w3r).sub(ci.mul(w3i)).intoArray(yr, o3 + q);
                cr.mul(w3i).add(ci.mul(w3r)).intoArray(yi, o3 + q);
            }
            if (bound < run) radix4Scalar(yr, yi, xr, xi, tr, ti, m, run, j, bound, run);
        }
    }

    static void radix4Scalar(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run,
                             int j, int from, int to) {
        int i0 = j * run, i1 = i0 + m * run, i2 = i1 + m * run, i3 = i2 + m * run;
        int o0 = 4 * j * run, o1 = o0 + run, o2 = o1 + run, o3 = o2 + run;
        float w1r = tr[3 * j], w1i = ti[3 * j], w2r = tr[3 * j + 1], w2i = ti[3 * j + 1];
        float w3r = tr[3 * j + 2], w3i = ti[3 * j + 2];
        for (int q = from; q < to; q++) {
            float a0r = xr[i0 + q], a0i = xi[i0 + q], a1r = xr[i1 + q], a1i = xi[i1 + q];
            float a2r = xr[i2 + q], a2i = xi[i2 + q], a3r = xr[i3 + q], a3i = xi[i3 + q];
            float b0r = a0r + a2r, b0i = a0i + a2i, b1r = a0r - a2r, b1i = a0i - a2i;
            float b2r = a1r + a3r, b2i = a1i + a3i, b3r = a1i - a3i, b3i = a3r - a1r;
            yr[o0 + q] = b0r + b2r;
            yi[o0 + q] = b0i + b2i;
            float cr = b1r + b3r, ci = b1i + b3i;
            yr[o1 + q] = cr * w1r - ci * w1i;
            yi[o1 + q] = cr * w1i + ci * w1r;
            cr = b0r - b2r;
            ci = b0i - b2i;
            yr[o2 + q] = cr * w2r - ci * w2i;
            yi[o2 + q] = cr * w2i + ci * w2r;
            cr = b1r - b3r;
            ci = b1i - b3i;
            yr[o3 + q] = cr * w3r - ci * w3i;
            yi[o3 + q] = cr * w3i + ci * w3r;
        }
    }

    // ---- radix 3: t = a1 + a2, u = a0 − t/2, v = −i·(√3/2)·(a1 − a2);  y0 = a0 + t, y1 = (u + v)·W^j, y2 = (u − v)·W^2j

    static void radix3(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run) {
        int bound = S.loopBound(run);
        FloatVector half = FloatVector.broadcast(S, 0.5f), sin60 = FloatVector.broadcast(S, SIN60);
        for (int j = 0; j < m; j++) {
            int i0 = j * run, i1 = i0 + m * run, i2 = i1 + m * run, o0 = 3 * j * run, o1 = o0 + run, o2 = o1 + run;
            FloatVector w1r = FloatVector.broadcast(S, tr[2 * j]), w1i = FloatVector.broadcast(S, ti[2 * j]);
            FloatVector w2r = FloatVector.broadcast(S, tr[2 * j + 1]), w2i = FloatVector.broadcast(S, ti[2 * j + 1]);
            for (int q = 0; q < bound; q += L) {
                FloatVector a0r = FloatVector.fromArray(S, xr, i0 + q), a0i = FloatVector.fromArray(S, xi, i0 + q);
                FloatVector a1r = FloatVector.fromArray(S, xr, i1 + q), a1i = FloatVector.fromArray(S, xi, i1 + q);
                FloatVector a2r = FloatVector.fromArray(S, xr, i2 + q), a2i = FloatVector.fromArray(S, xi, i2 + q);
                FloatVector tr0 = a1r.add(a2r), ti0 = a1i.add(a2i);
                FloatVector ur = a0r.sub(tr0.mul(half)), ui = a0i.sub(ti0.mul(half));
                FloatVector vr = a1i.sub(a2i).mul(sin60), vi = a2r.sub(a1r).mul(sin60);
                a0r.add(tr0).intoArray(yr, o0 + q);
                a0i.add(ti0).intoArray(yi, o0 + q);
                FloatVector cr = ur.add(vr), ci = ui.add(vi);
                cr.mul(w1r).sub(ci.mul(w1i)).intoArray(yr, o1 + q);
                cr.mul(w1i).add(ci.mul(w1r)).intoArray(yi, o1 + q);
                cr = ur.sub(vr);
                ci = ui.sub(vi);
                cr.mul(w2r).sub(ci.mul(w2i)).intoArray(yr, o2 + q);
                cr.mul(w2i).add(ci.mul(w2r)).intoArray(yi, o2 + q);
            }
            if (bound < run) radix3Scalar(yr, yi, xr, xi, tr, ti, m, run, j, bound, run);
        }
    }

    static void radix3Scalar(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run,
                             int j, int from, int to) {
        int i0 = j * run, i1 = i0 + m * run, i2 = i1 + m * run, o0 = 3 * j * run, o1 = o0 + run, o2 = o1 + run;
        float w1r = tr[2 * j], w1i = ti[2 * j], w2r = tr[2 * j + 1], w2i = ti[2 * j + 1];
        for (int q = from; q < to; q++) {
            float a0r = xr[i0 + q], a0i = xi[i0 + q], a1r = xr[i1 + q], a1i = xi[i1 + q];
            float a2r = xr[i2 + q], a2i = xi[i2 + q];
            float tr0 = a1r + a2r, ti0 = a1i + a2i;
            float ur = a0r - tr0 * 0.5f, ui = a0i - ti0 * 0.5f;
            float vr = (a1i - a2i) * SIN60, vi = (a2r - a1r) * SIN60;
            yr[o0 + q] = a0r + tr0;
            yi[o0 + q] = a0i + ti0;
            float cr = ur + vr, ci = ui + vi;
            yr[o1 + q] = cr * w1r - ci * w1i;
            yi[o1 + q] = cr * w1i + ci * w1r;
            cr = ur - vr;
            ci = ui - vi;
            yr[o2 + q] = cr * w2r - ci * w2i;
            yi[o2 + q] = cr * w2i + ci * w2r;
        }
    }

    // ---- radix 5: t1 = a1 + a4, t2 = a2 + a3, t3 = a1 − a4, t4 = a2 − a3;  c_k = cos(2πk/5), s_k = sin(2πk/5)
    //      b1 = a0 + c1·t1 + c2·t2,  b2 = a0 + c2·t1 + c1·t2,  e1 = s1·t3 + s2·t4,  e2 = s2·t3 − s1·t4
    //      y0 = a0 + t1 + t2,  y1 = b1 − i·e1,  y4 = b1 + i·e1,  y2 = b2 − i·e2,  y3 = b2 + i·e2  (then ·W^{j·r'})

    static void radix5(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run) {
        int bound = S.loopBound(run);
        FloatVector c1 = FloatVector.broadcast(S, C1), c2 = FloatVector.broadcast(S, C2);
        FloatVector s1 = FloatVector.broadcast(S, S1), s2 = FloatVector.broadcast(S, S2);
        for (int j = 0; j < m; j++) {
            int i0 = j * run, mr = m * run, o0 = 5 * j * run;
            for (int q = 0; q < bound; q += L) {
                FloatVector a0r = FloatVector.fromArray(S, xr, i0 + q), a0i = FloatVector.fromArray(S, xi, i0 + q);
                FloatVector a1r = FloatVector.fromArray(S, xr, i0 + mr + q), a1i = FloatVector.fromArray(S, xi, i0 + mr + q);
                FloatVector a2r = FloatVector.fromArray(S, xr, i0 + 2 * mr + q);
                FloatVector a2i = FloatVector.fromArray(S, xi, i0 + 2 * mr + q);
                FloatVector a3r = FloatVector.fromArray(S, xr, i0 + 3 * mr + q);
                FloatVector a3i = FloatVector.fromArray(S, xi, i0 + 3 * mr + q);
                FloatVector a4r = FloatVector.fromArray(S, xr, i0 + 4 * mr + q);
                FloatVector a4i = FloatVector.fromArray(S, xi, i0 + 4 * mr + q);
                FloatVector t1r = a1r.add(a4r), t1i = a1i.add(a4i), t2r = a2r.add(a3r), t2i = a2i.add(a3i);
                FloatVector t3r = a1r.sub(a4r), t3i = a1i.sub(a4i), t4r = a2r.sub(a3r), t4i = a2i.sub(a3i);
                a0r.add(t1r).add(t2r).intoArray(yr, o0 + q);
                a0i.add(t1i).add(t2i).intoArray(yi, o0 + q);
                FloatVector b1r = a0r.add(c1.mul(t1r)).add(c2.mul(t2r)), b1i = a0i.add(c1.mul(t1i)).add(c2.mul(t2i));
                FloatVector b2r = a0r.add(c2.mul(t1r)).add(c1.mul(t2r)), b2i = a0i.add(c2.mul(t1i)).add(c1.mul(t2i));
                FloatVector e1r = s1.mul(t3r).add(s2.mul(t4r)), e1i = s1.mul(t3i).add(s2.mul(t4i));
                FloatVector e2r = s2.mul(t3r).sub(s1.mul(t4r)), e2i = s2.mul(t3i).sub(s1.mul(t4i));
                // −i·e = (e.im, −e.re), +i·e = (−e.im, e.re)
                twiddleInto(yr, yi, o0 + run + q, b1r.add(e1i), b1i.sub(e1r), tr, ti, 4 * j);
                twiddleInto(yr, yi, o0 + 2 * run + q, b2r.add(e2i), b2i.sub(e2r), tr, ti, 4 * j + 1);
                twiddleInto(yr, yi, o0 + 3 * run + q, b2r.sub(e2i), b2i.add(e2r), tr, ti, 4 * j + 2);
                twiddleInto(yr, yi, o0 + 4 * run + q, b1r.sub(e1i), b1i.add(e1r), tr, ti, 4 * j + 3);
            }
            if (bound < run) radix5Scalar(yr, yi, xr, xi, tr, ti, m, run, j, bound, run);
        }
    }

    private static void twiddleInto(float[] yr, float[] yi, int at, FloatVector cr, FloatVector ci, float[] tr,
                                    float[] ti, int w) {
        FloatVector wr = FloatVector.broadcast(S, tr[w]), wi = FloatVector.broadcast(S, ti[w]);
        cr.mul(wr).sub(ci.mul(wi)).intoArray(yr, at);
        cr.mul(wi).add(ci.mul(wr)).intoArray(yi, at);
    }

    static void radix5Scalar(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run,
                             int j, int from, int to) {
        int i0 = j * run, mr = m * run, o0 = 5 * j * run;
        for (int q = from; q < to; q++) {
            float a0r = xr[i0 + q], a0i = xi[i0 + q], a1r = xr[i0 + mr + q], a1i = xi[i0 + mr + q];
            float a2r = xr[i0 + 2 * mr + q], a2i = xi[i0 + 2 * mr + q], a3r = xr[i0 + 3 * mr + q];
            float a3i = xi[i0 + 3 * mr + q], a4r = xr[i0 + 4 * mr + q], a4i = xi[i0 + 4 * mr + q];
            float t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
            float t3r = a1r - a4r, t3i = a1i - a4i, t4r = a2r - a3r, t4i = a2i - a3i;
            yr[o0 + q] = a0r + t1r + t2r;
            yi[o0 + q] = a0i + t1i + t2i;
            float b1r = a0r + C1 * t1r + C2 * t2r, b1i = a0i + C1 * t1i + C2 * t2i;
            float b2r = a0r + C2 * t1r + C1 * t2r, b2i = a0i + C2 * t1i + C1 * t2i;
            float e1r = S1 * t3r + S2 * t4r, e1i = S1 * t3i + S2 * t4i;
            float e2r = S2 * t3r - S1 * t4r, e2i = S2 * t3i - S1 * t4i;
            twiddleScalar(yr, yi, o0 + run + q, b1r + e1i, b1i - e1r, tr[4 * j], ti[4 * j]);
            twiddleScalar(yr, yi, o0 + 2 * run + q, b2r + e2i, b2i - e2r, tr[4 * j + 1], ti[4 * j + 1]);
            twiddleScalar(yr, yi, o0 + 3 * run + q, b2r - e2i, b2i + e2r, tr[4 * j + 2], ti[4 * j + 2]);
            twiddleScalar(yr, yi, o0 + 4 * run + q, b1r - e1i, b1i + e1r, tr[4 * j + 3], ti[4 * j + 3]);
        }
    }

    private static void twiddleScalar(float[] yr, float[] yi, int at, float cr, float ci, float wr, float wi) {
        yr[at] = cr * wr - ci * wi;
        yi[at] = cr * wi + ci * wr;
    }

    // ---- any other radix p: a plain length-p DFT per butterfly, O(p²); ω_p^k from double

    static void generic(float[] yr, float[] yi, float[] xr, float[] xi, float[] tr, float[] ti, int m, int run, int p) {
        float[] cr = new float[p], ci = new float[p], ar = new float[p], ai = new float[p];
        for (int k = 0; k < p; k++) {
            cr[k] = (float) Math.cos(-2 * Math.PI * k / p);
            ci[k] = (float) Math.sin(-2 * Math.PI * k / p);
        }
        for (int j = 0; j < m; j++) {
            for (int q = 0; q < run; q++) {
                for (int r = 0; r < p; r++) {
                    ar[r] = xr[(j + r * m) * run + q];
                    ai[r] = xi[(j + r * m) * run + q];
                }
                for (int k = 0; k < p; k++) {
                    float sr = 0, si = 0;
                    for (int r = 0; r < p; r++) {
                        int e = (int) ((long) r * k % p);
                        sr += ar[r] * cr[e] - ai[r] * ci[e];
                        si += ar[r] * ci[e] + ai[r] * cr[e];
                    }
                    int at = (p * j + k) * run + q;
                    if (k == 0) {
                        yr[at] = sr;
                        yi[at] = si;
                    } else {
                        twiddleScalar(yr, yi, at, sr, si, tr[j * (p - 1) + k - 1], ti[j * (p - 1) + k - 1]);
                    }
                }
            }
        }
    }
}
