package dev.posenc.models.analysis.ntk;

import dev.posenc.core.Tensor;

import java.util.SplittableRandom;

/**
 * The spectral-bias experiment's signal and measurements (Tancik et al. 2020 §3 and the blog in
 * shared/seeds): a sum of equal-amplitude sinusoids on the uniform grid x_j = j/N, the error of each of its
 * frequencies from the DFT of the residual, and the NTK's linearised prediction of that error.
 * <pre>
 *   y(x) = a Σ_k sin(2π f_k x + φ_k)                                φ_k seeded, uniform in [0, 2π)
 *   e_k(t) = |R_t(f_k)| / |Y(f_k)|,   R(f) = Σ_j r_j e^{−2πi f j/N}  relative error of frequency f_k at step t
 *   predicted r_t = Q diag((1 − ηλ_m/N)^t) Qᵀ r_0                   K_0 = Q Λ Qᵀ, plain GD on (1/2N)Σ r² (see GradientDescent)
 * </pre>
 * (1 − ηλ/N)^t is the exact discrete form of exp(−ηλt/N); it is what gradient descent does to a model that is
 * linear in its parameters, and an approximation (the kernel moves) for the network.
 */
public final class SpectralBias {
    private SpectralBias() {}

    /** y_j = amplitude Σ_k sin(2π f_k x_j + φ_k) at positions x (N values in [0, 1)). */
    public static float[] signal(double[] x, int[] frequencies, double amplitude, double[] phases) {
        float[] y = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            double s = 0;
            for (int k = 0; k < frequencies.length; k++) s += Math.sin(2 * Math.PI * frequencies[k] * x[j] + phases[k]);
            y[j] = (float) (amplitude * s);
        }
        return y;
    }

    /**
     * The target at positions (N, M): the mean over the M axes of the 1-D signal of each coordinate, so 1-D is
     * the signal itself and 2-D is ½(y(x₁) + y(x₂)).
     */
    public static float[] signal(Tensor positions, int[] frequencies, double amplitude, double[] phases) {
        int n = positions.rows(), m = positions.cols();
        float[] y = new float[n];
        for (int axis = 0; axis < m; axis++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = positions.get(i, axis);
            float[] ya = signal(x, frequencies, amplitude, phases);
            for (int i = 0; i < n; i++) y[i] += ya[i] / m;
        }
        return y;
    }

    /** |Σ_j r_j e^{−2πi f j/N}|: the magnitude of r's DFT at integer frequency f on the uniform grid j/N. */
    public static double dftMagnitude(double[] r, int f) {
        int n = r.length;
        double re = 0, im = 0;
        for (int j = 0; j < n; j++) {
            double angle = 2 * Math.PI * ((long) f * j % n) / n;    // reduced mod N: exact angles for large f·j
            re += r[j] * Math.cos(angle);
            im -= r[j] * Math.sin(angle);
        }
        return Math.hypot(re, im);
    }

    /** e_k = |R(f_k)| / |Y(f_k)| for each frequency. */
    public static double[] relativeErrors(double[] residual, double[] y, int[] frequencies) {
        double[] e = new double[frequencies.length];
        for (int k = 0; k < frequencies.length; k++) {
            e[k] = dftMagnitude(residual, frequencies[k]) / dftMagnitude(y, frequencies[k]);
        }
        return e;
    }

    /**
     * The linearised residual after {@code t} steps of GD with rate η: Q diag((1 − ηλ/N)^t) Qᵀ r_0, with
     * (λ, Q) of the kernel at the training points and N = r_0.length.
     */
    public static double[] predictResidual(SymmetricEigen k0, double[] r0, double eta, long t) {
        int n = r0.length;
        double[][] q = k0.vectors();
        if (q == null || k0.size() != n) throw new IllegalArgumentException(
                "predict: expected the eigenvectors of an %d × %d kernel".formatted(n, n));
        double[] r = new double[n];
        for (int m = 0; m < n; m++) {
            double c = 0;
            for (int i = 0; i < n; i++) c += q[m][i] * r0[i];
            c *= Math.pow(1 - eta * k0.values()[m] / n, t);
            for (int i = 0; i < n; i++) r[i] += c * q[m][i];
        }
        return r;
    }

    /** φ_k uniform in [0, 2π) from {@code seed}. */
    public static double[] phases(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = new double[count];
        for (int k = 0; k < count; k++) p[k] = 2 * Math.PI * rng.nextDouble();
        return p;
    }
}
