package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The attention twin by hand and against central differences, on the CPU. */
class AttentionReferenceTest {
    @Test
    void handWorkedTwoKeys() {
        // d = 1, q = 1, keys 0 and ln 3 → scores 0 and ln 3 → p = (1/4, 3/4); v = (2, 6) → out = 0.5 + 4.5 = 5
        float[] out = AttentionReference.forward(new float[] {1, 1}, new float[] {0, (float) Math.log(3)},
                new float[] {2, 6}, 1, 2, 1, 1f, false);
        assertEquals(5f, out[1], 1e-6f);
        // causal: row 0 sees only key 0, so out_0 = v_0
        assertEquals(2f, AttentionReference.forward(new float[] {1, 1}, new float[] {0, 5}, new float[] {2, 6}, 1, 2, 1, 1f,
                true)[0], 0f);
    }

    @Test
    void singleKeyReturnsItsValue() {
        float[] v = {1, -2, 3, 4};
        assertArrayEquals(v, AttentionReference.forward(new float[] {9, 9, 9, 9}, new float[] {1, 2, 3, 4}, v, 1, 1, 4,
                0.5f, false));
    }

    @Test
    void backwardMatchesCentralDifferences() {
        int bh = 2, t = 5, d = 3;
        float scale = 0.7f;
        SplittableRandom r = new SplittableRandom(3);
        float[] q = rand(r, bh * t * d), k = rand(r, bh * t * d), v = rand(r, bh * t * d), dOut = rand(r, bh * t * d);
        for (boolean causal : new boolean[] {false, true}) {
            float[][] g = AttentionReference.backward(dOut, q, k, v, bh, t, d, scale, causal);
            float[][] inputs = {q, k, v};
            for (int which = 0; which < 3; which++) {
                for (int idx : new int[] {0, 7, 17, 29}) {
                    float[] x = inputs[which];
                    float keep = x[idx], h = 1e-2f;
                    x[idx] = keep + h;
                    double plus = dot(dOut, AttentionReference.forward(q, k, v, bh, t, d, scale, causal));
                    x[idx] = keep - h;
                    double minus = dot(dOut, AttentionReference.forward(q, k, v, bh, t, d, scale, causal));
                    x[idx] = keep;
                    // float forward, h = 1e-2: central-difference error ~ h² plus float rounding / h ≈ 1e-4
                    assertEquals((plus - minus) / (2 * h), g[which][idx], 2e-3, "input " + which + " [" + idx + "] causal=" + causal);
                }
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    private static float[] rand(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }
}
