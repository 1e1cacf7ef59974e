package dev.posenc.autograd;

import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A tape reused with reset(): no native allocation after the first step, same numbers as fresh tapes. */
class TapeReuseTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @Test
    void stepsAfterTheFirstAllocateNothingAndMatchFreshTapes() {
        try (Arena model = Arena.ofShared(); Tape reused = new Tape(backend)) {
            Problem a = new Problem(model), b = new Problem(model);
            int afterFirst = -1;
            for (int step = 0; step < 6; step++) {
                reused.reset();
                float lossReused = a.step(reused);
                if (step == 0) {
                    assertTrue(reused.memoryGrowths() > 0, "the first step must have allocated");
                } else if (step == 1) {
                    afterFirst = reused.memoryGrowths(); // reset() after step 0 consolidated into one slab
                } else {
                    assertEquals(afterFirst, reused.memoryGrowths(), "step " + step + " allocated native memory");
                }
                float lossFresh;
                try (Tape fresh = new Tape(backend)) {
                    lossFresh = b.step(fresh);
                }
                assertEquals(lossFresh, lossReused, 0f, "step " + step);
                for (int i = 0; i < a.params.size(); i++) {
                    assertArrayEquals(b.params.get(i).value().toArray(), a.params.get(i).value().toArray(), 0f,
                            "parameter " + i + " after step " + step);
                }
            }
        }
    }

    @Test
    void resetMemoryIsZeroedAndALargerStepGrowsOnce() {
        try (Tape tape = new Tape(backend)) {
            Tensor t = tape.alloc(Shape.of(7, 3));
            backend.fill(t, 5f);
            tape.reset();
            int growths = tape.memoryGrowths();
            Tensor again = tape.alloc(Shape.of(7, 3));
            assertEquals(t.data().address(), again.data().address(), "the same offset is handed out again");
            for (float v : again.toArray()) assertEquals(0f, v);
            tape.alloc(Shape.of(1000));                       // more than the slab holds: overflow
            assertEquals(growths + 1, tape.memoryGrowths());
            tape.reset();                                      // one larger slab replaces slab and overflow
            assertEquals(growths + 2, tape.memoryGrowths());
            tape.alloc(Shape.of(7, 3));
            tape.alloc(Shape.of(1000));
            assertEquals(growths + 2, tape.memoryGrowths());
            assertEquals(0, tape.alloc(Shape.of(0)).size());
        }
    }

    /** Uninitialised step memory is not zeroed: it shows the last step's values, the sign no pass was spent. */
    @Test
    void uninitialisedMemoryKeepsTheLastStepsValuesWhileAllocStillZeroes() {
        try (Tape tape = new Tape(backend)) {
            for (int step = 0; step < 2; step++) {            // the first step's reset replaces its memory
                backend.fill(tape.alloc(Shape.of(5, 3)), 5f);
                backend.fill(tape.alloc(Shape.of(17)), 7f);
                tape.reset();
            }
            Tensor stale = tape.allocUninitialized(Shape.of(5, 3)), zeroed = tape.alloc(Shape.of(17));
            for (float v : stale.toArray()) assertEquals(5f, v);
            for (float v : zeroed.toArray()) assertEquals(0f, v);
        }
    }

    /**
     * A step-local gradient's first writer overwrites stale step memory (gradAccumulates() false), the next
     * one adds: loss = mean((relu x + relu x)²) over n elements, so dL/dx = 8·relu(x)/n, whatever the memory held.
     */
    @Test
    void aFreshGradientIsWrittenByItsFirstUseAndAddedToByTheNext() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Tensor x0 = new Rng(5).normal(arena, Shape.of(7, 5));
            for (int step = 0; step < 2; step++) {                 // step 1 reuses memory full of step 0's values
                tape.reset();
                backend.fill(tape.allocUninitialized(Shape.of(64, 64)), Float.NaN);
                tape.reset();
                Var x = tape.variable(x0);
                Var y = Elementwise.add(tape, Activations.relu(tape, x), Activations.relu(tape, x));
                tape.backward(Losses.mse(tape, y, tape.constant(Tensor.zeros(arena, Shape.of(7, 5)))));
                float[] xs = x0.toArray(), g = x.grad().toArray();
                for (int i = 0; i < xs.length; i++) assertEquals(8 * Math.max(xs[i], 0f) / xs.length, g[i], 1e-6f);
            }
            Var fresh = tape.variable(x0);
            assertFalse(fresh.gradAccumulates(), "the first writer overwrites");
            assertTrue(fresh.gradAccumulates(), "later writers add");
            Var p = Var.parameter(x0, Tensor.zeros(arena, Shape.of(7, 5)));
            assertTrue(p.gradAccumulates(), "a parameter's gradient is always added to");
            assertThrows(IllegalStateException.class, () -> tape.constant(x0).gradAccumulates());
        }
    }

    @Test
    void backwardTwiceNeedsAReset() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Var w = Var.parameter(Tensor.of(arena, Shape.of(1, 2), 1, 2), Tensor.zeros(arena, Shape.of(1, 2)));
            Var x = tape.constant(Tensor.of(arena, Shape.of(1, 2), 3, 4));
            Var zero = tape.constant(Tensor.zeros(arena, Shape.of(1, 1)));
            tape.backward(Losses.mse(tape, Linear.apply(tape, x, w, null), zero));
            assertThrows(IllegalStateException.class, () -> tape.backward(tape.variable(tape.alloc(Shape.of()))));
            tape.reset();
            assertEquals(0, tape.size());
            tape.backward(Losses.mse(tape, Linear.apply(tape, x, w, null), zero));
            // y = 11 both times: dL/dw = 2·11·x, twice (parameters accumulate across steps until zeroed)
            assertArrayEquals(new float[] {132, 176}, w.grad().toArray(), 1e-4f);
        }
    }

    /** mse(Linear(GELU(Linear(FourierFeatures(x))))) with plain SGD: the shape of a training step. */
    private static final class Problem {
        final List<Var> params;
        final Tensor x, target;

        Problem(Arena arena) {
            Rng rng = new Rng(3);
            x = rng.uniform(arena, Shape.of(17, 2), 0, 1);
            target = rng.uniform(arena, Shape.of(17, 3), 0, 1);
            params = List.of(param(arena, rng, 5, 2), param(arena, rng, 9, 10), param(arena, rng, 9),
                    param(arena, rng, 3, 9), param(arena, rng, 3));
        }

        float step(Tape tape) {
            for (Var v : params) backend.fill(v.grad(), 0f);
            Var r = FourierFeatures.apply(tape, tape.constant(x), params.get(0));
            Var h = Activations.gelu(tape, Linear.apply(tape, r, params.get(1), params.get(2)));
            Var loss = Losses.mse(tape, Linear.apply(tape, h, params.get(3), params.get(4)), tape.constant(target));
            tape.backward(loss);
            for (Var v : params) backend.axpy(v.value(), -0.1f, v.grad());
            return loss.value().get(0);
        }

        private static Var param(Arena arena, Rng rng, int... dims) {
            Shape s = Shape.of(dims);
            return Var.parameter(rng.normal(arena, s, 0f, 0.5f), Tensor.zeros(arena, s));
        }
    }
}
