package dev.posenc.autograd.check;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Reference64;
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
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
    void everyRuleInTheTableIsChecked() {
        // The table's rows are its public xBackward methods; each must be some case's rule, and each case's rule a row.
        Set<String> rows = new TreeSet<>();
        for (Method method : Reference64.class.getDeclaredMethods()) {
            String name = method.getName();
            if (Modifier.isPublic(method.getModifiers()) && name.endsWith("Backward")) rows.add(name.substring(0, name.length() - 8));
        }
        Set<String> checked = new TreeSet<>();
        for (GradCheckSuite.Case c : GradCheckSuite.cases()) checked.add(c.rule());
        assertEquals(rows, checked);
    }

    @Test
    void aWrongRuleInTheTableFails() {
        // GELU's rule as a hurried derivation gives it: Φ(x), forgetting the product rule's x·φ(x). The engine is
        // right, so engine vs numeric passes; the rule vs numeric and the engine vs the rule must not.
        GradCheckSuite.Case gelu = GradCheckSuite.cases().stream().filter(c -> c.op().equals("gelu_erf")).findFirst().orElseThrow();
        GradCheck.BackwardRule wrong = (in, d) -> {
            double[] x = in.getFirst(), dx = new double[x.length];
            for (int i = 0; i < x.length; i++) dx[i] = d[i] * 0.5 * (1 + Reference64.erf(x[i] / Math.sqrt(2)));
            return new double[][] {dx};
        };
        GradCheckSuite.Case planted = new GradCheckSuite.Case(gelu.op(), gelu.inputShapes(), false, gelu.engine(),
                gelu.reference(), gelu.rule(), wrong);
        GradCheck.Report report = planted.check(backend);
        assertFalse(report.within(GradCheck.DEFAULT_TOLERANCE), report::describe);
        GradCheck.InputReport input = report.inputs().getFirst();
        assertTrue(input.relError()[input.worst()] <= GradCheck.DEFAULT_TOLERANCE, "the engine itself is right");
        assertTrue(input.ruleError() > 0.01 && input.engineVsRule() > 0.01, report::describe);
        assertTrue(report.describe().contains("rule vs numeric"), report::describe);
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
