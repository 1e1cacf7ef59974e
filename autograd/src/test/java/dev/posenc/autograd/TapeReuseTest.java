package dev.posenc.autograd;

import dev.posenc.autograd.ops.Activations;
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
