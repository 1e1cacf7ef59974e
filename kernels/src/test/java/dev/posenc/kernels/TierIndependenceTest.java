package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The two pieces every kernel's tier independence rests on: {@link Lanes#sum} and {@link Exp} give the same bits
 * in the interpreter as in C2-compiled code (a child JVM under {@code -Xint} against one warmed up under C2).
 */
class TierIndependenceTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Test
    void lanesSumIsTheHalvingTreeSum() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] a = new float[S.length()];
        for (int rep = 0; rep < 1000; rep++) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-4, 5)));
            }
            float[] t = a.clone();                           // the halving tree, by hand: t[i] += t[i + half]
            for (int half = t.length / 2; half >= 1; half /= 2) for (int i = 0; i < half; i++) t[i] += t[i + half];
            float want = t[0];
            float got = Lanes.sum(FloatVector.fromArray(S, a, 0));
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got));
            // and the same value as reduceLanes up to rounding (a different order)
            float reduced = FloatVector.fromArray(S, a, 0).reduceLanes(VectorOperators.ADD);
            double scale = 0;
            for (float x : a) scale += Math.abs(x);
            assertEquals(reduced, got, 1e-6 * scale);
        }
    }

    @Test
    void interpreterAndC2GiveTheSameBits() throws IOException, InterruptedException {
        assertEquals(probe("-Xint", "0"), probe("-XX:-TieredCompilation", "300"));
    }

    private static String probe(String mode, String passes) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", mode, "-cp",
                System.getProperty("java.class.path"), TierProbe.class.getName(), passes)
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "probe " + mode + " did not finish");
        assertEquals(0, child.exitValue(), () -> "probe " + mode + " failed:\n" + out);
        return out.lines().filter(l -> l.startsWith("tier-probe ")).findFirst()
                .orElseThrow(() -> new AssertionError("probe " + mode + " printed no hash:\n" + out));
    }
}
