package dev.posenc.models.graph;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.graph.Csr;
import dev.posenc.core.graph.Generators;
import dev.posenc.core.graph.Graph;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The pair tasks' splits, ROC-AUC, anchors, GIR's path matrix, and that each model trains. */
class PairTaskTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @Test
    void aucIsTheMannWhitneyStatistic() {
        // sklearn's documented example: 3 of the 4 positive–negative pairs are ordered right.
        assertEquals(0.75, RocAuc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new float[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0.5, RocAuc.of(new double[] {2, 2}, new float[] {1, 0}), 1e-12);   // a tie counts one half
        assertEquals(0.0, RocAuc.of(new double[] {1, 2}, new float[] {1, 0}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new double[] {1, 2}, new float[] {1, 1}));
    }

    @Test
    void gridLinkHoldsOutTwentyPercentAndSamplesTrueNegatives() {
        PairTask t = PairTask.gridLink(4);
        Graph full = Generators.grid(20, 20);
        assertEquals(608, t.train().size());
        assertEquals(608, t.graph().edges());
        assertEquals(2 * 76, t.val().size());
        assertEquals(2 * 76, t.test().size());
        for (PairTask.Pairs p : new PairTask.Pairs[] {t.val(), t.test()}) {
            for (int i = 0; i < p.size(); i++) {
                boolean edge = full.hasEdge(p.u()[i], p.v()[i]);
                assertEquals(p.label()[i] == 1f, edge, "pair " + i);
                assertFalse(t.graph().hasEdge(p.u()[i], p.v()[i]), "a held-out pair is not in the seen graph");
            }
        }
        PairTask again = PairTask.gridLink(4);
        assertArrayEquals(t.test().u(), again.test().u());
        assertFalse(Arrays.equals(t.test().u(), PairTask.gridLink(5).test().u()));
        PairTask.Pairs neg = t.trainNegatives(100, new SplittableRandom(1));
        for (int i = 0; i < 100; i++) assertFalse(t.positive().contains(PairTask.key(neg.u()[i], neg.v()[i], 400)));
    }

    @Test
    void communityPairsAreSameCommunityOrNot() {
        PairTask t = PairTask.communityPairs(2);
        assertEquals(3800 - 760, t.train().size());
        for (int i = 0; i < t.test().size(); i++) {
            boolean same = t.test().u()[i] / 20 == t.test().v()[i] / 20;
            assertEquals(t.test().label()[i] == 1f, same);
        }
    }

    @Test
    void anchorsAreDistinctAndBounded() {
        assertEquals(75, Anchors.defaultCount(400));
        int[] a = Anchors.draw(400, 75, 9);
        assertEquals(75, Arrays.stream(a).distinct().count());
        var e = assertThrows(IllegalArgumentException.class, () -> Anchors.draw(400, 401, 9));
        assertEquals("--anchors: expected 1 to 400 (the graph's nodes), got 401", e.getMessage());
    }

    @Test
    void girListensOnlyToPredecessorsOnShortestPaths() {
        // Square 0–1–3–2–0 with anchors {0, 3}. From anchor 0: node 3 has two predecessors (1 and 2), each weight ½.
        Graph g = Graph.of(4, new int[] {0, 1, 3, 2}, new int[] {1, 3, 2, 0}, false);
        Csr p = Gir.pathMatrix(g, new int[] {0, 3});
        int row = 3 * 2;                       // node 3, anchor index 0
        assertArrayEquals(new int[] {1 * 2, 2 * 2}, Arrays.copyOfRange(p.col(), p.rowPtr()[row], p.rowPtr()[row + 1]));
        assertEquals(0.5f, p.value(p.rowPtr()[row]));
        assertEquals(0, p.rowPtr()[1] - p.rowPtr()[0], "the anchor itself has no predecessor");
        assertArrayEquals(new int[] {3 * 2 + 1}, Arrays.copyOfRange(p.col(), p.rowPtr()[2 * 2 + 1], p.rowPtr()[2 * 2 + 2]));
    }

    @Test
    void everyModelLowersItsTrainingLoss() {
        PairTask t = PairTask.link("small-grid", Generators.grid(7, 7), 0);   // small: the test stays fast
        int[] anchors = Anchors.draw(49, 5, 1);
        for (GraphModel kind : GraphModel.values()) {
            NodeEncoder m = kind.build(t.graph(), anchors, new GraphModel.Sizes(16, 16, 2, 8), 3);
            try (var store = m.store(); Tape tape = new Tape(backend);
                 var adam = new dev.posenc.models.optim.Adam(store, dev.posenc.core.AdamConfig.adam(0.01f))) {
                SplittableRandom rng = new SplittableRandom(1);
                PairTask.Pairs neg = t.trainNegatives(t.train().size(), rng);   // fixed negatives: a fixed loss to lower
                float[] y = new float[2 * t.train().size()];
                Arrays.fill(y, 0, t.train().size(), 1f);
                double first = 0, last = 0;
                for (int epoch = 0; epoch < 15; epoch++) {
                    tape.reset();
                    store.zeroGrad();
                    Var loss = dev.posenc.autograd.ops.BinaryCrossEntropy.withLogits(tape,
                            PairTrainer.scores(tape, m.embed(tape), t.train(), neg), y);
                    tape.backward(loss);
                    adam.step(backend);
                    if (epoch == 0) first = loss.value().get(0);
                    last = loss.value().get(0);
                }
                assertTrue(last < first, kind.label() + ": loss " + first + " -> " + last);
            }
        }
    }
}
