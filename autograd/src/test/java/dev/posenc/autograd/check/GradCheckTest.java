package dev.posenc.autograd.check;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GradCheckTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    static List<GradCheckSuite.Case> cases() { return GradCheckSuite.cases(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferencesOfTheDoubleReference(GradCheckSuite.Case c) {
        GradCheck.Report report = c.check(backend);
        assertTrue(report.within(GradCheck.DEFAULT_TOLERANCE), report::describe);
    }

    @Test
    void aBackwardOffByOnePercentFails() {
        // tanh whose backward is scaled by 1.01: a subtle bug the checker must catch.
        GradCheck.EngineOp wrongTanh = (tape, in) -> {
            Var x = in.getFirst();
            Tensor y = tape.alloc(x.shape());
            backend.unary(UnaryOp.TANH, y, x.value());
            return tape.record("tanh_off_by_1%", y, List.of(x), dy -> {
                Tensor right = tape.alloc(x.shape());
                backend.unaryBackward(UnaryOp.TANH, right, dy, x.value(), y);
                backend.axpy(x.grad(), 1.01f, right);
            });
        };
        try (Arena arena = Arena.ofShared()) {
            Tensor x = new Rng(5).normal(arena, Shape.of(5, 3));
            GradCheck.Report report = GradCheck.check(backend, "tanh_off_by_1%", wrongTanh,
                    in -> Reference64.unary(UnaryOp.TANH, in.getFirst()), List.of(x), 17);
            assertFalse(report.within(GradCheck.DEFAULT_TOLERANCE), report::describe);
            assertEquals(0.01 / 1.01, report.maxRelError(), 1e-4, report::describe);
        }
    }

    @Test
    void aMissingGradientContributionFails() {
        // x ⊙ x whose backward forgets the second use: analytic x·dy instead of 2x·dy.
        GradCheck.EngineOp forgetful = (tape, in) -> {
            Var x = in.getFirst();
            Tensor y = tape.alloc(x.shape());
            backend.mul(y, x.value(), x.value());
            return tape.record("square_half_gradient", y, List.of(x), dy -> {
                Tensor t = tape.alloc(x.shape());
                backend.mul(t, dy, x.value());
                backend.axpy(x.grad(), 1f, t);
            });
        };
        try (Arena arena = Arena.ofShared()) {
            Tensor x = new Rng(6).normal(arena, Shape.of(3, 5));
            GradCheck.Report report = GradCheck.check(backend, "square", forgetful,
                    in -> Reference64.mul(in.getFirst(), in.getFirst()), List.of(x), 3);
            assertFalse(report.within(GradCheck.DEFAULT_TOLERANCE), report::describe);
        }
    }

    @Test
    void relativeErrorUsesTheFloorNearZero() {
        assertEquals(0.01, GradCheck.relativeError(1.0, 0.99, 1e-3), 1e-12);
        assertEquals(1e-3, GradCheck.relativeError(1e-6, 0, 1e-3), 1e-12, "tiny absolute errors are measured against the floor");
        assertEquals(Double.POSITIVE_INFINITY, GradCheck.relativeError(Double.NaN, 1, 1e-3));
    }

    @Test
    void erfReferenceMatchesKnownValues() {
        // Values from Abramowitz and Stegun table 7.1 and erf(∞) = 1, both sides of the series/fraction switch.
        assertEquals(0.0, Reference64.erf(0), 0);
        assertEquals(0.520499877813047, Reference64.erf(0.5), 1e-14);
        assertEquals(0.842700792949715, Reference64.erf(1), 1e-14);
        assertEquals(-0.995322265018953, Reference64.erf(-2), 1e-14);
        assertEquals(0.999977909503001, Reference64.erf(3), 1e-14);
        assertEquals(0.999999984582742, Reference64.erf(4), 1e-14);
        assertEquals(Reference64.erf(2.9999999), Reference64.erf(3.0000001), 1e-9, "continuous at the switch");
    }

    @Test
    void suiteTableListsEveryCase() {
        List<GradCheckSuite.Row> rows = GradCheckSuite.run(backend);
        assertEquals(GradCheckSuite.cases().size(), rows.size());
        String table = GradCheckSuite.table(rows);
        for (GradCheckSuite.Row r : rows) {
            assertTrue(r.pass(), r.report()::describe);
            assertTrue(table.contains(r.op()), r.op());
        }
        assertTrue(table.contains("%d of %d ops".formatted(rows.size(), rows.size())), table);
    }
}
