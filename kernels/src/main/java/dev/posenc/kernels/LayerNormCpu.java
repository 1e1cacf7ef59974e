package dev.posenc.kernels;

import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation over the last axis (Ba et al. 2016), exactly torch.nn.LayerNorm: biased variance,
 * eps inside the square root. in, out are R rows of C; gamma, beta, dGamma, dBeta have C elements; mean,
 * rstd have R.
 *
 * <pre>
 *   forward:   μ = mean_c x,  rstd = 1/√(mean_c (x − μ)² + eps),  x̂ = (x − μ)·rstd,  out = x̂·gamma + beta
 *   backward:  g = dOut ⊙ gamma
 *              dIn    += rstd·(g − mean_c g − x̂·mean_c(g ⊙ x̂))
 *              dGamma += Σ_r dOut ⊙ x̂          dBeta += Σ_r dOut
 * </pre>
 *
 * Mean and variance are two-pass (mean first, then the mean of squared deviations), not E[x²] − μ²: the
 * latter cancels catastrophically when |μ| ≫ σ (rows with an offset of 1000 lose every digit), and Welford
 * buys nothing when the whole row sits in L1 anyway. The first pass sums x − x[0], so both passes add terms
 * of size σ, not |μ|. Each pass sums in float vector lanes (C / lanes terms per lane) and finishes in double:
 * rstd keeps ~1e-7 relative error for C up to a few thousand, and the mean's error is dominated by its
 * rounding to float (half an ulp of μ), as in torch.
 *
 * Twins: {@link #forwardScalar}, {@link #backwardScalar}. Vector row loops finish their tail with the
 * scalar row functions, so the math has one source.
 */
public final class LayerNormCpu {
    private LayerNormCpu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** A task gets at least this many elements: below it, handing rows to another thread costs more than the work. */
    private static final long MIN_TASK_ELEMENTS = 1 << 14;
    /** Cap on the backward's row blocks, each of which owns 2·C floats of dGamma/dBeta partials. */
    private static final int MAX_BLOCKS = 64;

    // ---------------------------------------------------------------- forward

    /** Writes out, mean and rstd (see the class comment); reads in, gamma, beta. out may be in itself. */
    public static void forward(Parallel p, Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma,
                               Tensor beta, float eps) {
        checkForward(out, mean, rstd, in, gamma, beta, eps);
        MemorySegment o = out.data(), mu = mean.data(), rs = rstd.data(), x = in.data(), g = gamma.data(),
                b = beta.data();
        int c = in.cols();
        p.forRange(in.rows(), Math.max(1, MIN_TASK_ELEMENTS / Math.max(1, c)), (from, to) -> {
            for (long r = from; r < to; r++) forwardRow(o, mu, rs, x, g, b, r, c, eps);
        });
    }

    /** Scalar twin of {@link #forward}. */
    public static void forwardScalar(Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma, Tensor beta,
                                     float eps) {
        checkForward(out, mean, rstd, in, gamma, beta, eps);
        int c = in.cols();
        for (long r = 0; r < in.rows(); r++) {
            forwardRowScalar(out.data(), mean.data(), rstd.data(), in.data(), gamma.data(), beta.data(), r, c, eps);
        }
    }

    private static void forwardRow(MemorySegment out, MemorySegment mean, MemorySegment rstd, MemorySegment x,
                                   MemorySegment gamma, MemorySegment beta, long r, int c, float eps) {
        long base = r * c * Float.BYTES;
        float shift = x.get(F, base);
        float mu = (float) (shift + shiftedSum(x, base, c, shift) / c);
        float rs = (float) (1 / Math.sqrt(squaredDeviations(x, base, c, mu) / c + eps));
        normalize(out, x, gamma, beta, base, c, mu, rs);
        mean.setAtIndex(F, r, mu);
        rstd.setAtIndex(F, r, rs);
    }

    private static void forwardRowScalar(MemorySegment out, MemorySegment mean, MemorySegment rstd, MemorySegment x,
                                         MemorySegment gamma, MemorySegment beta, long r, int c, float eps) {
        long base = r * c * Float.BYTES;
        float shift = x.get(F, base);
        float mu = (float) (shift + shiftedSumScalar(x, base, 0, c, shift, 0) / c);
        float rs = (float) (1 / Math.sqrt(squaredDeviationsScalar(x, base, 0, c, mu, 0) / c + eps));
        normalizeScalar(out, x, gamma, beta, base, 0, c, mu, rs);
        mean.setAtIndex(F, r, mu);
        rstd.setAtIndex(F, r, rs);
    }

    /**
     * Σ (x − shift) over the row, shift = x[0]: the terms are deviations of size σ rather than |μ|, so the float
     * lanes round at the scale of σ and the mean keeps its digits when |μ| ≫ σ (the shifted-data algorithm).
     */
    private static double shiftedSum(MemorySegment x, long base, int c, float shift) {
        int bound = S.loopBound(c);
        FloatVector vs = FloatVector.broadcast(S, shift), acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            acc = acc.add(FloatVector.fromMemorySegment(S, x, base + (long) i * Float.BYTES, BO).sub(vs));
        }
        return shiftedSumScalar(x, base, bound, c, shift, Lanes.sum(acc));
    }

    private static double shiftedSumScalar(MemorySegment x, long base, int from, int to, float shift, double sum) {
        for (int i = from; i < to; i++) sum += x.get(F, base + (long) i * Float.BYTES) - shift;
        return sum;
    }

    /** Σ (x − μ)² over the row: the second pass. */
    private static double squaredDeviations(MemorySegment x, long base, int c, float mu) {
        int bound = S.loopBound(c);
        FloatVector vmu = FloatVector.broadcast(S, mu), acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector d = FloatVector.fromMemorySegment(S, x, base + (long) i * Float.BYTES, BO).sub(vmu);
            acc = d.fma(d, acc);
        }
        return squaredDeviationsScalar(x, base, bound, c, mu, Lanes.sum(acc));
    }

    private static double squaredDeviationsScalar(MemorySegment x, long base, int from, int to, float mu,
                                                  double sum) {
        for (int i = from; i < to; i++) {
            float d = x.get(F, base + (long) i * Float.BYTES) - mu;
            sum += d * d;
        }
        return sum;
    }

    /** out = (x − μ)·rstd·gamma + beta over the row. */
    private static void normalize(MemorySegment out, MemorySegment x, MemorySegment gamma, MemorySegment beta,
                                  long base, int c, float mu, float rs) {
        int bound = S.loopBound(c);
        FloatVector vmu = FloatVector.broadcast(S, mu), vrs = FloatVector.broadcast(S, rs);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES, p = (long) i * Float.BYTES;
            FloatVector xhat = FloatVector.fromMemorySegment(S, x, at, BO).sub(vmu).mul(vrs);
            xhat.fma(FloatVector.fromMemorySegment(S, gamma, p, BO), FloatVector.fromMemorySegment(S, beta, p, BO))
                    .intoMemorySegment(out, at, BO);
        }
        normalizeScalar(out, x, gamma, beta, base, bound, c, mu, rs);
    }

    private static void normalizeScalar(MemorySegment out, MemorySegment x, MemorySegment gamma, MemorySegment beta,
                                        long base, int from, int to, float mu, float rs) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES, p = (long) i * Float.BYTES;
            float xhat = (x.get(F, at) - mu) * rs;
            out.set(F, at, Math.fma(xhat, gamma.get(F, p), beta.get(F, p)));
        }
    }

    // ---------------------------------------------------------------- backward

    /**
     * Accumulates dIn, dGamma, dBeta (see the class comment); each may be null when not wanted. Reads dOut, in,
     * and the forward's mean and rstd.
     *
     * <p>dGamma and dBeta are sums over rows, so threads must not add into them concurrently. The rows are cut
     * into a number of blocks that depends on (R, C) only, never on the thread count; each block sums its rows
     * into private float partials, and the partials are added to dGamma/dBeta in block order, in double, on the
     * caller. That is race-free without locks or atomics, and the order of every addition is the same on any
     * number of threads and in every JIT tier (lanes are summed by {@link Lanes#sum}, a fixed tree).
     */
    public static void backward(Parallel p, Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in,
                                Tensor mean, Tensor rstd, Tensor gamma) {
        checkBackward(dIn, dGamma, dBeta, dOut, in, mean, rstd, gamma);
        int rows = in.rows(), c = in.cols();
        if (dIn == null && dGamma == null && dBeta == null) return;
        int blocks = (int) Math.max(1, Math.min(Math.min(rows, MAX_BLOCKS), (long) rows * c / MIN_TASK_ELEMENTS));
        Partials parts = PARTIALS.get().zeroed(blocks, c);
        float[][] partG = parts.g, partB = parts.b;
        double[][] sums = parts.sums;
        MemorySegment dx = dIn == null ? null : dIn.data(), dy = dOut.data(), x = in.data(), mu = mean.data(),
                rs = rstd.data(), g = gamma.data();
        p.forEach(blocks, b -> {
            long from = (long) rows * b / blocks, to = (long) rows * (b + 1) / blocks;
            float[] lanes = Lanes.scratch();
            for (long r = from; r < to; r++) {
                backwardRow(dx, partG[b], partB[b], sums[b], lanes, dy, x, mu, rs, g, r, c);
            }
        });
        addPartials(dGamma, partG, blocks);
        addPartials(dBeta, partB, blocks);
    }

    /**
     * The caller's block partials of {@link #backward}, kept from call to call: a ViT step's layer norms allocated
     * ~30 KB of them per call, a third of the step's remaining garbage (session 10). Rows may be longer than c.
     */
    private static final class Partials {
        final float[][] g = new float[MAX_BLOCKS][0], b = new float[MAX_BLOCKS][0];
        final double[][] sums = new double[MAX_BLOCKS][2];

        /** Blocks [0, blocks) with c zeroed floats each (grown where shorter). */
        Partials zeroed(int blocks, int c) {
            for (int i = 0; i < blocks; i++) {
                if (g[i].length < c) {
                    g[i] = new float[c];
                    b[i] = new float[c];
                } else {
                    Arrays.fill(g[i], 0, c, 0f);
                    Arrays.fill(b[i], 0, c, 0f);
                }
            }
            return this;
        }
    }

    private static final ThreadLocal<Partials> PARTIALS = ThreadLocal.withInitial(Partials::new);

    /** Scalar twin of {@link #backward}: the same partial scheme with one block. */
    public static void backwardScalar(Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in, Tensor mean,
                                      Tensor rstd, Tensor gamma) {
        checkBackward(dIn, dGamma, dBeta, dOut, in, mean, rstd, gamma);
        int c = in.cols();
        float[][] partG = new float[1][c], partB = new float[1][c];
        double[] sums = new double[2];
        for (long r = 0; r < in.rows(); r++) {
            long base = r * c * Float.BYTES;
            float mu = mean.data().getAtIndex(F, r), rs = rstd.data().getAtIndex(F, r);
            sums[0] = 0;
            sums[1] = 0;
            paramsAndSumsScalar(partG[0], partB[0], dOut.data(), in.data(), gamma.data(), base, 0, c, mu, rs, sums);
            if (dIn != null) {
                float a = (float) (sums[0] / c), b = (float) (sums[1] / c);
                inputGradScalar(dIn.data(), dOut.data(), in.data(), gamma.data(), base, 0, c, mu, rs, a, b);
            }
        }
        addPartials(dGamma, partG, 1);
        addPartials(dBeta, partB, 1);
    }

    /**
     * One row: partial dGamma/dBeta always (discarded by the caller when both are null: cheaper than a second
     * specialised pass), dIn when {@code dx} is not null. The null test sits between the two passes, so no
     * vector lives across it.
     */
    private static void backwardRow(MemorySegment dx, float[] partG, float[] partB, double[] sums, float[] lanes,
                                    MemorySegment dy, MemorySegment x, MemorySegment mean, MemorySegment rstd,
                                    MemorySegment gamma, long r, int c) {
        long base = r * c * Float.BYTES;
        float mu = mean.getAtIndex(F, r), rs = rstd.getAtIndex(F, r);
        paramsAndSums(partG, partB, dy, x, gamma, base, c, mu, rs, sums, lanes);
        if (dx == null) return;
        inputGrad(dx, dy, x, gamma, base, c, mu, rs, (float) (sums[0] / c), (float) (sums[1] / c));
    }

    /**
     * First pass over a row: partG += dOut ⊙ x̂, partB += dOut, and sums = (Σ g, Σ g ⊙ x̂) with g = dOut ⊙ gamma,
     * the two row means the dIn formula needs. Each accumulator in turn is stored into {@code lanes} (L floats,
     * {@link Lanes#scratch}) and folded by {@link Lanes#sum(float[], int)}, the tree of Lanes.sum(FloatVector) with
     * the same bits: handed to Lanes.sum(FloatVector), which C2 did not inline here, they were boxed on every row,
     * most of a ViT step's garbage in steady state (bench/RESULTS.md, session 9).
     */
    private static void paramsAndSums(float[] partG, float[] partB, MemorySegment dy, MemorySegment x,
                                      MemorySegment gamma, long base, int c, float mu, float rs, double[] sums,
                                      float[] lanes) {
        int bound = S.loopBound(c);
        FloatVector vmu = FloatVector.broadcast(S, mu), vrs = FloatVector.broadcast(S, rs);
        FloatVector sumG = FloatVector.zero(S), sumGX = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector d = FloatVector.fromMemorySegment(S, dy, at, BO);
            FloatVector xhat = FloatVector.fromMemorySegment(S, x, at, BO).sub(vmu).mul(vrs);
            FloatVector g = d.mul(FloatVector.fromMemorySegment(S, gamma, (long) i * Float.BYTES, BO));
            sumG = sumG.add(g);
            sumGX = g.fma(xhat, sumGX);
            d.fma(xhat, FloatVector.fromArray(S, partG, i)).intoArray(partG, i);
            d.add(FloatVector.fromArray(S, partB, i)).intoArray(partB, i);
        }
        sumG.intoArray(lanes, 0);
        sums[0] = Lanes.sum(lanes, 0);
        sumGX.intoArray(lanes, 0);
        sums[1] = Lanes.sum(lanes, 0);
        paramsAndSumsScalar(partG, partB, dy, x, gamma, base, bound, c, mu, rs, sums);
    }

    private static void paramsAndSumsScalar(float[] partG, float[] partB, MemorySegment dy, MemorySegment x,
                                            MemorySegment gamma, long base, int from, int to, float mu, float rs,
                                            double[] sums) {
        double sumG = sums[0], sumGX = sums[1];
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            float d = dy.get(F, at);
            float xhat = (x.get(F, at) - mu) * rs;
            float g = d * gamma.get(F, (long) i * Float.BYTES);
            sumG += g;
            sumGX += g * xhat;
            partG[i] = Math.fma(d, xhat, partG[i]);
            partB[i] += d;
        }
        sums[0] = sumG;
        sums[1] = sumGX;
    }

    /** Second pass over a row: dIn += rstd·(g − a − x̂·b), a = mean_c g, b = mean_c(g ⊙ x̂). */
    private static void inputGrad(MemorySegment dx, MemorySegment dy, MemorySegment x, MemorySegment gamma, long base,
                                  int c, float mu, float rs, float a, float b) {
        int bound = S.loopBound(c);
        FloatVector vmu = FloatVector.broadcast(S, mu), vrs = FloatVector.broadcast(S, rs);
        FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b);
        for (int i = 0; i < bound; i += L) {
            long at = base + (long) i * Float.BYTES;
            FloatVector xhat = FloatVector.fromMemorySegment(S, x, at, BO).sub(vmu).mul(vrs);
            FloatVector g = FloatVector.fromMemorySegment(S, dy, at, BO)
                    .mul(FloatVector.fromMemorySegment(S, gamma, (long) i * Float.BYTES, BO));
            FloatVector inner = g.sub(va).sub(xhat.mul(vb));
            inner.fma(vrs, FloatVector.fromMemorySegment(S, dx, at, BO)).intoMemorySegment(dx, at, BO);
        }
        inputGradScalar(dx, dy, x, gamma, base, bound, c, mu, rs, a, b);
    }

    private static void inputGradScalar(MemorySegment dx, MemorySegment dy, MemorySegment x, MemorySegment gamma,
                                        long base, int from, int to, float mu, float rs, float a, float b) {
        for (int i = from; i < to; i++) {
            long at = base + (long) i * Float.BYTES;
            float xhat = (x.get(F, at) - mu) * rs;
            float g = dy.get(F, at) * gamma.get(F, (long) i * Float.BYTES);
            float inner = g - a - xhat * b;
            dx.set(F, at, Math.fma(inner, rs, dx.get(F, at)));
        }
    }

    /** target += Σ_b parts[b], summed in double in block order (a fixed order: reproducible). */
    private static void addPartials(Tensor target, float[][] parts, int blocks) {
        if (target == null) return;
        for (int i = 0; i < target.size(); i++) {
            double s = target.get(i);
            for (int b = 0; b < blocks; b++) s += parts[b][i];
            target.set(i, (float) s);
        }
    }

    // ---------------------------------------------------------------- argument checks

    private static void checkForward(Tensor out, Tensor mean, Tensor rstd, Tensor in, Tensor gamma, Tensor beta,
                                     float eps) {
        String op = "layerNorm";
        Shapes.same(op, "out", in, out);
        checkStats(op, mean, rstd, in);
        checkChannels(op, "gamma", gamma, in);
        checkChannels(op, "beta", beta, in);
        Shapes.require(eps >= 0, op, "eps", ">= 0", eps);
    }

    private static void checkBackward(Tensor dIn, Tensor dGamma, Tensor dBeta, Tensor dOut, Tensor in, Tensor mean,
                                      Tensor rstd, Tensor gamma) {
        String op = "layerNormBackward";
        Shapes.same(op, "dOut", in, dOut);
        if (dIn != null) Shapes.same(op, "dIn", in, dIn);
        checkStats(op, mean, rstd, in);
        checkChannels(op, "gamma", gamma, in);
        if (dGamma != null) checkChannels(op, "dGamma", dGamma, in);
        if (dBeta != null) checkChannels(op, "dBeta", dBeta, in);
    }

    private static void checkStats(String op, Tensor mean, Tensor rstd, Tensor in) {
        if (mean.size() == in.rows() && rstd.size() == in.rows()) return;   // the message is formatted on failure only
        String expected = "%d elements (one per row of %s)".formatted(in.rows(), in.shape());
        Shapes.require(mean.size() == in.rows(), op, "mean", expected, mean.shape());
        Shapes.require(rstd.size() == in.rows(), op, "rstd", expected, rstd.shape());
    }

    private static void checkChannels(String op, String arg, Tensor t, Tensor in) {
        if (t.size() != in.cols()) {
            Shapes.require(false, op, arg, "%d elements (the last axis of %s)".formatted(in.cols(), in.shape()),
                    t.shape());
        }
    }
}
