package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.check.GradCheck;
import dev.posenc.core.Backend;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Learnable Fourier features: the kernel property, weight sharing across groups, gradients. */
class LffTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** Monte-Carlo error of the kernel estimate at |F| = 4096 (spec §1.4: 0.027 worst over 200 pairs in numpy). */
    private static final double KERNEL_TOL = 0.03;
    /** Same-offset pairs: only the float32 rounding of x·Wᵀ and sin/cos differs (the spec's 1e-12 is for f64). */
    private static final double SHIFT_TOL = 2e-5;

    /** Spec §1.4 item 1: r_x·r_y ≈ ½ exp(−‖x−y‖²/(2γ²)), and it depends only on x − y. */
    @Test
    void featuresApproximateTheGaussianKernelAndAreShiftInvariant() {
        double gamma = 2;
        EncodingParams p = EncodingParams.defaults(2).toBuilder().fourierDims(4096).gamma(gamma).build();
        int pairs = 60;
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
             Arena arena = Arena.ofShared()) {
            Encoding enc = Encodings.create("lff-only", p, store);
            store.allocate(new Rng(11));
            Tensor a = new Rng(12).uniform(arena, Shape.of(pairs, 2), -3, 3);
            Tensor b = new Rng(13).uniform(arena, Shape.of(pairs, 2), -3, 3);
            Tensor shift = new Rng(14).uniform(arena, Shape.of(1, 2), -5, 5);
            Tensor a2 = Tensor.zeros(arena, Shape.of(pairs, 2)), b2 = Tensor.zeros(arena, Shape.of(pairs, 2));
            for (int i = 0; i < pairs; i++) {
                for (int j = 0; j < 2; j++) {
                    a2.set(i, j, a.get(i, j) + shift.get(0, j));
                    b2.set(i, j, b.get(i, j) + shift.get(0, j));
                }
            }
            Tensor ra = enc.apply(tape, tape.constant(a)).value(), rb = enc.apply(tape, tape.constant(b)).value();
            Tensor ra2 = enc.apply(tape, tape.constant(a2)).value(), rb2 = enc.apply(tape, tape.constant(b2)).value();
            for (int i = 0; i < pairs; i++) {
                double dx = a.get(i, 0) - b.get(i, 0), dy = a.get(i, 1) - b.get(i, 1);
                double expected = 0.5 * Math.exp(-(dx * dx + dy * dy) / (2 * gamma * gamma));
                double dot = dot(ra, rb, i), shifted = dot(ra2, rb2, i);
                assertEquals(expected, dot, KERNEL_TOL, "pair " + i);
                assertEquals(dot, shifted, SHIFT_TOL, "pair " + i + " shifted");
            }
            assertEquals(0.5, dot(ra, ra, 0), 1e-5, "r_x·r_x = ½");
        }
    }

    private static double dot(Tensor a, Tensor b, int row) {
        double s = 0;
        for (int j = 0; j < a.cols(); j++) s += (double) a.get(row, j) * b.get(row, j);
        return s;
    }

    /** With G groups, group g's output is the G = 1 encoder applied to group g's coordinates: shared weights. */
    @Test
    void groupsShareWeightsAndConcatenate() {
        EncodingParams one = EncodingParams.defaults(3).toBuilder()
                .fourierDims(6).hidden(5).outputDims(4).gamma(0.7).build();
        EncodingParams two = one.toBuilder().positionDims(6).groups(2).outputDims(8).build();
        try (ParameterStore s1 = new ParameterStore(); ParameterStore s2 = new ParameterStore();
             Tape tape = new Tape(backend); Arena arena = Arena.ofShared()) {
            Encoding e1 = Encodings.create("lff", one, s1), e2 = Encodings.create("lff", two, s2);
            s1.allocate(new Rng(3));
            s2.allocate(new Rng(3));  // same shapes, same draws: the same weights
            Tensor x = new Rng(4).normal(arena, Shape.of(5, 6));
            Tensor both = e2.apply(tape, tape.constant(x)).value();
            for (int g = 0; g < 2; g++) {
                Tensor part = Tensor.zeros(arena, Shape.of(5, 3));
                for (int i = 0; i < 5; i++) for (int j = 0; j < 3; j++) part.set(i, j, x.get(i, 3 * g + j));
                Tensor alone = e1.apply(tape, tape.constant(part)).value();
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 4; j++) {
                        assertEquals(alone.get(i, j), both.get(i, 4 * g + j), 0f, "row %d group %d".formatted(i, g));
                    }
                }
            }
        }
    }

    @Test
    void lffGradientMatchesCentralDifferences() {
        // N 5, G 2, M 2, |F| 6 (K 3), |H| 4, D/G 3: every input and weight differentiated
        int n = 5, g = 2, m = 2, k = 3, h = 4, out = 3;
        check("lff", (t, in) -> Lff.forward(t, in.get(0), g, in.get(1), in.get(2), in.get(3), in.get(4), in.get(5)),
                in -> {
                    double[] r = Reference64.fourier(in.get(0), in.get(1), n * g, m, k);
                    double[] z = Reference64.linear(r, in.get(2), in.get(3), n * g, 2 * k, h);
                    double[] a = Reference64.unary(UnaryOp.GELU_ERF, z);
                    return Reference64.linear(a, in.get(4), in.get(5), n * g, h, out);
                },
                Shape.of(n, g * m), Shape.of(k, m), Shape.of(h, 2 * k), Shape.of(h), Shape.of(out, h), Shape.of(out));
        check("mlp", (t, in) -> Lff.forward(t, in.get(0), g, null, in.get(1), in.get(2), in.get(3), in.get(4)),
                in -> {
                    double[] z = Reference64.linear(in.get(0), in.get(1), in.get(2), n * g, m, h);
                    double[] a = Reference64.unary(UnaryOp.GELU_ERF, z);
                    return Reference64.linear(a, in.get(3), in.get(4), n * g, h, out);
                },
                Shape.of(n, g * m), Shape.of(h, m), Shape.of(h), Shape.of(out, h), Shape.of(out));
    }

    private static void check(String op, GradCheck.EngineOp engine, GradCheck.ReferenceOp reference, Shape... shapes) {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(21);
            List<Tensor> inputs = java.util.Arrays.stream(shapes).map(s -> rng.normal(arena, s)).toList();
            GradCheck.Report report = GradCheck.check(backend, op, engine, reference, inputs, 22);
            assertTrue(report.within(GradCheck.DEFAULT_TOLERANCE), report::describe);
        }
    }

    /** The positions' gradient flows through the groups' reshape back to (N, G·M). */
    @Test
    void positionGradientHasThePositionsShape() {
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
             Arena arena = Arena.ofShared()) {
            EncodingParams p = EncodingParams.defaults(4).toBuilder()
                    .groups(2).fourierDims(6).hidden(5).outputDims(6).build();
            Encoding enc = Encodings.create("lff", p, store);
            store.allocate(new Rng(1));
            Var x = tape.variable(new Rng(2).normal(arena, Shape.of(3, 4)));
            Var y = enc.apply(tape, x);
            tape.backward(y, new Rng(3).normal(arena, y.shape()));
            assertEquals(Shape.of(3, 4), x.grad().shape());
            assertNotEquals(0f, x.grad().get(0));
        }
    }
}
