package dev.posenc.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the embedding gather and the cross-entropy labels as tensors in backend memory (so a device step moves
 * neither). On the CPU the new routes give the old routes' bits; a hand-worked scatter-add pins the order.
 */
class EmbeddingAndLabelsTest {
    @Test
    void scatterAddAddsRepeatedRowsInIndexOrder() {
        try (Backend be = new CpuBackend(1); Arena arena = Arena.ofConfined()) {
            Tensor dTable = Tensor.of(arena, Shape.of(3, 2), 1, 1, 0, 0, 0, 0);
            Tensor dOut = Tensor.of(arena, Shape.of(3, 2), 1e8f, 2, 3, 4, -1e8f, 5);
            Tensor index = Tensor.of(arena, Shape.of(3), 0, 2, 0);
            be.scatterAddRows(dTable, dOut, index);
            // row 0: ((1 + 1e8) + −1e8) = 0 in float (1 + 1e8 rounds to 1e8); in another order it would be 1
            assertArrayEquals(new float[] {0, 1 + 2 + 5, 0, 0, 3, 4}, dTable.toArray());
            Tensor out = Tensor.zeros(arena, Shape.of(3, 2));
            be.gatherRows(out, Tensor.of(arena, Shape.of(3, 2), 1, 2, 3, 4, 5, 6), index);
            assertArrayEquals(new float[] {1, 2, 5, 6, 1, 2}, out.toArray());
        }
    }

    @Test
    void tensorIndexGivesTheIntIndexBits() {
        int[] index = {3, 0, 3, 1, 4, 3};
        float[][] values = new float[2][], grads = new float[2][];
        for (int route = 0; route < 2; route++) {
            try (Backend be = new CpuBackend(2); Arena arena = Arena.ofShared(); Tape tape = new Tape(be)) {
                Var table = tape.variable(new Rng(5).normal(arena, Shape.of(5, 7)));
                Tensor idx = Tensor.zeros(arena, Shape.of(index.length));
                for (int i = 0; i < index.length; i++) idx.set(i, index[i]);
                Var out = route == 0 ? Embedding.gather(tape, table, index) : Embedding.gather(tape, table, idx);
                Var loss = Losses.mse(tape, out, tape.constant(new Rng(6).normal(arena, out.shape())));
                tape.backward(loss);
                values[route] = out.value().toArray();
                grads[route] = table.grad().toArray();
            }
        }
        assertArrayEquals(values[0], values[1], 0);
        assertArrayEquals(grads[0], grads[1], 0);
    }

    @Test
    void labelTensorsGiveTheIntLabelsBits() {
        int[] labels = {2, 0, 4, 4, 1};
        double[] loss = new double[2];
        float[][] grads = new float[2][];
        for (int route = 0; route < 2; route++) {
            try (Backend be = new CpuBackend(2); Arena arena = Arena.ofShared(); Tape tape = new Tape(be);
                 var region = be.memory().region()) {
                Var logits = tape.variable(new Rng(7).normal(arena, Shape.of(5, 6)));
                Var l = route == 0 ? Losses.crossEntropy(tape, logits, labels)
                        : Losses.crossEntropy(tape, logits, Losses.labels(be.memory(), region, labels, 6));
                tape.backward(l);
                loss[route] = l.value().get(0);
                grads[route] = logits.grad().toArray();
            }
        }
        assertEquals(loss[0], loss[1], 0);
        assertArrayEquals(grads[0], grads[1], 0);
    }

    @Test
    void badIndicesAndLabelsAreNamed() {
        try (Backend be = new CpuBackend(1); Arena arena = Arena.ofConfined()) {
            Tensor table = Tensor.zeros(arena, Shape.of(3, 2)), out = Tensor.zeros(arena, Shape.of(1, 2));
            var e = assertThrows(IllegalArgumentException.class,
                    () -> be.gatherRows(out, table, Tensor.of(arena, Shape.of(1), 1.5f)));
            assertEquals("embedding: index[0]: expected a row number in [0, 3), got 1.5", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> be.gatherRows(Tensor.zeros(arena, Shape.of(2, 2)), table, Tensor.of(arena, Shape.of(1), 0)));
            assertEquals("gatherRows: rows: expected 1 × 2 elements, got (2, 2)", e.getMessage());
            Tensor logits = Tensor.zeros(arena, Shape.of(1, 3)), loss = Tensor.zeros(arena, Shape.of());
            e = assertThrows(IllegalArgumentException.class,
                    () -> be.crossEntropyTo(loss, logits, Tensor.of(arena, Shape.of(1), 0.5f)));
            assertEquals("crossEntropyTo: labels[0]: expected a whole class index, got 0.5", e.getMessage());
        }
    }
}
