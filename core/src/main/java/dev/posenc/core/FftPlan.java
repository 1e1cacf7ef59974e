package dev.posenc.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a complex FFT of length n needs that does not depend on the data: its Stockham stages (radix 4
 * first, then 2, 3, 5, then any other prime as a plain DFT of that length), their twiddles, the four-step split
 * used for single long transforms, and the twiddles of the real transform of length 2n built on it.
 * Twiddles are computed in double (angle reduced mod n first) and rounded once to float.
 *
 * <p>In {@code core} because both backends read it: the CPU's FftCpu and the GPU's FftCuda use the very same
 * twiddles. Immutable by contract: the accessors return the plan's own arrays (no copy on the hot path), which
 * callers only read. {@link #of} caches one plan per length in a concurrent map, so any thread may share them.
 */
public final class FftPlan {
    /** Single transforms from this length on go through the four-step route: both factors then reach 16 lanes. */
    public static final int FOUR_STEP_MIN = 256;
    private static final ConcurrentHashMap<Integer, FftPlan> CACHE = new ConcurrentHashMap<>();

    private final int n;
    /** Stage s: radix[s], m[s] = (length left before the stage) / radix[s], stride[s] = product of earlier radices. */
    private final int[] radix, m, stride;
    /** Stage s, twiddle W_{radix·m}^{j·r} = exp(−2πi·j·r / (radix·m)) at [j·(radix − 1) + r − 1], j < m, 1 ≤ r < radix. */
    private final float[][] twRe, twIm;
    /** Four-step split n = n1·n2 (0 when not used) and its twiddles W_n^{k1·j2} at [k1·n2 + j2]. */
    private final int n1, n2;
    private final float[] fourRe, fourIm;
    /** The real transform of length 2n: W_{2n}^k = exp(−πi·k/n) for k = 0…n. */
    private final float[] realRe, realIm;

    private FftPlan(int n) {
        if (n < 1) throw new IllegalArgumentException("n: expected a transform length >= 1, got " + n);
        this.n = n;
        int[] radices = factor(n);
        int stages = radices.length;
        radix = radices;
        m = new int[stages];
        stride = new int[stages];
        twRe = new float[stages][];
        twIm = new float[stages][];
        int left = n, s = 1;
        for (int st = 0; st < stages; st++) {
            int p = radix[st];
            m[st] = left / p;
            stride[st] = s;
            twRe[st] = new float[m[st] * (p - 1)];
            twIm[st] = new float[m[st] * (p - 1)];
            for (int j = 0; j < m[st]; j++) {
                for (int r = 1; r < p; r++) {
                    double a = -2 * Math.PI * ((long) j * r % left) / left;
                    twRe[st][j * (p - 1) + r - 1] = (float) Math.cos(a);
                    twIm[st][j * (p - 1) + r - 1] = (float) Math.sin(a);
                }
            }
            left /= p;
            s *= p;
        }
        int split = n >= FOUR_STEP_MIN ? fourStepSplit(n) : 0;
        n1 = split;
        n2 = split == 0 ? 0 : n / split;
        fourRe = new float[split == 0 ? 0 : n];
        fourIm = new float[fourRe.length];
        for (int k1 = 0; k1 < n1; k1++) {
            for (int j2 = 0; j2 < n2; j2++) {
                double a = -2 * Math.PI * ((long) k1 * j2 % n) / n;
                fourRe[k1 * n2 + j2] = (float) Math.cos(a);
                fourIm[k1 * n2 + j2] = (float) Math.sin(a);
            }
        }
        realRe = new float[n + 1];
        realIm = new float[n + 1];
        for (int k = 0; k <= n; k++) {
            double a = -Math.PI * k / n;
            realRe[k] = (float) Math.cos(a);
            realIm[k] = (float) Math.sin(a);
        }
    }

    /** The transform length. */
    public int length() { return n; }

    /** The number of Stockham stages. */
    public int stages() { return radix.length; }

    /** Stage s's radix p, its m (sub-length / p) and its stride (product of the earlier radices). */
    public int radix(int s) { return radix[s]; }

    public int m(int s) { return m[s]; }

    public int stride(int s) { return stride[s]; }

    /** Stage s's twiddles, W^{j·r} at [j·(p − 1) + r − 1] (the plan's own array: read only). */
    public float[] twiddlesRe(int s) { return twRe[s]; }

    public float[] twiddlesIm(int s) { return twIm[s]; }

    /** The four-step split n = n1·n2 used for single transforms; n1 = 0 when there is none. */
    public int fourStepN1() { return n1; }

    public int fourStepN2() { return n2; }

    /** The four-step twiddles W_n^{k1·j2} at [k1·n2 + j2] (read only). */
    public float[] fourStepRe() { return fourRe; }

    public float[] fourStepIm() { return fourIm; }

    /** W_{2n}^k for k = 0 … n, for the real transform of length 2n (read only). */
    public float[] realTwiddlesRe() { return realRe; }

    public float[] realTwiddlesIm() { return realIm; }

    /** The plan for length n, built once and shared. */
    public static FftPlan of(int n) {
        FftPlan p = CACHE.get(n);
        if (p != null) return p;
        // built outside computeIfAbsent: a plan's constructor does not recurse, but keep the map call trivial
        FftPlan built = new FftPlan(n);
        FftPlan raced = CACHE.putIfAbsent(n, built);
        return raced != null ? raced : built;
    }

    /** Radices of n: 4s, at most one 2, then 3s, 5s, then the remaining primes ascending. */
    public static int[] factor(int n) {
        int[] out = new int[32];
        int k = 0, left = n;
        while (left % 4 == 0) { out[k++] = 4; left /= 4; }
        if (left % 2 == 0) { out[k++] = 2; left /= 2; }
        for (int p = 3; (long) p * p <= left; p += 2) {
            while (left % p == 0) { out[k++] = p; left /= p; }
        }
        if (left > 1) out[k++] = left;
        return java.util.Arrays.copyOf(out, k);
    }

    /** The largest divisor n1 of n with n1 ≤ √n and n / n1 ≥ 16, or 0 when n has no split with both factors ≥ 16. */
    public static int fourStepSplit(int n) {
        for (int d = (int) Math.sqrt(n); d >= 16; d--) {
            if (n % d == 0) return d;
        }
        return 0;
    }

    /** The smallest 2^a·3^b·5^c ≥ n: a length whose FFT needs only radices 2 to 5. */
    public static int smoothAtLeast(int n) {
        if (n <= 1) return 1;
        long best = Long.MAX_VALUE;
        for (long a = 1; a < 2L * n; a *= 2) {
            for (long b = a; b < 2L * n; b *= 3) {
                long c = b;
                while (c < n) c *= 5;
                best = Math.min(best, c);
            }
        }
        return Math.toIntExact(best);
    }
}
