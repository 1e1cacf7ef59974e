package dev.posenc.autograd;

import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.autograd.ops.Matmul;
import dev.posenc.autograd.ops.Reductions;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

class TapeTest {
    // Hand-worked numbers here are small integers and halves: exact in float32, so exact equality is fair.
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @Test
    void linearWorkedByHand() {
        // x = [1, 2], W = [[3, 4], [0, -1]], b = [5, 0.5]:  y = x·Wᵀ + b = [1·3 + 2·4 + 5, 1·0 − 2 + 0.5] = [16, −1.5].
        // L = Σ y: dy = [1, 1], so dx = dy·W = [3, 3], dW = dyᵀ·x = [[1, 2], [1, 2]], db = [1, 1].
        try (Arena params = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Var w = Var.parameter(Tensor.of(params, Shape.of(2, 2), 3, 4, 0, -1), Tensor.zeros(params, 2, 2));
            Var b = Var.parameter(Tensor.of(params, Shape.of(2), 5, 0.5f), Tensor.zeros(params, 2));
            Var x = tape.variable(Tensor.of(tape.arena(), Shape.of(1, 2), 1, 2));
            Var y = Linear.apply(tape, x, w, b);
            assertArrayEquals(new float[] {16, -1.5f}, y.value().toArray());
            tape.backward(Reductions.sum(tape, y));
            assertArrayEquals(new float[] {3, 3}, x.grad().toArray());
            assertArrayEquals(new float[] {1, 2, 1, 2}, w.grad().toArray());
            assertArrayEquals(new float[] {1, 1}, b.grad().toArray());
        }
    }

    @Test
    void aReusedVariableAccumulatesEveryUse() {
        // L = Σ (x⊙x + 3x) ⇒ dL/dx = 2x + 3: three uses of x, three contributions added.
        try (Tape tape = new Tape(backend)) {
            Var x = tape.variable(Tensor.of(tape.arena(), Shape.of(3), 1, -2, 0.5f));
            Var y = Elementwise.add(tape, Elementwise.mul(tape, x, x), Elementwise.scale(tape, x, 3));
            tape.backward(Reductions.sum(tape, y));
            assertArrayEquals(new float[] {5, -1, 4}, x.grad().toArray());
        }
    }

    @Test
    void oneVariableOnBothSidesOfAnOpGetsBothContributions() {
        // The first write of a gradient overwrites it and the second adds (Var.gradAccumulates, asked before each):
        // C = X·Xᵀ gives dX = (J + Jᵀ)·X with J = ones, i.e. 2·[[4, 6], [4, 6]]; X + X adds 2 to every element.
        try (Tape tape = new Tape(backend)) {
            Var x = tape.variable(Tensor.of(tape.arena(), Shape.of(1, 2, 2), 1, 2, 3, 4));
            Var gram = Matmul.batched(tape, x, x, MatmulForm.NT);
            Var twice = Elementwise.add(tape, x, x);
            tape.backward(Elementwise.add(tape, Reductions.sum(tape, gram), Reductions.sum(tape, twice)));
            assertArrayEquals(new float[] {10, 14, 10, 14}, x.grad().toArray());
        }
    }

    @Test
    void parameterGradientsAddUpAcrossStepsUntilZeroed() {
        try (Arena params = Arena.ofShared()) {
            Var w = Var.parameter(Tensor.of(params, Shape.of(2), 2, -1), Tensor.zeros(params, 2));
            for (int step = 1; step <= 2; step++) {
                try (Tape tape = new Tape(backend)) {
                    tape.backward(Reductions.sum(tape, Elementwise.scale(tape, w, 4)));
                }
                assertArrayEquals(new float[] {4 * step, 4 * step}, w.grad().toArray(),
                        "the tape adds; zeroing is the optimiser's job");
            }
            assertTrue(w.grad().isAlive(), "closing a tape must not free parameter gradients");
        }
    }

    @Test
    void noGradRecordsNothingAndRestoresRecording() {
        try (Tape tape = new Tape(backend)) {
            Var x = tape.variable(Tensor.of(tape.arena(), Shape.of(2), 1, 2));
            try (var _ = tape.noGrad()) {
                Var y = Activations.tanh(tape, Elementwise.mul(tape, x, x));
                try (var _ = tape.noGrad()) {
                    Elementwise.add(tape, y, y);
                }
                assertEquals(0, tape.size());
                assertFalse(y.requiresGrad());
                assertThrows(IllegalStateException.class, y::grad);
            }
            Var z = Elementwise.scale(tape, x, 2);
            assertEquals(1, tape.size(), "recording resumes after the scope");
            assertTrue(z.requiresGrad());
        }
    }

    @Test
    void opsOnConstantsRecordNothing() {
        try (Tape tape = new Tape(backend)) {
            Var c = tape.constant(Tensor.of(tape.arena(), Shape.of(2), 1, 2));
            Var y = Elementwise.mul(tape, c, c);
            assertEquals(0, tape.size());
            var e = assertThrows(IllegalArgumentException.class, () -> tape.backward(Reductions.sum(tape, y)));
            assertTrue(e.getMessage().contains("constant"), e.getMessage());
        }
    }

    @Test
    void finiteCheckNamesTheFirstOpThatMadeANaN() {
        try (Tape tape = new Tape(backend, true)) {
            Var x = tape.variable(Tensor.of(tape.arena(), Shape.of(3), 1, -1, 2));
            Var y = Elementwise.scale(tape, x, 2);                    // finite
            var e = assertThrows(Tape.NonFiniteException.class, () -> Activations.log(tape, y)); // log(−2) = NaN
            assertEquals("op log produced NaN (first at index 1) in its output (3,)", e.getMessage());
            assertEquals("log", e.op());
        }
    }

    @Test
    void finiteCheckCatchesAGradientThatOverflowsInBackward() {
        // log at the smallest float: the forward, log(1.4e-45) = −103.3, is finite; the derivative 1/x = 7e44
        // overflows float32 to Inf. The check must blame log's backward.
        try (Tape tape = new Tape(backend, true)) {
            Var x = tape.variable(Tensor.of(tape.arena(), Shape.of(2), Float.MIN_VALUE, 1f));
            Var loss = Reductions.sum(tape, Activations.log(tape, x));
            var e = assertThrows(Tape.NonFiniteException.class, () -> tape.backward(loss));
            assertEquals("op log produced Inf (first at index 0) in its backward, in the gradient of input 0 (2,)",
                    e.getMessage());
        }
    }

    @Test
    void badInputsAreRejectedWithOpAndArgument() {
        try (Tape tape = new Tape(backend)) {
            Var a = tape.variable(tape.alloc(5, 3)), b = tape.variable(tape.alloc(3, 5));
            var e = assertThrows(IllegalArgumentException.class, () -> Elementwise.add(tape, a, b));
            assertTrue(e.getMessage().contains("add: b: expected (5, 3), got (3, 5)"), e.getMessage());
            var w = tape.variable(tape.alloc(7, 4));
            var l = assertThrows(IllegalArgumentException.class, () -> Linear.apply(tape, a, w, null));
            assertTrue(l.getMessage().contains("linear: w: expected (Out, 3), got (7, 4)"), l.getMessage());
            var ce = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(tape, a, new int[] {0, 1, 2, 3, 3}));
            assertTrue(ce.getMessage().contains("cross_entropy: labels[3]: expected in [0, 3), got 3"), ce.getMessage());
            Var loss = Reductions.sum(tape, a);
            tape.backward(loss);
            var twice = assertThrows(IllegalStateException.class, () -> tape.backward(loss));
            assertTrue(twice.getMessage().contains("already"), twice.getMessage());
            assertThrows(IllegalArgumentException.class, () -> tape.backward(a), "a loss must have one element");
        }
    }

    @Test
    void closingTheTapeFreesActivations() {
        Tensor kept;
        try (Tape tape = new Tape(backend)) {
            Var x = tape.variable(tape.alloc(3));
            kept = Elementwise.scale(tape, x, 2).value();
        }
        assertThrows(IllegalStateException.class, () -> kept.get(0));
    }
}
