package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Tensor;
import dev.posenc.core.graph.Graph;
import dev.posenc.core.io.Safetensors;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The message-passing ops against PyTorch (src/test/python/make_sparse_fixtures.py: indexing, index_add, a dense
 * D^-½(A+I)D^-½ product, BCEWithLogits), output and input gradient; and a hand-worked gather backward.
 */
class SparseFixtureTest {
    /** float32 sums of at most 4 terms against float64 rounded once. */
    private static final double RTOL = 1e-6;
    /** Elements near zero keep the absolute rounding of their O(1) terms. */
    private static final double ATOL = 1e-6;
    private static final int[] SRC = {0, 0, 1, 1, 2, 3, 3, 4, 2}, DST = {1, 2, 2, 3, 4, 4, 5, 5, 5};

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @Test void gatherMatchesTorchIndexing() throws Exception { check("sparse_gather", "x", (t, x) -> Sparse.gather(t, x, SRC)); }

    @Test void segmentSumMatchesIndexAdd() throws Exception { check("segment_sum", "m", (t, m) -> Sparse.segmentSum(t, m, DST, 7)); }

    @Test void gcnProductMatchesDenseNormalisedAdjacency() throws Exception {
        Sparse.Operator gcn = Sparse.Operator.of(Graph.of(7, SRC, DST, false).gcnNormalized());
        check("spmm_gcn", "x", (t, x) -> Sparse.apply(t, gcn, x));
    }

    @Test void bceMatchesTorch() throws Exception {
        check("bce_with_logits", "s", (t, s) -> BinaryCrossEntropy.withLogits(t, s, new float[] {1, 0, 0, 1, 1, 0, 1}));
    }

    @Test
    void gatherBackwardAddsEveryEdgeThatReadANode() {
        // x (3, 1) read by index [2, 0, 2]: dOut = [1, 10, 100] gives dx = [10, 0, 101].
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Var x = t.variable(Tensor.of(arena, dev.posenc.core.Shape.of(3, 1), 5, 6, 7));
            Var out = Sparse.gather(t, x, new int[] {2, 0, 2});
            assertArrayEquals(new float[] {7, 5, 7}, out.value().toArray());
            t.backward(out, Tensor.of(arena, dev.posenc.core.Shape.of(3, 1), 1, 10, 100));
            assertArrayEquals(new float[] {10, 0, 101}, x.grad().toArray());
        }
    }

    private static void check(String name, String input, BiFunction<Tape, Var, Var> op) throws Exception {
        Path file = Path.of(SparseFixtureTest.class.getResource("/fixtures/" + name + ".safetensors").toURI());
        try (Arena arena = Arena.ofShared(); Tape t = new Tape(backend)) {
            Safetensors.Contents c = Safetensors.read(file, arena);
            Var x = t.variable(c.get(input));
            Var out = op.apply(t, x);
            assertClose(name + " out", c.get("out"), out.value());
            t.backward(out, c.get("grad_out"));
            assertClose(name + " grad_" + input, c.get("grad_" + input), x.grad());
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.size(), actual.size(), what);
        Compare cmp = Compare.of(expected.toArray(), actual.toArray(), ATOL, RTOL);
        assertTrue(cmp.ok(), () -> what + ": " + cmp.describe());
    }
}
