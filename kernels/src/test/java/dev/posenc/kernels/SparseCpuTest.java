package dev.posenc.kernels;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.graph.Csr;
import dev.posenc.core.graph.Generators;
import dev.posenc.core.graph.Graph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

/** The row-parallel sparse product against its scalar twin, a hand-worked case, and across thread counts. */
class SparseCpuTest {
    @Test
    void handWorkedProduct() {
        // A = [[2, 0, 1], [0, 0, 0]] (row 1 empty), x = [[1, 2], [3, 4], [5, 6]]: A·x = [[7, 10], [0, 0]].
        Csr a = new Csr(2, 3, new int[] {0, 2, 2}, new int[] {0, 2}, new float[] {2, 1});
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(2)) {
            Tensor x = Tensor.of(arena, Shape.of(3, 2), 1, 2, 3, 4, 5, 6);
            Tensor out = Tensor.full(arena, Shape.of(2, 2), 9f);
            SparseCpu.spmm(p, out, a, x, false);
            assertArrayEquals(new float[] {7, 10, 0, 0}, out.toArray());
            SparseCpu.spmm(p, out, a, x, true);
            assertArrayEquals(new float[] {14, 20, 0, 0}, out.toArray());
        }
    }

    /** Widths around the vector length: the tail (fewer columns than lanes) is the twin's. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 33})
    void vectorEqualsScalarTwinBitForBit(int d) {
        Csr a = Generators.rewire(Generators.connectedCaveman(7, 5), 0.2, 3).gcnNormalized();
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(3)) {
            Tensor x = new Rng(11).normal(arena, Shape.of(a.cols(), d));
            Tensor fast = new Rng(12).normal(arena, Shape.of(a.rows(), d));
            Tensor twin = Tensor.zeros(arena, fast.shape());
            twin.copyFrom(fast);
            SparseCpu.spmm(p, fast, a, x, true);
            SparseCpu.spmmScalar(twin, a, x, true);
            assertArrayEquals(twin.toArray(), fast.toArray());
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        // Large enough to split into many tasks; a skewed row (a hub) tests the nnz-balanced split.
        Graph g = Generators.rewire(Generators.grid(120, 120), 0.05, 1);
        Csr a = g.gcnNormalized();
        try (Arena arena = Arena.ofShared()) {
            Tensor x = new Rng(2).normal(arena, Shape.of(a.cols(), 19));
            float[] first = null;
            for (int threads : new int[] {1, 2, 3, 8}) {
                try (Parallel p = new Parallel(threads)) {
                    Tensor out = Tensor.zeros(arena, Shape.of(a.rows(), 19));
                    SparseCpu.spmm(p, out, a.transpose(), x, false);
                    if (first == null) first = out.toArray();
                    else assertArrayEquals(first, out.toArray(), threads + " threads");
                }
            }
        }
    }

    @Test
    void rowBoundsCoverEveryRowOnce() {
        Csr a = Csr.segments(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, 6);
        int[] b = SparseCpu.rowBounds(a, 4);
        assertEquals(0, b[0]);
        assertEquals(6, b[4]);
        for (int t = 0; t < 4; t++) assertTrue(b[t] <= b[t + 1]);
    }

    @Test
    void wrongShapesAreRefused() {
        Csr a = Csr.gather(new int[] {0, 1}, 2);
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(1)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> SparseCpu.spmm(p, Tensor.zeros(arena, 2, 3), a, Tensor.zeros(arena, 3, 3), false));
            assertTrue(e.getMessage().startsWith("spmm: x: expected 2 rows"), e.getMessage());
        }
    }
}
