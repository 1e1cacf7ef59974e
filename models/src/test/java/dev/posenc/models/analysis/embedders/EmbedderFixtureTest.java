package dev.posenc.models.analysis.embedders;

import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedding, its stable rank and five Adam steps of the linear layer against PyTorch
 * ({@code models/src/test/python/make_embedder_fixtures.py}, float64).
 */
class EmbedderFixtureTest {
    /** Both sides in double for the embedding and stable rank. */
    private static final double DOUBLE_TOL = 1e-12;
    /** The fit runs in float32 here, float64 there: predictions agree to ~1e-7, PSNR (about 7 dB) to ~1e-5 dB. */
    private static final double PSNR_TOL_DB = 1e-3;

    @Test
    void matchesPyTorch() throws IOException {
        Map<String, double[]> f = fixture();
        double[] y = f.get("signal y");
        double[][] split;
        try (CpuBackend backend = new CpuBackend(1)) {
            for (var c : new Object[][] {{Embedder.GAUSSIAN, 0.2}, {Embedder.TRIANGLE, 0.25}}) {
                Embedder e = (Embedder) c[0];
                double p = (double) c[1];
                String key = e.label() + " " + p + " ";
                double[] emb = Embedder.normalised(e.embed(EmbeddersAnalysis.grid(9), p, 6, 0), 6);
                double[] want = f.get(key + "emb");
                for (int i = 0; i < want.length; i++) assertEquals(want[i], emb[i], DOUBLE_TOL, key + "emb[" + i + "]");
                split = EmbeddersAnalysis.split(emb, y, 6);
                assertEquals(f.get(key + "stable_rank")[0], StableRank.of(split[0], 5, 6), DOUBLE_TOL, key + "stable rank");
                var fit = EmbeddingFit.fit(backend, split[0], split[1], split[2], split[3], 6, 0, 1, 5, 1e-2, 0);
                assertEquals(f.get(key + "train_psnr")[0], fit.trainPsnr(), PSNR_TOL_DB, key + "train");
                assertEquals(f.get(key + "test_psnr")[0], fit.testPsnr(), PSNR_TOL_DB, key + "test");
            }
        }
    }

    /** "name param field v1 v2 ..." lines, keyed by "name param field". */
    private static Map<String, double[]> fixture() throws IOException {
        Map<String, double[]> m = new HashMap<>();
        try (InputStream in = EmbedderFixtureTest.class.getResourceAsStream("/embedder-fixtures/embedders.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] t = line.split(" ");
                int head = line.startsWith("signal y ") ? 2 : 3;    // "signal y v..." has no parameter
                m.put(String.join(" ", Arrays.copyOf(t, head)),
                        Arrays.stream(t, head, t.length).mapToDouble(Double::parseDouble).toArray());
            }
        }
        return m;
    }
}
